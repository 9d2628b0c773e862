/**
 * The rules that need no timeline: the controller's matrices (SIG-02, the intergreen matrix part of
 * SIG-06), a plan's structure (SIG-10), actuation bounds on clearances (SIG-05), every group served
 * (SIG-09), cycle bounds (SIG-11), the Italian operating schedule and the off program (SIG-12), and
 * the startup / failure configuration (SIG-13).
 */
import { SIGNAL_STATES, SignalPlanSchema, type SignalPlan } from '../schemas/signal-plan'
import { intervalLabel, isVehicleLike, type RuleContext } from './context'
import { pairComputedIntergreenS } from './profiles'

const isTenth = (v: number) => Math.abs(v * 10 - Math.round(v * 10)) < 1e-6
const finitePositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0

/** SIG-02: K square, symmetric, '.' on the diagonal, only 'x'/'.'; geometric conflicts permissive only with a recorded override. */
export function checkConflictMatrix(ctx: RuleContext): boolean {
  const { controller: c, groups, n, report } = ctx
  const where = { context: 'matrix' as const }
  let ok = true
  const ids = groups.map((g) => g.id)
  const dup = ids.find((id, i) => ids.indexOf(id) !== i)
  if (dup) {
    report.add('SIG-02', 'reject', [dup], where, `signal group id ${dup} is used twice`)
    ok = false
  }
  if (c.conflicts.length !== n) {
    report.add('SIG-02', 'reject', [], where, `the conflict matrix has ${c.conflicts.length} rows for ${n} signal groups: every pair must be defined`)
    return false
  }
  c.conflicts.forEach((row, i) => {
    const gi = groups[i]!.id
    if (row.length !== n) {
      report.add('SIG-02', 'reject', [gi], where, `conflict matrix row ${gi} has ${row.length} entries for ${n} signal groups: every pair must be defined`)
      ok = false
      return
    }
    for (let j = 0; j < n; j++) {
      const ch = row[j]!
      const gj = groups[j]!.id
      if (ch !== 'x' && ch !== '.') {
        report.add('SIG-02', 'reject', [gi, gj], where, `conflict matrix entry ${gi}/${gj} is "${ch}": use "x" (conflict) or "." (permissive)`)
        ok = false
      } else if (i === j && ch !== '.') {
        report.add('SIG-02', 'reject', [gi], where, `conflict matrix diagonal ${gi}/${gi} must be "." (a group never conflicts with itself)`)
        ok = false
      } else if (j > i && (c.conflicts[j]?.[i] ?? '') !== ch) {
        report.add('SIG-02', 'reject', [gi, gj], where, `conflict matrix is not symmetric: ${gi}/${gj} is "${ch}" but ${gj}/${gi} is "${c.conflicts[j]?.[i] ?? ''}"`)
        ok = false
      }
    }
  })
  const overridden = (a: string, b: string) => c.permissive.some((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a))
  for (const p of c.permissive) {
    for (const id of [p.a, p.b]) {
      if (!ctx.index.has(id)) {
        report.add('SIG-02', 'reject', [id], where, `a permissive override names signal group ${id}, which the controller does not have`)
        ok = false
      }
    }
  }
  for (const geo of c.geometry) {
    const a = ctx.index.get(geo.a)
    const b = ctx.index.get(geo.b)
    if (a === undefined || b === undefined) {
      report.add('SIG-02', 'reject', [geo.a, geo.b], where, `a geometric conflict names a signal group the controller does not have (${geo.a}, ${geo.b})`)
      ok = false
      continue
    }
    if (c.conflicts[a]?.[b] !== 'x' && !overridden(geo.a, geo.b)) {
      report.add('SIG-02', 'reject', [geo.a, geo.b], where, `${geo.a} and ${geo.b} ${geo.kind === 'merging' ? 'merge' : 'cross'} in the junction but are marked permissive with no engineer override (reason and approver) on record`)
      ok = false
    }
  }
  return ok
}

/** SIG-10 on raw input: returns the typed plan, or null when it is too broken to expand. */
export function checkPlanStructure(ctx: RuleContext, raw: unknown, k: number): SignalPlan | null {
  const { report, n } = ctx
  const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  const id = typeof p.id === 'string' ? p.id : `#${k + 1}`
  const plan = { id, intervals: [] } as unknown as SignalPlan
  const where = (interval: number | null = null) => ({ plan, interval, context: 'structure' as const })
  let ok = true
  const bad = (groups: string[], msg: string, interval: number | null = null) => {
    report.add('SIG-10', 'reject', groups, where(interval), msg)
    ok = false
  }
  if (p.controllerId !== ctx.controller.id) bad([], `plan ${id} belongs to controller ${String(p.controllerId)}, not ${ctx.controller.id}`)
  const intervals = Array.isArray(p.intervals) ? (p.intervals as unknown[]) : null
  if (!intervals || intervals.length === 0) {
    bad([], `plan ${id} has no intervals`)
    return null
  }
  let sumTicks = 0
  intervals.forEach((rawIv, i) => {
    const iv = (typeof rawIv === 'object' && rawIv !== null ? rawIv : {}) as Record<string, unknown>
    const label = `interval ${i + 1}`
    if (!finitePositive(iv.durationS)) bad([], `${label}: duration ${String(iv.durationS)} must be a finite number of seconds > 0`, i)
    else if (!isTenth(iv.durationS)) bad([], `${label}: duration ${iv.durationS} s is not a multiple of 0.1 s`, i)
    else sumTicks += Math.round(iv.durationS * 10)
    for (const key of ['minS', 'maxS'] as const) {
      const v = iv[key]
      if (v === undefined) continue
      if (!finitePositive(v) || !isTenth(v)) bad([], `${label}: ${key} ${String(v)} must be a positive multiple of 0.1 s`, i)
    }
    if (finitePositive(iv.durationS) && finitePositive(iv.minS) && iv.minS > iv.durationS + 1e-9) bad([], `${label}: minS ${iv.minS} s is above the duration ${iv.durationS} s`, i)
    if (finitePositive(iv.durationS) && finitePositive(iv.maxS) && iv.maxS < iv.durationS - 1e-9) bad([], `${label}: maxS ${iv.maxS} s is below the duration ${iv.durationS} s`, i)
    const states = Array.isArray(iv.states) ? (iv.states as unknown[]) : null
    if (!states) {
      bad([], `${label} has no state vector`, i)
      return
    }
    if (states.length !== n) bad([], `${label} has ${states.length} states for ${n} signal groups (one per group, in order ${ctx.groups.map((g) => g.id).join(', ')})`, i)
    states.forEach((s, g) => {
      if (!(SIGNAL_STATES as readonly unknown[]).includes(s)) bad(ctx.groups[g] ? [ctx.groups[g].id] : [], `${label}: state "${String(s)}" of ${ctx.groups[g]?.id ?? `position ${g + 1}`} is not one of ${SIGNAL_STATES.join(', ')}`, i)
    })
  })
  const cycle = p.cycleS
  if (!finitePositive(cycle) || !isTenth(cycle)) bad([], `cycle ${String(cycle)} must be a positive multiple of 0.1 s`)
  else if (Math.round(cycle * 10) !== sumTicks && ok) bad([], `the intervals add up to ${(sumTicks / 10).toFixed(1)} s but the cycle is ${cycle} s`)
  const offset = p.offsetS
  if (typeof offset !== 'number' || !Number.isFinite(offset) || offset < 0 || (finitePositive(cycle) && offset >= cycle)) bad([], `offset ${String(offset)} must be in [0, cycle ${String(cycle)} s)`)
  if (Array.isArray(p.switchPoints) && finitePositive(cycle)) {
    for (const sp of p.switchPoints) if (typeof sp !== 'number' || sp < 0 || sp >= cycle || !isTenth(sp)) bad([], `switch point ${String(sp)} must be a multiple of 0.1 s in [0, cycle ${cycle} s)`)
  }
  if (!ok) return null
  const parsed = SignalPlanSchema.safeParse(raw)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) bad([], `plan ${id}: ${issue.path.join('.') || '(plan)'}: ${issue.message}`)
    return null
  }
  return parsed.data
}

/** SIG-05: actuation may never change a clearance: intervals with yellow, red+amber or all-red are fixed. */
export function checkFixedClearances(ctx: RuleContext, plan: SignalPlan): void {
  plan.intervals.forEach((iv, k) => {
    const min = iv.minS ?? iv.durationS
    const max = iv.maxS ?? iv.durationS
    if (Math.abs(min - max) < 1e-9 && Math.abs(min - iv.durationS) < 1e-9) return
    const clearing = iv.states.map((s, g) => (s === 'Y' || s === 'RY' ? ctx.groups[g]!.id : null)).filter((x): x is string => x !== null)
    const allRed = iv.states.every((s) => s === 'R')
    if (clearing.length === 0 && !allRed) return
    ctx.report.add(
      'SIG-05',
      'reject',
      clearing,
      { plan, interval: k, atS: startOf(plan, k), context: 'cycle' },
      `${intervalLabel(plan, k)} is a clearance (${clearing.length > 0 ? `${clearing.join(', ')} in yellow or red+amber` : 'all red'}) but is actuated (min ${min} s, max ${max} s): clearances must be fixed (min = max = duration)`,
    )
  })
}

export const startOf = (plan: SignalPlan, k: number) => plan.intervals.slice(0, k).reduce((s, iv) => s + iv.durationS, 0)

/** SIG-09: every group green at least once per cycle unless on demand. SIG-11: cycle bounds (warning). SIG-14: no dark head in a normal plan. */
export function checkServiceAndCycle(ctx: RuleContext, plan: SignalPlan): void {
  const { report, profile } = ctx
  ctx.groups.forEach((g, i) => {
    const green = plan.intervals.some((iv) => iv.states[i] === 'G' || iv.states[i] === 'Gflash')
    if (!green && !g.onDemand) report.add('SIG-09', 'reject', [g.id], { plan, context: 'cycle' }, `${g.id} (${g.name}) is never green in plan ${plan.id} and is not marked on demand`)
    plan.intervals.forEach((iv, k) => {
      if (iv.states[i] === 'DARK') report.add('SIG-14', 'reject', [g.id], { plan, interval: k, atS: startOf(plan, k), context: 'cycle' }, `${g.id} shows no light in ${intervalLabel(plan, k)}: a head without any indication is a red-fail (dark is allowed only in the off program)`)
    })
  })
  if (plan.cycleS < profile.cycleWarn.minS || plan.cycleS > profile.cycleWarn.maxS)
    report.add('SIG-11', 'warn', [], { plan, context: 'cycle' }, `cycle ${plan.cycleS} s is outside ${profile.cycleWarn.minS}–${profile.cycleWarn.maxS} s`)
}

/** SIG-12 (off program): vehicle heads flashing yellow, pedestrian heads dark (art. 169 c.3) — or all dark where the profile allows it. */
export function checkOffProgram(ctx: RuleContext, plan: SignalPlan): void {
  const allDarkAllowed = ctx.profile.failureModes.includes('dark')
  plan.intervals.forEach((iv, k) => {
    const allDark = iv.states.every((s) => s === 'DARK')
    if (allDark && allDarkAllowed) return
    ctx.groups.forEach((g, i) => {
      const want = isVehicleLike(g) ? 'FY' : 'DARK'
      if (iv.states[i] !== want)
        ctx.report.add('SIG-12', 'reject', [g.id], { plan, interval: k, atS: startOf(plan, k), context: 'cycle' }, `off program ${plan.id}: ${g.id} (${g.type}) shows ${iv.states[i]} in ${intervalLabel(plan, k)}; an off program shows flashing yellow on every vehicle head and leaves pedestrian heads dark`)
    })
  })
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** Minutes of the day a schedule entry covers, as [from, to) spans within 0..1440. */
function spans(from: string, to: string): Array<[number, number]> {
  const a = minutes(from)
  const b = minutes(to)
  return b > a ? [[a, b]] : [[a, 1440], [0, b]]
}

/** SIG-12 (schedule): no fixed-time plan in the night window unless it is the designated night program of a multi-program controller. */
export function checkSchedule(ctx: RuleContext, plans: SignalPlan[], submittedIds: ReadonlySet<string>): void {
  const { controller, profile, report } = ctx
  const byId = new Map(plans.map((p) => [p.id, p]))
  const running = plans.filter((p) => p.control !== 'off').length
  for (const entry of controller.schedule) {
    const plan = byId.get(entry.planId)
    const label = `schedule ${entry.from}–${entry.to} (days ${entry.days.join(',')})`
    if (!plan) {
      // A plan rejected for its structure is already reported; an unknown one is a schedule fault.
      if (!submittedIds.has(entry.planId)) report.add('SIG-12', 'reject', [], { context: 'schedule' }, `${label} runs plan ${entry.planId}, which the controller does not have`)
      continue
    }
    if (!profile.nightWindow || plan.control !== 'fixed') continue
    if (plan.nightProgram && running > 1) continue
    const night = spans(`${String(Math.floor(profile.nightWindow.fromMin / 60)).padStart(2, '0')}:00`, `${String(Math.floor(profile.nightWindow.toMin / 60)).padStart(2, '0')}:00`)
    const overlaps = spans(entry.from, entry.to).some(([a, b]) => night.some(([c, d]) => a < d && c < b))
    if (overlaps)
      report.add('SIG-12', 'reject', [], { plan, context: 'schedule' }, `${label} runs fixed-time plan ${plan.id} during 23:00–07:00: art. 169 CdS forbids fixed-time operation at night unless the plan is actuated or on demand, or is the designated night program of a multi-program controller`)
  }
}

/** SIG-13 (configuration): a startup sequence whose all-red covers the largest intergreen, and a legal failure mode. */
export function checkStartupConfig(ctx: RuleContext): void {
  const { controller: c, report, profile } = ctx
  if (!c.startup) {
    report.add('SIG-13', 'reject', [], { context: 'startup' }, `controller ${c.id} has no startup sequence (flash → all red ≥ the largest intergreen → first green): EN 12675 requires a predefined start`)
  } else {
    let maxIg = 0
    let pair: string[] = []
    ctx.igTicks.forEach((row, i) =>
      row.forEach((v, j) => {
        if (ctx.conflict[i]![j] && v !== null && v > maxIg) {
          maxIg = v
          pair = [ctx.groups[i]!.id, ctx.groups[j]!.id]
        }
      }),
    )
    if (Math.round(c.startup.allRedS * 10) < maxIg)
      report.add('SIG-13', 'reject', pair, { context: 'startup' }, `the startup all-red is ${c.startup.allRedS} s, shorter than the largest intergreen (${pair.join(' → ')}, ${maxIg / 10} s): the first greens could start while a flashing approach is still clearing`)
  }
  if (!profile.failureModes.includes(c.failureMode))
    report.add('SIG-13', 'reject', [], { context: 'startup' }, `failure mode "${c.failureMode}" is not allowed in the ${profile.id.toUpperCase()} profile (${profile.failureModes.join(' or ')}: art. 169 c.3 CdS, a signal that is off shows flashing yellow)`)
}

/** SIG-06 (matrix): an intergreen for every conflicting ordered pair, never below the computed minimum without an override. */
export function checkIntergreenMatrix(ctx: RuleContext, plan: SignalPlan, yellowTicksOf: (g: number) => number): void {
  const { controller: c, groups, report, profile } = ctx
  for (let i = 0; i < ctx.n; i++) {
    for (let j = 0; j < ctx.n; j++) {
      if (!ctx.conflict[i]![j]) continue
      const gi = groups[i]!
      const gj = groups[j]!
      const value = ctx.igTicks[i]![j] ?? null
      if (value === null) {
        report.add('SIG-06', 'reject', [gi.id, gj.id], { plan, context: 'matrix' }, `no intergreen ${gi.id} → ${gj.id} in the matrix: every conflicting ordered pair needs one`)
        continue
      }
      const computed = pairComputedIntergreenS(profile, c.geometry, gi, gj, yellowTicksOf(i) / 10) ?? 0
      if (value >= Math.round(computed * 10)) continue
      const override = c.intergreenOverrides.find((o) => o.clearing === gi.id && o.entering === gj.id && Math.round(o.valueS * 10) === value)
      if (override)
        report.add('SIG-06', 'warn', [gi.id, gj.id], { plan, context: 'matrix' }, `intergreen ${gi.id} → ${gj.id} is ${value / 10} s, below the computed ${computed} s, accepted by ${override.by}'s override: ${override.reason}`)
      else
        report.add(
          'SIG-06',
          profile.computedIntergreen,
          [gi.id, gj.id],
          { plan, context: 'matrix' },
          `intergreen ${gi.id} → ${gj.id} is ${value / 10} s in the matrix, below the computed minimum ${computed} s (yellow ${yellowTicksOf(i) / 10} s + clearing distance and vehicle length at the clearing speed − entering distance at the entering speed): ${profile.computedIntergreen === 'reject' ? 'raise it, or record an override with reason and approver' : 'a traffic engineer should confirm it or record an override'}`,
        )
    }
  }
}
