/**
 * The rules checked on the expanded 0.1 s timeline: conflicting permissions (SIG-01), legal
 * sequences (SIG-03), yellow durations (SIG-04), intergreens (SIG-06), minimum greens (SIG-07),
 * pedestrian clearance (SIG-08), the pedestrian maximum red (SIG-09 warning) and the startup's
 * flash exit (SIG-13). A timeline is one plan over two cycles, a switch from another plan, or the
 * startup sequence; findings already made on the plain cycle are not repeated for a switch.
 */
import type { SignalGroup, SignalPlan } from '../schemas/signal-plan'
import { fmtS, intervalLabel, isVehicleLike, type RuleContext, type Where } from './context'
import { pedestrianSpeedMs, requiredYellowS } from './profiles'
import { PART, ST, STATE_NAMES, changePoints, greenStarts, isGreen, isPermission, lastGreenEnds, runs, type Timeline } from './timeline'
import type { SigRule, ViolationContext } from './violation'

export interface TimelineCase {
  tl: Timeline
  /** By TickPlan index. */
  plans: SignalPlan[]
  kind: 'cycle' | 'transition' | 'startup'
  /** The plan checked (entered by the switch or the startup). */
  mainPlan: SignalPlan
  /** For a switch: the plan left. */
  fromPlan?: SignalPlan
  /** 'shortest': actuated intervals at their minimum; 'longest': at their maximum. */
  variant: 'nominal' | 'shortest' | 'longest'
}

export function checkTimeline(ctx: RuleContext, c: TimelineCase): void {
  const emit = emitter(ctx, c)
  if (c.variant !== 'longest') {
    conflictingPermissions(ctx, c, emit)
    sequences(ctx, c, emit)
    yellows(ctx, c, emit)
    intergreens(ctx, c, emit)
    minimumGreens(ctx, c, emit)
    pedestrianClearance(ctx, c, emit)
  }
  if (c.variant !== 'shortest') pedestrianMaxRed(ctx, c, emit)
}

type Emit = (rule: SigRule, severity: 'reject' | 'warn', groups: string[], t: number, message: string, context?: ViolationContext) => void

function emitter(ctx: RuleContext, c: TimelineCase): Emit {
  const suffix = c.variant === 'shortest' ? ' (with the actuated intervals at their minimum)' : c.variant === 'longest' ? ' (with the actuated intervals at their maximum)' : ''
  return (rule, severity, groups, t, message, context) => {
    const where = whereAt(c, t, context)
    // A switch or a startup only adds what happens because of it: what its plans do on their own was found on their cycles.
    if (c.kind !== 'cycle' && ctx.report.seenInCycle(rule, groups, where.plan?.id ?? null, where.interval ?? null)) return
    ctx.report.add(rule, severity, groups, where, message + suffix)
  }
}

function whereAt(c: TimelineCase, t: number, context?: ViolationContext): Where {
  const { tl } = c
  const pi = tl.plan[t]!
  const part = tl.part[t]!
  const plan = pi >= 0 ? (c.plans[pi] ?? c.mainPlan) : c.mainPlan
  return {
    plan,
    fromPlan: c.kind === 'transition' ? (c.fromPlan ?? null) : null,
    interval: pi >= 0 ? tl.interval[t]! : null,
    atS: pi >= 0 ? tl.cycleTick[t]! / 10 : t / 10,
    context: context ?? (part === PART.flash || part === PART.allRed ? 'startup' : c.kind),
  }
}

/** The context of a finding that spans ticks a (earlier) and b: across a switch, the wrap, or inside one cycle. */
function spanContext(c: TimelineCase, a: number, b: number): ViolationContext {
  const { tl } = c
  if (tl.part[a] === PART.flash || tl.part[a] === PART.allRed || tl.part[b] === PART.flash || tl.part[b] === PART.allRed) return 'startup'
  if (tl.part[a] !== tl.part[b]) return 'transition'
  if (c.kind !== 'cycle') return c.kind
  return tl.cycle[a] !== tl.cycle[b] ? 'wrap' : 'cycle'
}

function at(c: TimelineCase, t: number): string {
  const pi = c.tl.plan[t]!
  if (pi < 0) return `${fmtS(t)} into the startup`
  const plan = c.plans[pi]!
  return `${fmtS(c.tl.cycleTick[t]!)} of plan ${plan.id}'s cycle (${intervalLabel(plan, c.tl.interval[t]!)})`
}

function conflictingPermissions(ctx: RuleContext, c: TimelineCase, emit: Emit): void {
  const { tl } = c
  const cps = changePoints(tl)
  cps.forEach((start, k) => {
    const end = cps[k + 1] ?? tl.length
    for (let i = 0; i < ctx.n; i++) {
      const si = tl.state[i]![start]!
      if (!isPermission(si)) continue
      for (let j = i + 1; j < ctx.n; j++) {
        if (!ctx.conflict[i]![j]) continue
        const sj = tl.state[j]![start]!
        if (!isPermission(sj)) continue
        const a = ctx.groups[i]!.id
        const b = ctx.groups[j]!.id
        emit('SIG-01', 'reject', [a, b], start, `${a} and ${b} conflict but both have right of way (${a} ${STATE_NAMES[si]}, ${b} ${STATE_NAMES[sj]}) at ${at(c, start)}, for ${fmtS(end - start)}`)
      }
    }
  })
}

function allowedChange(ctx: RuleContext, g: SignalGroup, from: number, to: number): boolean {
  const p = ctx.profile
  const ped = g.type === 'pedestrian'
  if (from === ST.G && to === ST.Gflash) return true
  if (from === ST.Gflash && to === ST.G) return true
  if (ped && !p.pedestrianYellow) return (isGreen(from) && to === ST.R) || (from === ST.R && to === ST.G)
  if (isGreen(from) && to === ST.Y) return true
  if (from === ST.Y && to === ST.R) return true
  if (from === ST.R && to === ST.G) return true
  if (p.redAmber.allowed && !ped && ((from === ST.R && to === ST.RY) || (from === ST.RY && to === ST.G))) return true
  return false
}

function sequences(ctx: RuleContext, c: TimelineCase, emit: Emit): void {
  const { tl } = c
  ctx.groups.forEach((g, i) => {
    const s = tl.state[i]!
    for (let t = 1; t < tl.length; t++) {
      const from = s[t - 1]!
      const to = s[t]!
      if (from === to) continue
      if (from === ST.FY || from === ST.DARK) {
        if (to !== ST.R) emit('SIG-13', 'reject', [g.id], t, `${g.id} goes straight from ${STATE_NAMES[from]} to ${STATE_NAMES[to]} at ${at(c, t)}: leaving flash, every head must show red first (all-red ≥ the largest intergreen)`, spanContext(c, t - 1, t))
        continue
      }
      if (allowedChange(ctx, g, from, to)) continue
      const why =
        to === ST.RY || from === ST.RY
          ? ctx.profile.redAmber.allowed
            ? 'red+amber is for vehicle heads only, between red and green'
            : 'red+amber is not used in Italy (art. 159 c.3 Reg. CdS: green → yellow → red)'
          : isGreen(from) && to === ST.R
            ? ctx.profile.pedestrianYellow || g.type !== 'pedestrian'
              ? 'green must end with a yellow'
              : 'not a legal sequence'
            : 'the legal sequence is green → yellow → red → green'
      emit('SIG-03', 'reject', [g.id], t, `${g.id} changes ${STATE_NAMES[from]} → ${STATE_NAMES[to]} at ${at(c, t)}: ${why}`, spanContext(c, t - 1, t))
    }
    if (ctx.profile.redAmber.allowed) {
      for (const r of runs(tl, i, (x) => x === ST.RY)) {
        const len = r.end - r.start
        if (!r.complete) continue
        if (len < ctx.profile.redAmber.minS * 10 || len > ctx.profile.redAmber.maxS * 10)
          emit('SIG-03', 'reject', [g.id], r.start, `${g.id} red+amber lasts ${fmtS(len)} from ${at(c, r.start)}: it must be ${ctx.profile.redAmber.minS}–${ctx.profile.redAmber.maxS} s`, spanContext(c, r.start, r.end - 1))
      }
    }
  })
}

function yellows(ctx: RuleContext, c: TimelineCase, emit: Emit): void {
  const p = ctx.profile
  ctx.groups.forEach((g, i) => {
    if (!isVehicleLike(g)) return
    for (const r of runs(c.tl, i, (x) => x === ST.Y)) {
      const len = r.end - r.start
      if (!r.complete) {
        // Cut by the timeline's ends (a yellow that never ends, or one of a startup's first plan): only "too long" is certain.
        if (len > Math.round(p.yellowMaxS * 10)) emit('SIG-04', 'reject', [g.id], r.start, `${g.id} yellow lasts more than ${fmtS(len)} from ${at(c, r.start)}: over the ${p.yellowMaxS.toFixed(1)} s cap`)
        continue
      }
      const where = `${g.id} yellow is ${fmtS(len)} from ${at(c, r.start)}`
      const context = spanContext(c, r.start, r.end - 1)
      const req = requiredYellowS(p, g)
      if (len < Math.round(req.floorS * 10)) {
        emit('SIG-04', 'reject', [g.id], r.start, `${where}: under the ${req.floorS.toFixed(1)} s legal floor (MIT 67906/2007; the conflict monitor faults under 2.7 s)`, context)
        continue
      }
      if (len > Math.round(p.yellowMaxS * 10)) {
        emit('SIG-04', 'reject', [g.id], r.start, `${where}: over the ${p.yellowMaxS.toFixed(1)} s cap (a long yellow invites running it)`, context)
        continue
      }
      if (g.type === 'cyclist') continue
      if (req.tableS !== null && len < Math.round(req.tableS * 10)) {
        emit('SIG-04', 'reject', [g.id], r.start, `${where}: RiLSA requires ${req.tableS.toFixed(1)} s of amber at ${g.speedKmh} km/h`, context)
        continue
      }
      if (len < Math.round(req.kinematicS * 10)) {
        emit('SIG-04', p.kinematicYellow, [g.id], r.start, `${where}: the kinematic (ITE) yellow for ${g.speedKmh} km/h${g.gradePct ? ` on a ${g.gradePct} % grade` : ''} is ${req.kinematicS.toFixed(1)} s`, context)
        continue
      }
      const rec = p.recommendedYellowS ? (g.extraUrban ? p.recommendedYellowS.extraUrban : p.recommendedYellowS.urban) : null
      if (rec !== null && len < rec * 10) emit('SIG-04', 'warn', [g.id], r.start, `${where}: the ministry recommends ${rec.toFixed(1)} s ${g.extraUrban ? 'outside' : 'in'} built-up areas (MIT 67906/2007)`, context)
      else if (!g.extraUrban && len > p.yellowWarnAboveS * 10) emit('SIG-04', 'warn', [g.id], r.start, `${where}: above ${p.yellowWarnAboveS.toFixed(1)} s in a built-up area`, context)
    }
  })
}

function intergreens(ctx: RuleContext, c: TimelineCase, emit: Emit): void {
  const { tl } = c
  const ends = ctx.groups.map((_, g) => lastGreenEnds(tl, g))
  ctx.groups.forEach((gj, j) => {
    const starts = greenStarts(tl, j)
    if (starts.length === 0) return
    ctx.groups.forEach((gi, i) => {
      if (!ctx.conflict[i]![j]) return
      const ig = ctx.igTicks[i]![j]
      if (ig === null || ig === undefined) return
      const si = tl.state[i]!
      for (const t of starts) {
        if (isGreen(si[t]!) && isGreen(si[t - 1]!)) {
          // The entering green starts while the clearing one still runs: a negative intergreen.
          let te = t
          while (te < tl.length && isGreen(si[te]!)) te++
          emit('SIG-06', 'reject', [gi.id, gj.id], t, `intergreen ${gi.id} → ${gj.id} is negative: ${gj.id}'s green starts at ${at(c, t)} while ${gi.id} is still green${te < tl.length ? ` (until ${at(c, te)})` : ''}; the matrix requires ${fmtS(ig)}`, te < tl.length ? spanContext(c, t, te) : undefined)
          continue
        }
        // When both turn green at the same tick, the clearing group's previous green end counts.
        const te = ends[i]![t]!
        if (te < 0 || t - te >= ig) continue
        emit('SIG-06', 'reject', [gi.id, gj.id], t, `intergreen ${gi.id} → ${gj.id} is ${fmtS(t - te)}: ${gi.id}'s green ends at ${at(c, te)} and ${gj.id}'s starts at ${at(c, t)}; the matrix requires ${fmtS(ig)}`, spanContext(c, te, t))
      }
    })
  })
}

function minGreenTicks(ctx: RuleContext, g: SignalGroup): { ticks: number; why: string } {
  const p = ctx.profile
  if (g.type !== 'pedestrian') {
    const s = g.minGreenS ?? p.minGreenVehicleS
    return { ticks: Math.round(s * 10), why: `minimum green ${s} s` }
  }
  let s = g.minGreenS ?? p.minGreenPedestrianS
  let why = `minimum pedestrian green ${s} s`
  if (!p.pedestrianYellow && g.crossing) {
    // RiLSA: long enough to reach the middle of the second carriageway.
    const first = g.crossing.refugeAtM ?? 0
    const reach = (first + (g.crossing.lengthM - first) / 2) / pedestrianSpeedMs(p, g.crossing.sensitive)
    if (reach > s) {
      s = Math.ceil(reach * 10) / 10
      why = `a pedestrian must reach the middle of the second carriageway (${s} s)`
    }
  }
  return { ticks: Math.round(s * 10), why }
}

function minimumGreens(ctx: RuleContext, c: TimelineCase, emit: Emit): void {
  ctx.groups.forEach((g, i) => {
    const need = minGreenTicks(ctx, g)
    for (const r of runs(c.tl, i, isGreen)) {
      if (!r.complete || r.end - r.start >= need.ticks) continue
      emit('SIG-07', 'reject', [g.id], r.start, `${g.id} green lasts ${fmtS(r.end - r.start)} from ${at(c, r.start)}: below the ${need.why}`, spanContext(c, r.start, r.end - 1))
    }
  })
}

function pedestrianClearance(ctx: RuleContext, c: TimelineCase, emit: Emit): void {
  const { tl } = c
  const p = ctx.profile
  ctx.groups.forEach((g, i) => {
    if (g.type !== 'pedestrian') return
    if (!g.crossing) {
      const t = greenStarts(tl, i)[0] ?? 0
      emit('SIG-08', 'warn', [g.id], t, `${g.id} has no crossing length: its clearance time (SIG-08) cannot be checked`)
      return
    }
    const v = pedestrianSpeedMs(p, g.crossing.sensitive)
    const first = g.crossing.refugeAtM
    const lengthM = first !== null && first < g.crossing.lengthM ? Math.max(first, g.crossing.lengthM - first) : g.crossing.lengthM
    const needTicks = Math.ceil((lengthM / v) * 10 - 1e-9)
    const foes = ctx.groups.map((gj, j) => (ctx.conflict[i]![j] && isVehicleLike(gj) ? j : -1)).filter((j) => j >= 0)
    const foeStarts = foes.map((j) => greenStarts(tl, j))
    const s = tl.state[i]!
    for (let te = 1; te < tl.length; te++) {
      if (!(isGreen(s[te - 1]!) && !isGreen(s[te]!))) continue
      let next = -1
      let who = -1
      foeStarts.forEach((starts, k) => {
        const t = starts.find((x) => x >= te)
        if (t !== undefined && (next < 0 || t < next)) {
          next = t
          who = foes[k]!
        }
      })
      if (next < 0) continue
      const foe = ctx.groups[who]!
      if (next - te < needTicks) {
        emit('SIG-08', 'reject', [g.id, foe.id], te, `${g.id}'s pedestrians have ${fmtS(next - te)} from the end of green (${at(c, te)}) before ${foe.id} gets green; crossing ${lengthM} m at ${v} m/s${g.crossing.sensitive ? ' (sensitive site)' : ''} needs ${fmtS(needTicks)}`, spanContext(c, te, next))
        continue
      }
      let redFrom = te
      while (redFrom < next && s[redFrom] !== ST.R) redFrom++
      if (next - redFrom < p.pedestrianBufferS * 10)
        emit('SIG-08', 'warn', [g.id, foe.id], te, `only ${fmtS(next - redFrom)} of red between ${g.id}'s clearance and ${foe.id}'s green (MUTCD buffer ${p.pedestrianBufferS} s)`, spanContext(c, te, next))
    }
  })
}

function pedestrianMaxRed(ctx: RuleContext, c: TimelineCase, emit: Emit): void {
  const max = ctx.profile.pedestrianMaxRedWarnS * 10
  ctx.groups.forEach((g, i) => {
    if (g.type !== 'pedestrian' || g.onDemand) return
    for (const r of runs(c.tl, i, (x) => x === ST.R)) {
      if (r.complete && r.end - r.start > max) emit('SIG-09', 'warn', [g.id], r.start, `pedestrians at ${g.id} wait ${fmtS(r.end - r.start)} on red from ${at(c, r.start)}: more than ${ctx.profile.pedestrianMaxRedWarnS} s invites crossing on red`)
    }
  })
}
