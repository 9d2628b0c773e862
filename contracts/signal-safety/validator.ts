/**
 * The signal-safety validator (docs/signals.md): every rule SIG-01 … SIG-14 of
 * ../shared/docs/reference/reliability-security.md §1.2 on a controller and its plans. Pure and
 * synchronous, so the editor runs it as you type and the server runs the same code at deploy.
 *
 * Each plan is expanded to a 0.1 s timeline over two cycles (the cycle wrap is inside it), with its
 * actuated intervals at nominal, minimum and maximum length; then every switch between two plans
 * at their switch points, and the startup sequence (flash → all-red → the plan at each switch
 * point). Malformed input is not an exception: it is a SIG-10 (or SIG-02) finding.
 */
import { SignalControllerSchema, type SignalPlan } from '../schemas/signal-plan'
import { Reporter, buildContext, isVehicleLike, type RuleContext } from './context'
import { profileOf, type ValidatorOptions } from './profiles'
import {
  checkConflictMatrix,
  checkFixedClearances,
  checkIntergreenMatrix,
  checkOffProgram,
  checkPlanStructure,
  checkSchedule,
  checkServiceAndCycle,
  checkStartupConfig,
} from './structure-rules'
import { checkTimeline } from './timeline-rules'
import { PART, ST, STATE_NAMES, TimelineBuilder, runs, toTicks, type TickPlan } from './timeline'
import { VALIDATOR_VERSION, type ValidationReport } from './violation'

export type { ValidatorOptions } from './profiles'

type Variant = 'nominal' | 'shortest' | 'longest'

function tickPlan(plan: SignalPlan, index: number, variant: Variant): TickPlan {
  const ticks = plan.intervals.map((iv) => toTicks(variant === 'shortest' ? (iv.minS ?? iv.durationS) : variant === 'longest' ? (iv.maxS ?? iv.durationS) : iv.durationS))
  const states = plan.intervals.map((iv) => Uint8Array.from(iv.states, (s) => ST[s]))
  return { index, id: plan.id, ticks, states, cycleTicks: ticks.reduce((a, b) => a + b, 0) }
}

const isActuated = (plan: SignalPlan) => plan.intervals.some((iv) => (iv.minS ?? iv.durationS) !== iv.durationS || (iv.maxS ?? iv.durationS) !== iv.durationS)

/** The longest yellow of each group in the plan, in ticks (the profile's floor when it has none). */
function yellowTicks(ctx: RuleContext, plan: SignalPlan, tp: TickPlan): (g: number) => number {
  const tl = new TimelineBuilder(ctx.n).plan(tp, 0, tp.cycleTicks * 2, PART.main).build()
  const longest = ctx.groups.map((g, i) => {
    if (!isVehicleLike(g)) return 0
    const r = runs(tl, i, (s) => s === ST.Y).map((x) => x.end - x.start)
    return r.length > 0 ? Math.max(...r) : toTicks(ctx.profile.yellowFloorS)
  })
  return (g) => longest[g] ?? 0
}

export function validateSignals(controllerRaw: unknown, plansRaw: readonly unknown[], opts: ValidatorOptions = {}): ValidationReport {
  const report = new Reporter()
  const parsed = SignalControllerSchema.safeParse(controllerRaw)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) report.add('SIG-10', 'reject', [], { context: 'structure' }, `controller: ${issue.path.join('.') || '(controller)'}: ${issue.message}`)
    return finish(report, opts.profile ?? 'it')
  }
  const controller = parsed.data
  const profile = profileOf(controller.profile, opts)
  const ctx = buildContext(controller, profile, report)
  checkConflictMatrix(ctx)
  checkStartupConfig(ctx)

  const plans: SignalPlan[] = []
  plansRaw.forEach((raw, k) => {
    const plan = checkPlanStructure(ctx, raw, k)
    if (!plan) return
    if (plans.some((p) => p.id === plan.id)) report.add('SIG-10', 'reject', [], { plan, context: 'structure' }, `plan id ${plan.id} is used twice`)
    else plans.push(plan)
  })
  const submitted = new Set(plansRaw.map((p) => (typeof p === 'object' && p !== null ? String((p as { id?: unknown }).id) : '')))
  checkSchedule(ctx, plans, submitted)

  const running = plans.filter((p) => p.control !== 'off')
  for (const p of plans) if (p.control === 'off') checkOffProgram(ctx, p)

  const variantsOf = (p: SignalPlan): Variant[] => (isActuated(p) ? ['nominal', 'shortest', 'longest'] : ['nominal'])
  const all = running
  running.forEach((plan, k) => {
    checkFixedClearances(ctx, plan)
    checkServiceAndCycle(ctx, plan)
    for (const variant of variantsOf(plan)) {
      const tp = tickPlan(plan, k, variant)
      const tl = new TimelineBuilder(ctx.n).plan(tp, 0, tp.cycleTicks * 2, PART.main).build()
      checkTimeline(ctx, { tl, plans: all, kind: 'cycle', variant, mainPlan: plan })
      if (variant === 'nominal') checkIntergreenMatrix(ctx, plan, yellowTicks(ctx, plan, tp))
    }
  })

  // Every switch between two running plans, at each plan's switch points (nominal and shortest).
  running.forEach((from, a) => {
    running.forEach((to, b) => {
      if (a === b) return
      for (const variant of ['nominal', 'shortest'] as const) {
        if (variant === 'shortest' && !isActuated(from) && !isActuated(to)) continue
        const pa = tickPlan(from, a, variant)
        const pb = tickPlan(to, b, variant)
        for (const s1 of from.switchPoints) {
          for (const s2 of to.switchPoints) {
            const tl = new TimelineBuilder(ctx.n).plan(pa, toTicks(s1), pa.cycleTicks, PART.from).plan(pb, toTicks(s2), pb.cycleTicks * 2, PART.main).build()
            checkTimeline(ctx, { tl, plans: all, kind: 'transition', variant, mainPlan: to, fromPlan: from })
          }
        }
      }
    })
  })

  // Startup (and the exit from flash): flashing yellow / dark, all red, then each plan at each switch point.
  if (controller.startup) {
    const flash = Uint8Array.from(ctx.groups, (g) => (isVehicleLike(g) ? ST.FY : ST.DARK))
    const allRed = new Uint8Array(ctx.n).fill(ST.R)
    running.forEach((plan, k) => {
      const tp = tickPlan(plan, k, 'nominal')
      for (const s of plan.switchPoints) {
        const b = new TimelineBuilder(ctx.n)
        if (controller.startup!.flashS > 0) b.constant(flash, toTicks(controller.startup!.flashS), PART.flash)
        if (controller.startup!.allRedS > 0) b.constant(allRed, toTicks(controller.startup!.allRedS), PART.allRed)
        const tl = b.plan(tp, toTicks(s), tp.cycleTicks * 2, PART.main).build()
        checkTimeline(ctx, { tl, plans: all, kind: 'startup', variant: 'nominal', mainPlan: plan })
      }
    })
  }
  return finish(report, profile.id)
}

function finish(report: Reporter, profile: 'it' | 'de'): ValidationReport {
  const order = (r: string) => Number(r.slice(4))
  const violations = [...report.violations].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'reject' ? -1 : 1) || order(a.rule) - order(b.rule) || (a.planId ?? '').localeCompare(b.planId ?? '') || (a.atS ?? 0) - (b.atS ?? 0))
  const rejects = violations.filter((v) => v.severity === 'reject').length
  return { validatorVersion: VALIDATOR_VERSION, profile, ok: rejects === 0, rejects, warnings: violations.length - rejects, violations }
}

/** One plan in the editor: the controller's other plans are not considered (no switches). */
export function validatePlan(controller: unknown, plan: unknown, opts: ValidatorOptions = {}): ValidationReport {
  const planId = typeof plan === 'object' && plan !== null ? (plan as { id?: unknown }).id : undefined
  const c = typeof controller === 'object' && controller !== null ? (controller as { schedule?: unknown }) : null
  const schedule = Array.isArray(c?.schedule) ? (c.schedule as Array<{ planId?: unknown }>).filter((e) => e?.planId === planId) : undefined
  return validateSignals(schedule && c ? { ...c, schedule } : controller, [plan], opts)
}

export { STATE_NAMES }
