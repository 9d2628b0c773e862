/**
 * Green times and stages of a signal plan: the timing half of the evaluation (webster-hcm.ts does
 * the traffic half). Pure and allocation-light; runs in the browser editor and on the server.
 *
 * Per signal group, every green run is a maximal stretch of G/Gflash intervals (across the cycle
 * wrap), followed by the Y intervals right after it. For each run:
 *   displayed green G = G + Gflash seconds, yellow Y, effective green g = max(0, G + Y − lost),
 *   lost = startupLostS (2 s) + endLossS (1 s); the effective green window is
 *   [start + startupLostS, start + G + Y − endLossS). A group that is never anything but green has
 *   g = C and no lost time. RY (red+amber, DE) counts as red.
 * A stage is a stretch of consecutive intervals showing the same non-empty set of green groups
 * (all group types, pedestrians included); intervals with no green group are inter-stage time.
 * The last and first stretches join across the cycle wrap when their sets are equal.
 */
import type { PlanInterval, SignalState } from '../schemas/signal-plan'

export const TIMING_VIEWS = ['nominal', 'min', 'max'] as const
/** Which duration an actuated/adaptive interval counts with: durationS, or its minS / maxS bound. */
export type TimingView = (typeof TIMING_VIEWS)[number]

export interface LostTimes {
  /** Start-up lost time at the beginning of each green run, s. */
  startupLostS: number
  /** Yellow not used at the end of each green run, s. */
  endLossS: number
}
export const DEFAULT_LOST_TIMES: Readonly<LostTimes> = { startupLostS: 2, endLossS: 1 }

export interface GreenRun {
  /** Cycle second where the displayed green starts, in [0, C). */
  startS: number
  greenS: number
  yellowS: number
  effectiveGreenS: number
  /** Cycle second where the effective green starts, in [0, C). */
  effectiveStartS: number
}

export interface GroupTiming {
  groupId: string
  /** Sums over the runs. */
  greenS: number
  yellowS: number
  effectiveGreenS: number
  runs: GreenRun[]
  /** The stage holding most of the group's displayed green (ties: the earlier stage); −1 when never green. */
  mainStage: number
}

export interface Stage {
  index: number
  greenGroupIds: string[]
  /** Cycle second of its first interval (a stage joined across the wrap starts near the end). */
  startS: number
  durationS: number
  /** Interval indices, in time order. */
  intervals: number[]
}

export interface PlanTimeline {
  view: TimingView
  /** Σ interval durations in this view (= plan.cycleS for a well-formed plan in the nominal view). */
  cycleS: number
  intervalStartS: number[]
  intervalDurationS: number[]
  groups: GroupTiming[]
  stages: Stage[]
  /** Stage index per interval, −1 for inter-stage intervals. */
  stageOfInterval: number[]
  interStageS: number
}

/** The fields of an interval the timing reads. */
export type TimedInterval = Pick<PlanInterval, 'durationS' | 'states'> & { minS?: number | undefined; maxS?: number | undefined }

export const isGreenState = (s: SignalState | undefined): boolean => s === 'G' || s === 'Gflash'

export function intervalDurationS(iv: TimedInterval, view: TimingView): number {
  if (view === 'min') return iv.minS ?? iv.durationS
  if (view === 'max') return iv.maxS ?? iv.durationS
  return iv.durationS
}

/**
 * The green runs of the group at state position `gi`, sorted by start. `durations` and `starts` are
 * the interval durations and cycle starts of the chosen view.
 */
export function groupGreenRuns(
  intervals: readonly TimedInterval[],
  gi: number,
  durations: readonly number[],
  starts: readonly number[],
  cycleS: number,
  lost: LostTimes = DEFAULT_LOST_TIMES,
): GreenRun[] {
  const n = intervals.length
  let anchor = -1
  for (let i = n - 1; i >= 0; i--) {
    if (!isGreenState(intervals[i]?.states[gi])) {
      anchor = i
      break
    }
  }
  if (anchor < 0) return n === 0 ? [] : [{ startS: 0, greenS: cycleS, yellowS: 0, effectiveGreenS: cycleS, effectiveStartS: 0 }]
  const runs: GreenRun[] = []
  let cur: GreenRun | null = null
  let inYellow = false
  const close = () => {
    if (cur === null) return
    cur.effectiveGreenS = Math.max(0, cur.greenS + cur.yellowS - lost.startupLostS - lost.endLossS)
    cur.effectiveStartS = (cur.startS + lost.startupLostS) % cycleS
    runs.push(cur)
    cur = null
    inYellow = false
  }
  // Start right after the last non-green interval, so no run is cut by the cycle wrap.
  for (let step = 1; step <= n; step++) {
    const i = (anchor + step) % n
    const state = intervals[i]?.states[gi]
    const d = durations[i] ?? 0
    if (isGreenState(state)) {
      if (cur !== null && inYellow) close()
      if (cur === null) cur = { startS: starts[i] ?? 0, greenS: 0, yellowS: 0, effectiveGreenS: 0, effectiveStartS: 0 }
      cur.greenS += d
    } else if (state === 'Y' && cur !== null) {
      inYellow = true
      cur.yellowS += d
    } else {
      close()
    }
  }
  close()
  runs.sort((a, b) => a.startS - b.startS)
  return runs
}

/**
 * Effective red periods between the group's effective green windows (cyclic), s; they sum to
 * C − g. A group with no effective green has one red of C.
 */
export function effectiveRedsS(runs: readonly GreenRun[], cycleS: number): number[] {
  const reds: number[] = []
  let first = -1
  let lastEnd = 0
  // Sorted by effective start: a run starting just before the wrap has its window after it.
  const windows = runs.filter((r) => r.effectiveGreenS > 0).sort((a, b) => a.effectiveStartS - b.effectiveStartS)
  for (const run of windows) {
    if (first < 0) first = run.effectiveStartS
    else reds.push(Math.max(0, run.effectiveStartS - lastEnd))
    lastEnd = run.effectiveStartS + run.effectiveGreenS
  }
  if (first < 0) return [cycleS]
  const wrap = first + cycleS - lastEnd
  if (wrap > 1e-9 || reds.length === 0) reds.push(Math.max(0, wrap))
  return reds
}

/** Green runs, stages and inter-stage time of a plan for the groups in `groupIds` (state order). */
export function planTimeline(
  intervals: readonly TimedInterval[],
  groupIds: readonly string[],
  view: TimingView = 'nominal',
  lost: LostTimes = DEFAULT_LOST_TIMES,
): PlanTimeline {
  const n = intervals.length
  const durations = new Array<number>(n)
  const starts = new Array<number>(n)
  let cycleS = 0
  for (let i = 0; i < n; i++) {
    starts[i] = cycleS
    const d = intervalDurationS(intervals[i]!, view)
    durations[i] = d
    cycleS += d
  }

  // Stages: runs of equal non-empty green sets. The key lists the green state positions.
  const stages: Stage[] = []
  const stageKeys: string[] = []
  const stageOfInterval = new Array<number>(n).fill(-1)
  let interStageS = 0
  let prevKey = ''
  for (let i = 0; i < n; i++) {
    const states = intervals[i]!.states
    let key = ''
    for (let g = 0; g < groupIds.length; g++) if (isGreenState(states[g])) key += `${g},`
    if (key === '') {
      interStageS += durations[i]!
    } else if (key === prevKey) {
      const stage = stages[stages.length - 1]!
      stage.durationS += durations[i]!
      stage.intervals.push(i)
      stageOfInterval[i] = stage.index
    } else {
      const ids: string[] = []
      for (let g = 0; g < groupIds.length; g++) if (isGreenState(states[g])) ids.push(groupIds[g]!)
      stageOfInterval[i] = stages.length
      stages.push({ index: stages.length, greenGroupIds: ids, startS: starts[i]!, durationS: durations[i]!, intervals: [i] })
      stageKeys.push(key)
    }
    prevKey = key
  }
  const head = stages[0]
  const tail = stages[stages.length - 1]
  if (head && tail && head !== tail && stageKeys[0] === stageKeys[stages.length - 1] && head.intervals[0] === 0 && tail.intervals[tail.intervals.length - 1] === n - 1) {
    head.startS = tail.startS
    head.durationS += tail.durationS
    head.intervals = [...tail.intervals, ...head.intervals]
    for (const i of tail.intervals) stageOfInterval[i] = 0
    stages.pop()
  }

  const groups: GroupTiming[] = new Array(groupIds.length)
  const overlap = new Array<number>(stages.length)
  for (let g = 0; g < groupIds.length; g++) {
    const runs = groupGreenRuns(intervals, g, durations, starts, cycleS, lost)
    let greenS = 0
    let yellowS = 0
    let effectiveGreenS = 0
    for (const r of runs) {
      greenS += r.greenS
      yellowS += r.yellowS
      effectiveGreenS += r.effectiveGreenS
    }
    overlap.fill(0)
    for (let i = 0; i < n; i++) {
      const s = stageOfInterval[i]!
      if (s >= 0 && isGreenState(intervals[i]!.states[g])) overlap[s]! += durations[i]!
    }
    let mainStage = -1
    for (let s = 0; s < stages.length; s++) if (overlap[s]! > 0 && (mainStage < 0 || overlap[s]! > overlap[mainStage]!)) mainStage = s
    groups[g] = { groupId: groupIds[g]!, greenS, yellowS, effectiveGreenS, runs, mainStage }
  }

  return { view, cycleS, intervalStartS: starts, intervalDurationS: durations, groups, stages, stageOfInterval, interStageS }
}
