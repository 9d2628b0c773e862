/**
 * An independent, deliberately simple oracle for the signal-safety validator (reference
 * reliability-security.md §1.3 case 22): it expands a FIXED-TIME plan into a plain array of 0.1 s
 * ticks (integer deciseconds, two full cycles) and walks it tick by tick, reporting which of the
 * timing rules SIG-01, SIG-03, SIG-04, SIG-06, SIG-07 and SIG-08 (Italian profile) the plan breaks.
 *
 * It shares no code with the validator (timeline.ts, rules*.ts): only the profile numbers. It is
 * meant to be obviously right rather than fast or complete — no actuation, no transitions, no
 * startup, no structural checks, no computed intergreen, no warnings.
 *
 * Semantics (all in integer ticks of 0.1 s; C = cycle length in ticks; the offset is ignored since
 * it does not change relative timing):
 * - P (permission) = {G, Gflash, Y, RY}; Green = {G, Gflash}.
 * - SIG-01: a tick where two groups with conflicts[i][j] === 'x' are both in P (one finding per overlap).
 * - SIG-03: a cyclic change of state other than G→Gflash, Gflash→G, G→Y, Gflash→Y, Y→R, R→G.
 * - SIG-04: vehicle groups: a maximal cyclic run of Y shorter than 3.0 s or longer than 6.0 s.
 * - SIG-06: i clears, j enters (conflict 'x'): for each green start t of j in the second cycle,
 *   te = 1 + the last tick before t where i is Green; t − te < IG[i][j] (in ticks) → violation.
 *   i never Green → nothing to check. A missing intergreen entry for a conflicting pair → violation.
 * - SIG-07: a maximal cyclic Green run shorter than 5.0 s (vehicle: or its minGreenS when set);
 *   a group Green the whole cycle is fine.
 * - SIG-08: pedestrian groups with a crossing: from each tick where the group leaves Green to the
 *   next green start of any conflicting vehicle group, at least ceil(need·10 − 1e-9) ticks, need =
 *   L / v, L = lengthM or with a refuge max(refugeAtM, lengthM − refugeAtM), v = 1.0 m/s or 0.8 m/s
 *   (sensitive).
 */
import { PROFILES } from '../profiles'
import type { ValidationReport } from '../violation'

export const ORACLE_RULES = ['SIG-01', 'SIG-03', 'SIG-04', 'SIG-06', 'SIG-07', 'SIG-08'] as const
export type OracleRule = (typeof ORACLE_RULES)[number]

/** The little the oracle needs from a controller (a SignalController or its input form fits). */
export interface OracleGroup {
  id: string
  type: string
  minGreenS?: number | null
  crossing?: { lengthM: number; refugeAtM?: number | null; sensitive?: boolean } | null
}
export interface OracleController {
  signalGroups: OracleGroup[]
  conflicts: string[]
  intergreen: Record<string, Record<string, number>>
}
export interface OraclePlan {
  intervals: Array<{ durationS: number; states: string[] }>
}

export interface OracleFinding {
  rule: OracleRule
  /** Tick (0.1 s) in the two-cycle timeline where it shows. */
  tick: number
  groups: string[]
  /** For SIG-06 / SIG-08: ticks required and ticks given, and the tick of the entering green. */
  needTicks?: number
  gotTicks?: number
  enterTick?: number
  message: string
}

export interface OracleResult {
  rules: Set<OracleRule>
  findings: OracleFinding[]
  /** Ticks per cycle. */
  cycleTicks: number
}

const P = new Set(['G', 'Gflash', 'Y', 'RY'])
const GREEN = new Set(['G', 'Gflash'])
const YELLOW = new Set(['Y'])
const ALLOWED_CHANGES = new Set(['G>Gflash', 'Gflash>G', 'G>Y', 'Gflash>Y', 'Y>R', 'R>G'])

const IT = PROFILES.it
const toTicks = (s: number): number => Math.round(s * 10)

/** The plan as a plain array: ticks[t][g] = state of group g at tick t, over two full cycles. */
export function expandTicks(plan: OraclePlan, groupCount: number): { ticks: string[][]; cycleTicks: number } {
  const oneCycle: string[][] = []
  for (const interval of plan.intervals) {
    const n = toTicks(interval.durationS)
    const row: string[] = []
    for (let g = 0; g < groupCount; g++) row.push(interval.states[g] ?? 'R')
    for (let k = 0; k < n; k++) oneCycle.push(row) // every tick of the interval shows the same (read-only) row
  }
  return { ticks: [...oneCycle, ...oneCycle], cycleTicks: oneCycle.length }
}

/** Clearance the pedestrian group needs, in ticks (null: no crossing, nothing to check). */
export function pedestrianNeedTicks(group: OracleGroup): number | null {
  const c = group.crossing
  if (!c) return null
  const refuge = c.refugeAtM ?? null
  const lengthM = refuge !== null ? Math.max(refuge, c.lengthM - refuge) : c.lengthM
  const v = c.sensitive ? IT.pedestrianSpeedSensitiveMs : IT.pedestrianSpeedMs
  return Math.ceil((lengthM / v) * 10 - 1e-9)
}

export function runOracle(controller: OracleController, plan: OraclePlan, only?: ReadonlyArray<OracleRule>): OracleResult {
  const want = (r: OracleRule): boolean => !only || only.includes(r)
  const groups = controller.signalGroups
  const n = groups.length
  const { ticks, cycleTicks: C } = expandTicks(plan, n)
  const findings: OracleFinding[] = []
  const rules = new Set<OracleRule>()
  const add = (f: OracleFinding): void => {
    findings.push(f)
    rules.add(f.rule)
  }
  if (C === 0) return { rules, findings, cycleTicks: C }
  const id = (g: number): string => groups[g]!.id
  const st = (t: number, g: number): string => ticks[t]![g]!
  const conflict = (i: number, j: number): boolean => controller.conflicts[i]?.[j] === 'x'
  /** 1 where group g's state is in `set`, tick by tick over both cycles (filled interval by interval). */
  const mask = (g: number, set: ReadonlySet<string>): Uint8Array => {
    const m = new Uint8Array(2 * C)
    for (let t = 0; t < 2 * C; ) {
      const row = ticks[t]!
      let end = t
      while (end < 2 * C && ticks[end] === row) end++ // the ticks of one interval share one row
      m.fill(set.has(row[g]!) ? 1 : 0, t, end)
      t = end
    }
    return m
  }
  const green = groups.map((_, g) => mask(g, GREEN))
  const perm = want('SIG-01') ? groups.map((_, g) => mask(g, P)) : []
  const isGreen = (t: number, g: number): boolean => green[g]![t] === 1

  // SIG-01: every tick of one cycle, every conflicting pair (one finding per overlap: its first tick).
  for (let i = 0; i < (want('SIG-01') ? n : 0); i++) {
    for (let j = i + 1; j < n; j++) {
      if (!conflict(i, j)) continue
      const pi = perm[i]!
      const pj = perm[j]!
      for (let t = 0; t < C; t++) {
        if (pi[t] && pj[t] && !(t > 0 && pi[t - 1] && pj[t - 1])) {
          add({ rule: 'SIG-01', tick: t, groups: [id(i), id(j)], message: `${id(i)} ${st(t, i)} with ${id(j)} ${st(t, j)}` })
        }
      }
    }
  }

  // SIG-03: every change of state at ticks 1..C (tick C is the wrap: last tick of cycle 1 → first of cycle 2).
  for (let g = 0; g < (want('SIG-03') ? n : 0); g++) {
    for (let t = 1; t <= C; t++) {
      const a = st(t - 1, g)
      const b = st(t, g)
      if (a !== b && !ALLOWED_CHANGES.has(`${a}>${b}`)) {
        add({ rule: 'SIG-03', tick: t, groups: [id(g)], message: `${id(g)} ${a}→${b}` })
      }
    }
  }

  /** Maximal cyclic runs of 1s in m: [start, length] for runs starting at ticks 1..C. */
  const runs = (m: Uint8Array): Array<[number, number]> => {
    const out: Array<[number, number]> = []
    for (let t = 1; t <= C; t++) {
      if (m[t] && !m[t - 1]) {
        let len = 0
        while (t + len < 2 * C && m[t + len]) len++
        out.push([t, len])
      }
    }
    return out
  }
  const always = (m: Uint8Array): boolean => {
    for (let t = 0; t < C; t++) if (!m[t]) return false
    return true
  }

  // SIG-04: vehicle yellow runs.
  const yFloor = toTicks(IT.yellowFloorS)
  const yMax = toTicks(IT.yellowMaxS)
  for (let g = 0; g < (want('SIG-04') ? n : 0); g++) {
    if (groups[g]!.type !== 'vehicle') continue
    const isY = mask(g, YELLOW)
    if (always(isY)) {
      add({ rule: 'SIG-04', tick: 0, groups: [id(g)], message: `${id(g)} yellow the whole cycle` })
      continue
    }
    for (const [start, len] of runs(isY)) {
      if (len < yFloor || len > yMax) add({ rule: 'SIG-04', tick: start, groups: [id(g)], message: `${id(g)} yellow ${len / 10} s` })
    }
  }

  // SIG-07: green runs.
  for (let g = 0; g < (want('SIG-07') ? n : 0); g++) {
    const grp = groups[g]!
    const minS = grp.type === 'pedestrian' ? IT.minGreenPedestrianS : (grp.minGreenS ?? IT.minGreenVehicleS)
    const minTicks = toTicks(minS)
    if (always(green[g]!)) continue
    for (const [start, len] of runs(green[g]!)) {
      if (len < minTicks) add({ rule: 'SIG-07', tick: start, groups: [id(g)], message: `${id(g)} green ${len / 10} s < ${minS} s` })
    }
  }

  // SIG-06: for green starts of j in the second cycle, look back for i's last green tick.
  // lastGreen[g][t] = the last tick < t where g is Green, or −1.
  const lastGreen: Int32Array[] = []
  for (let g = 0; g < (want('SIG-06') ? n : 0); g++) {
    const row = new Int32Array(2 * C + 1).fill(-1)
    for (let t = 1; t <= 2 * C; t++) row[t] = isGreen(t - 1, g) ? t - 1 : row[t - 1]!
    lastGreen.push(row)
  }
  for (let j = 0; j < (want('SIG-06') ? n : 0); j++) {
    for (let t = C; t < 2 * C; t++) {
      if (!(isGreen(t, j) && !isGreen(t - 1, j))) continue
      for (let i = 0; i < n; i++) {
        if (i === j || !conflict(i, j)) continue
        const igS = controller.intergreen[id(i)]?.[id(j)]
        if (typeof igS !== 'number') {
          add({ rule: 'SIG-06', tick: t, groups: [id(i), id(j)], message: `no intergreen ${id(i)}→${id(j)}` })
          continue
        }
        const last = lastGreen[i]![t]!
        if (last < 0) continue // i never green
        const te = last + 1
        const got = t - te
        const need = toTicks(igS)
        if (got < need) {
          add({ rule: 'SIG-06', tick: t, groups: [id(i), id(j)], needTicks: need, gotTicks: got, enterTick: t, message: `intergreen ${id(i)}→${id(j)} ${got / 10} s < ${igS} s` })
        }
      }
    }
  }

  // SIG-08: pedestrian leaves green (ticks 1..C) → next green start of a conflicting vehicle group.
  for (let p = 0; p < (want('SIG-08') ? n : 0); p++) {
    const grp = groups[p]!
    if (grp.type !== 'pedestrian') continue
    const need = pedestrianNeedTicks(grp)
    if (need === null) continue
    const vehicles: number[] = []
    for (let v = 0; v < n; v++) if (v !== p && groups[v]!.type === 'vehicle' && conflict(p, v)) vehicles.push(v)
    if (vehicles.length === 0) continue
    for (let t = 1; t <= C; t++) {
      if (!(isGreen(t - 1, p) && !isGreen(t, p))) continue
      let found = false
      for (let u = t; u < t + C && !found; u++) {
        for (const v of vehicles) {
          if (isGreen(u, v) && !isGreen(u - 1, v)) {
            found = true
            const got = u - t
            if (got < need) {
              add({ rule: 'SIG-08', tick: t, groups: [id(p), id(v)], needTicks: need, gotTicks: got, enterTick: u, message: `clearance ${id(p)}→${id(v)} ${got / 10} s < ${need / 10} s` })
            }
          }
        }
      }
    }
  }

  return { rules, findings, cycleTicks: C }
}

/**
 * How a validator report and the oracle disagree (empty = they agree):
 *  (a) the report is ok (no 'reject') but the oracle flags the plan — an unsafe plan accepted;
 *  (b) per rule, the validator rejects with it in the plan's cycle ('cycle' or 'wrap') iff the oracle
 *      flags it. Rejections in the startup sequence, transitions or the structure are outside the
 *      oracle's scope and are not compared rule by rule.
 */
export function compareWithOracle(report: ValidationReport, oracle: OracleResult): string[] {
  const problems: string[] = []
  const hasReject = report.violations.some((v) => v.severity === 'reject')
  if (report.ok === hasReject) problems.push(`report.ok=${report.ok} inconsistent with its violations`)
  if (report.ok && oracle.rules.size > 0) problems.push(`(a) validator accepts a plan the oracle flags: ${[...oracle.rules].join(', ')}`)
  const inCycle = report.violations.filter((v) => v.severity === 'reject' && (v.context === 'cycle' || v.context === 'wrap'))
  for (const rule of ORACLE_RULES) {
    const v = inCycle.some((x) => x.rule === rule)
    const o = oracle.rules.has(rule)
    if (v === o) continue
    const ev = oracle.findings.filter((f) => f.rule === rule).slice(0, 3).map((f) => `tick ${f.tick} [${f.groups.join(',')}] ${f.message}`)
    const vv = report.violations.filter((x) => x.rule === rule).slice(0, 3).map((x) => `${x.severity} ${x.context} @${x.atS} [${x.groups.join(',')}] ${x.message}`)
    problems.push(`(b) ${rule}: validator ${v ? 'rejects' : 'does not reject'}, oracle ${o ? 'flags' : 'does not flag'}; oracle: ${ev.join(' | ') || '—'}; validator: ${vv.join(' | ') || '—'}`)
  }
  return problems
}
