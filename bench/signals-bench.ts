/**
 * `npm run bench:signals` — what the signal workbench's checks cost (docs/signals.md). Prints
 * figures; never pass/fail.
 *
 * 1. Safety validation of each of the 13 Bologna UTOPIA plans (joined network, derived as on import):
 *    the full validator (0.1 s timeline over two cycles, actuated variants, startup), repeated, p50
 *    and p95 per plan. Baseline, same run: the independent oracle's plain tick walk over the same plan
 *    (testing/timeline-oracle.ts) — what expanding and walking the timeline alone costs.
 * 2. The reference's latency goal (§1.4): a generated 16-group, 12-interval controller with two plans
 *    and 4 plan-to-plan transitions, p95 (goal ≤ 200 ms, so it can run on every edit).
 * 3. Webster + HCM evaluation of all 13 junctions at once (evaluateAll), with generated demand
 *    (600 veh/h per vehicle group), p50/p95. Baseline: the stage/green-run analysis alone (planTimeline).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { SignalControllerSchema, SignalPlanSchema, type SignalController, type SignalPlan } from '../contracts/schemas/signal-plan'
import { evaluateAll, type EvaluationInput } from '../contracts/signal-evaluation/evaluation'
import { planTimeline } from '../contracts/signal-evaluation/stages'
import { runOracle } from '../contracts/signal-safety/testing/timeline-oracle'
import { validateSignals } from '../contracts/signal-safety/validator'
import { deriveAllSignalModels } from '../geodata/src/sumo/signal-model'
import { parseSumoAdditional } from '../geodata/src/sumo/sumo-additional-parser'
import { parseSumoNet } from '../geodata/src/sumo/sumo-net-parser'
import { CITY_DATA_DIR } from '../tests/helpers/test-env'

const REPEAT = Number(process.env.BENCH_SIGNAL_REPEAT ?? 200)
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!
const f2 = (x: number) => x.toFixed(2)

function time(fn: () => unknown, n = REPEAT): number[] {
  for (let i = 0; i < Math.min(20, n); i++) fn()
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    fn()
    out.push(performance.now() - t0)
  }
  return out
}

function bologna(): Array<{ controller: SignalController; plans: SignalPlan[] }> {
  const dir = path.join(CITY_DATA_DIR, 'sumo-bologna', 'joined')
  const net = parseSumoNet(readFileSync(path.join(dir, 'joined_buslanes.net.xml'), 'utf8'), 'joined_buslanes.net.xml').net
  const programs = parseSumoAdditional(readFileSync(path.join(dir, 'joined_tls.add.xml'), 'utf8'), 'joined_tls.add.xml').additional.tlLogics
  return deriveAllSignalModels(net, programs, { importedAt: new Date(0).toISOString() }).map((m) => ({ controller: SignalControllerSchema.parse(m.controller), plans: m.plans.map((p) => SignalPlanSchema.parse(p)) }))
}

/** 16 groups in 4 stages of 4 (each stage's groups conflict with every other stage's), 12 intervals. */
function large(): { controller: SignalController; plans: SignalPlan[] } {
  const n = 16
  const ids = Array.from({ length: n }, (_, i) => `S${i + 1}`)
  const stage = (i: number) => Math.floor(i / 4)
  const conflicts = ids.map((_, i) => ids.map((__, j) => (i !== j && stage(i) !== stage(j) ? 'x' : '.')).join(''))
  const intergreen: Record<string, Record<string, number>> = {}
  ids.forEach((a, i) => ids.forEach((b, j) => { if (stage(i) !== stage(j)) (intergreen[a] ??= {})[b] = 6 }))
  const controller = SignalControllerSchema.parse({
    id: 'BENCH16', name: 'bench', signalGroups: ids.map((id) => ({ id, name: id, type: 'vehicle', speedKmh: 50 })),
    conflicts, intergreen, startup: { flashS: 5, allRedS: 6 }, schedule: [],
  })
  const plan = (id: string, green: number, switchPoints: number[]): SignalPlan => {
    // Per stage: green, yellow 4 s, all red 2 s → 3 intervals × 4 stages = 12 intervals.
    const intervals = [0, 1, 2, 3].flatMap((s) => [
      { durationS: green, states: ids.map((_, i) => (stage(i) === s ? 'G' : 'R')) },
      { durationS: 4, states: ids.map((_, i) => (stage(i) === s ? 'Y' : 'R')) },
      { durationS: 2, states: ids.map(() => 'R') },
    ])
    return SignalPlanSchema.parse({ id, controllerId: 'BENCH16', name: id, control: 'actuated', cycleS: 4 * (green + 6), offsetS: 0, intervals, switchPoints })
  }
  return { controller, plans: [plan('day', 20, [0, 52]), plan('peak', 24, [0])] }
}

function main(): void {
  const models = bologna()
  console.log(`1. Safety validation of the Bologna UTOPIA plans (joined network), ${REPEAT} runs each:`)
  console.log('   plan           groups intervals   p50 ms   p95 ms   oracle p50 ms   ratio')
  const p95s: number[] = []
  for (const m of models) {
    const plan = m.plans[0]!
    const v = time(() => validateSignals(m.controller, m.plans))
    const o = time(() => runOracle(m.controller, plan))
    p95s.push(q(v, 0.95))
    console.log(`   ${plan.id.padEnd(14)} ${String(m.controller.signalGroups.length).padStart(6)} ${String(plan.intervals.length).padStart(9)} ${f2(q(v, 0.5)).padStart(8)} ${f2(q(v, 0.95)).padStart(8)} ${f2(q(o, 0.5)).padStart(15)} ${f2(q(v, 0.5) / q(o, 0.5)).padStart(6)}×`)
  }
  console.log(`   worst p95 ${f2(Math.max(...p95s))} ms (target ≤ 20 ms per plan)`)

  const big = large()
  const report = validateSignals(big.controller, big.plans)
  const b = time(() => validateSignals(big.controller, big.plans), Math.max(20, Math.floor(REPEAT / 4)))
  console.log(`\n2. 16 groups, 12 intervals, 2 plans, 4 transitions (${report.rejects} rejections, ${report.warnings} warnings): p50 ${f2(q(b, 0.5))} ms, p95 ${f2(q(b, 0.95))} ms (goal ≤ 200 ms)`)

  const inputs: EvaluationInput[] = models.map((m) => ({
    controller: m.controller,
    plan: m.plans[0]!,
    demand: m.controller.signalGroups.filter((g) => g.type !== 'pedestrian').map((g) => ({ groupId: g.id, flowVehH: 600, lanes: Math.max(1, g.lanes.length) })),
  }) as EvaluationInput)
  const e = time(() => evaluateAll(inputs))
  const base = time(() => inputs.map((i) => planTimeline(i.plan.intervals, i.controller.signalGroups.map((g) => g.id))))
  console.log(`\n3. Webster + HCM, all ${inputs.length} junctions: p50 ${f2(q(e, 0.5))} ms, p95 ${f2(q(e, 0.95))} ms (target ≤ 100 ms); stages alone p50 ${f2(q(base, 0.5))} ms — ratio ${f2(q(e, 0.5) / q(base, 0.5))}×`)
}

main()
