/**
 * The intergreens a set of plans actually runs: for every conflicting ordered pair, the shortest
 * time from the end of the clearing group's green to the start of the entering group's green, over
 * two cycles of every plan (nominal, and with actuated intervals at their minimum). An imported
 * controller whose own intergreen matrix is unknown (the SUMO programs carry none) takes these as
 * the upper bound of the matrix the field controller must be running.
 */
import type { SignalController, SignalPlan } from '../schemas/signal-plan'
import { Reporter, buildContext } from './context'
import { PROFILES } from './profiles'
import { PART, ST, TimelineBuilder, greenStarts, lastGreenEnds, toTicks, type TickPlan } from './timeline'

function tick(plan: SignalPlan, index: number, shortest: boolean): TickPlan {
  const ticks = plan.intervals.map((iv) => toTicks(shortest ? (iv.minS ?? iv.durationS) : iv.durationS))
  return { index, id: plan.id, ticks, states: plan.intervals.map((iv) => Uint8Array.from(iv.states, (s) => ST[s])), cycleTicks: ticks.reduce((a, b) => a + b, 0) }
}

/** clearing → entering → seconds, for the conflicting pairs the plans run in that order. */
export function observedIntergreensS(controller: SignalController, plans: readonly SignalPlan[]): Record<string, Record<string, number>> {
  const ctx = buildContext(controller, PROFILES[controller.profile], new Reporter())
  const min = new Map<string, number>()
  plans.forEach((plan, k) => {
    if (plan.control === 'off') return
    for (const shortest of [false, true]) {
      const tp = tick(plan, k, shortest)
      const tl = new TimelineBuilder(ctx.n).plan(tp, 0, tp.cycleTicks * 2, PART.main).build()
      const ends = ctx.groups.map((_, g) => lastGreenEnds(tl, g))
      ctx.groups.forEach((gj, j) => {
        const starts = greenStarts(tl, j)
        ctx.groups.forEach((gi, i) => {
          if (!ctx.conflict[i]![j]) return
          for (const t of starts) {
            const te = ends[i]![t]!
            if (te < 0) continue
            const key = `${gi.id}\u0000${gj.id}`
            min.set(key, Math.min(min.get(key) ?? Infinity, t - te))
          }
        })
      })
    }
  })
  const out: Record<string, Record<string, number>> = {}
  for (const [key, ticks] of min) {
    const [a, b] = key.split('\u0000') as [string, string]
    ;(out[a] ??= {})[b] = ticks / 10
  }
  return out
}
