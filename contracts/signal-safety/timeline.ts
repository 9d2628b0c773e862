/**
 * A signal plan expanded to a 0.1 s timeline: one state per signal group per tick (integer
 * deciseconds), with where each tick came from (plan, interval, second of the cycle, which part of
 * the sequence). The safety rules walk these arrays, so what they check is exactly what the lanterns
 * would show, across the cycle wrap, plan switches and the startup sequence.
 */
import type { SignalState } from '../schemas/signal-plan'

export const ST = { R: 0, RY: 1, G: 2, Gflash: 3, Y: 4, FY: 5, DARK: 6 } as const satisfies Record<SignalState, number>
export const STATE_NAMES: readonly SignalState[] = ['R', 'RY', 'G', 'Gflash', 'Y', 'FY', 'DARK']
export type StateCode = (typeof ST)[keyof typeof ST]

/** Green, flashing green, yellow and red+amber give right of way — amber counts, as on the MMU. */
export const isPermission = (s: number) => s === ST.G || s === ST.Gflash || s === ST.Y || s === ST.RY
export const isGreen = (s: number) => s === ST.G || s === ST.Gflash

/** The parts of a timeline: the startup's flash and all-red, the plan switched from, the plan checked. */
export const PART = { flash: 0, allRed: 1, from: 2, main: 3 } as const
export type Part = (typeof PART)[keyof typeof PART]

/** A plan reduced to what the timeline needs: interval lengths in ticks and state codes. */
export interface TickPlan {
  index: number
  id: string
  /** Per interval: length in ticks. */
  ticks: number[]
  /** Per interval: one state code per group. */
  states: Uint8Array[]
  cycleTicks: number
}

export interface Timeline {
  length: number
  groups: number
  /** state[g][t] */
  state: Uint8Array[]
  part: Uint8Array
  /** Index of the TickPlan (−1 in the startup parts). */
  plan: Int16Array
  interval: Int16Array
  /** Ticks into the plan's cycle. */
  cycleTick: Int32Array
  /** Which repetition of the plan's cycle (0, 1, …) within its part. */
  cycle: Int16Array
}

export const toTicks = (s: number) => Math.round(s * 10)

/** A builder appends pieces: a plan run from a cycle tick for a number of ticks, or a constant state. */
export class TimelineBuilder {
  private readonly chunks: Array<(tl: Timeline, at: number) => void> = []
  private total = 0
  constructor(private readonly groups: number) {}

  constant(states: Uint8Array, ticks: number, part: Part): this {
    const at0 = this.total
    this.chunks.push((tl) => {
      for (let t = at0; t < at0 + ticks; t++) {
        for (let g = 0; g < this.groups; g++) tl.state[g]![t] = states[g]!
        tl.part[t] = part
        tl.plan[t] = -1
        tl.interval[t] = -1
        tl.cycleTick[t] = t - at0
        tl.cycle[t] = 0
      }
    })
    this.total += ticks
    return this
  }

  /** `plan` from cycle tick `startTick` for `ticks` ticks (wrapping around its cycle). */
  plan(plan: TickPlan, startTick: number, ticks: number, part: Part): this {
    const at0 = this.total
    this.chunks.push((tl) => {
      // Find the interval holding startTick.
      let k = 0
      let intervalStart = 0
      const start = ((startTick % plan.cycleTicks) + plan.cycleTicks) % plan.cycleTicks
      while (intervalStart + plan.ticks[k]! <= start) intervalStart += plan.ticks[k++]!
      let inInterval = start - intervalStart
      let cycleTick = start
      let cycle = 0
      for (let t = at0; t < at0 + ticks; t++) {
        const states = plan.states[k]!
        for (let g = 0; g < this.groups; g++) tl.state[g]![t] = states[g]!
        tl.part[t] = part
        tl.plan[t] = plan.index
        tl.interval[t] = k
        tl.cycleTick[t] = cycleTick
        tl.cycle[t] = cycle
        inInterval++
        cycleTick++
        if (inInterval >= plan.ticks[k]!) {
          inInterval = 0
          k++
          if (k >= plan.ticks.length) {
            k = 0
            cycleTick = 0
            cycle++
          }
        }
      }
    })
    this.total += ticks
    return this
  }

  build(): Timeline {
    const n = this.total
    const tl: Timeline = {
      length: n,
      groups: this.groups,
      state: Array.from({ length: this.groups }, () => new Uint8Array(n)),
      part: new Uint8Array(n),
      plan: new Int16Array(n),
      interval: new Int16Array(n),
      cycleTick: new Int32Array(n),
      cycle: new Int16Array(n),
    }
    for (const c of this.chunks) c(tl, 0)
    return tl
  }
}

/** A maximal run of one group in a set of states: [start, end) ticks; `complete` when both ends are inside the timeline. */
export interface Run {
  start: number
  end: number
  complete: boolean
}

export function runs(tl: Timeline, g: number, inSet: (s: number) => boolean): Run[] {
  const s = tl.state[g]!
  const out: Run[] = []
  let start = -1
  for (let t = 0; t <= tl.length; t++) {
    const on = t < tl.length && inSet(s[t]!)
    if (on && start < 0) start = t
    else if (!on && start >= 0) {
      out.push({ start, end: t, complete: start > 0 && t < tl.length })
      start = -1
    }
  }
  return out
}

/** Ticks where any group changes state (plus 0): between two of them every state is constant. */
export function changePoints(tl: Timeline): number[] {
  const out = [0]
  for (let t = 1; t < tl.length; t++) {
    for (let g = 0; g < tl.groups; g++) {
      if (tl.state[g]![t] !== tl.state[g]![t - 1]) {
        out.push(t)
        break
      }
    }
  }
  return out
}

/** lastGreenEnd[t]: the tick at which the group's most recent green run ended, at or before t (−1 if none). */
export function lastGreenEnds(tl: Timeline, g: number): Int32Array {
  const s = tl.state[g]!
  const out = new Int32Array(tl.length).fill(-1)
  let last = -1
  for (let t = 0; t < tl.length; t++) {
    if (t > 0 && isGreen(s[t - 1]!) && !isGreen(s[t]!)) last = t
    out[t] = last
  }
  return out
}

export function greenStarts(tl: Timeline, g: number): number[] {
  const s = tl.state[g]!
  const out: number[] = []
  for (let t = 1; t < tl.length; t++) if (isGreen(s[t]!) && !isGreen(s[t - 1]!)) out.push(t)
  return out
}

