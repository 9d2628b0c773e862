import { describe, expect, it } from 'vitest'
import { parseDeviceKey, planKey } from '../../contracts/mqtt-identity'
import { SignalPlanSchema, type SignalPlan } from '../../contracts/schemas/signal-plan'
import { plan, withRows } from '../../contracts/signal-safety/testing/signal-factories'
import { planAckTopic, planHashOf, signPlanCommand, type PlanAck, type PlanCommand } from '../../contracts/signal-deploy'
import { controllerIdOf, PlanHistory, secondsToSwitchPoint, SignalControllerSim, stageOf, type SignalControllerSimOptions } from './signal-controller-sim'
import { signalStageStream } from './synthetic-streams'

const KEY = parseDeviceKey('22'.repeat(32))
const DEVICE = 'signal-J1'
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0) // a whole minute: the synthetic 90 s cycle is at second 0 every 90 s from the epoch

/** A controller on a hand-driven clock: sim time = wall time, timers fire on `advance`. */
function harness(o: Partial<SignalControllerSimOptions> = {}) {
  let now = T0
  const timers: Array<{ at: number; fn: () => void; id: number }> = []
  let ids = 0
  const sent: Array<{ topic: string; ack: PlanAck }> = []
  const history = new PlanHistory()
  const ctrl = (key: Uint8Array) =>
    new SignalControllerSim({
      deviceId: DEVICE,
      controllerId: 'J1',
      planKey: key,
      history,
      now: () => now,
      wallNow: () => now,
      wallMsUntil: (t) => Math.max(0, t - now),
      publish: async (topic, payload) => void sent.push({ topic, ack: JSON.parse(payload) as PlanAck }),
      setTimer: (fn, ms) => {
        const id = ++ids
        timers.push({ at: now + ms, fn, id })
        return id
      },
      clearTimer: (h) => {
        const i = timers.findIndex((t) => t.id === h)
        if (i >= 0) timers.splice(i, 1)
      },
      ...o,
    })
  return {
    history,
    sent,
    ctrl,
    get now() {
      return now
    },
    async advance(ms: number, c: SignalControllerSim) {
      const until = now + ms
      for (;;) {
        timers.sort((a, b) => a.at - b.at)
        const t = timers[0]
        if (!t || t.at > until) break
        timers.shift()
        now = t.at
        t.fn()
        await c.settled()
      }
      now = until
    },
  }
}

async function command(p: SignalPlan, over: Partial<PlanCommand> = {}, key?: Uint8Array): Promise<PlanCommand> {
  const k = key ?? (await planKey(KEY, DEVICE))
  const base = { deploymentId: 11, controllerId: 'J1', sequence: 1, planId: p.id, version: 1, planHash: await planHashOf(p), groups: ['A', 'B', 'P'], ...over }
  return { ...base, plan: p, signature: await signPlanCommand(k, base), attempt: 1, sentAtMs: T0, ...('signature' in over ? { signature: over.signature! } : {}) }
}

const day = SignalPlanSchema.parse(plan())

describe('a simulated signal controller taking a plan', () => {
  it('verifies, stages, answers staged with the time to its switch point, switches there and answers activated', async () => {
    const h = harness()
    const c = h.ctrl(await planKey(KEY, DEVICE))
    await h.advance(30_000, c) // 30 s into the synthetic 90 s cycle: its switch point is 60 s away
    await c.handle(JSON.stringify(await command(day)))
    expect(h.sent.map((s) => [s.topic, s.ack.status, s.ack.activateInMs])).toEqual([[planAckTopic(DEVICE), 'staged', 60_000]])
    await h.advance(59_000, c)
    expect(h.history.size).toBe(0)
    await h.advance(1_000, c)
    expect(h.sent[1]!.ack).toMatchObject({ status: 'activated', deploymentId: 11, sequence: 1, runningSequence: 1, planHash: await planHashOf(day) })
    expect(h.sent[1]!.ack.detail).toContain('switched from the local program')
    // The stage stream now reports the plan: its id and version, the interval running now.
    const stream = signalStageStream({ id: DEVICE, kind: 'signal-controller', position: [11.3, 44.5], expectedIntervalS: 5, props: {} }, h.history)
    expect(stream.valuesAt(h.now - 1000)).toMatchObject({ programId: 'utopia' })
    expect(stream.valuesAt(h.now)).toEqual({ programId: 'day@v1', stage: 0, mode: 'fixed', cycleSecond: 0 })
    expect(stream.valuesAt(h.now + 31_000)).toMatchObject({ programId: 'day@v1', stage: 1, cycleSecond: 31 })
    expect(stream.valuesAt(h.now + 72_000 + 46_000)).toMatchObject({ stage: 4, cycleSecond: 46 })
  })

  it('in fast mode switches after at most switchWithinMs', async () => {
    const h = harness({ switchWithinMs: 250 })
    const c = h.ctrl(await planKey(KEY, DEVICE))
    await c.handle(JSON.stringify(await command(day)))
    expect(h.sent[0]!.ack).toMatchObject({ status: 'staged', activateInMs: 0 }) // T0 is a switch point of the synthetic cycle
    await h.advance(10_000, c)
    const c2 = h.ctrl(await planKey(KEY, DEVICE))
    c2.runningSequence = 1
    await h.advance(5_000, c2)
    await c2.handle(JSON.stringify(await command(day, { sequence: 2, deploymentId: 12 })))
    expect(h.sent.at(-1)!.ack).toMatchObject({ status: 'staged', activateInMs: 250 })
    await h.advance(250, c2)
    expect(h.sent.at(-1)!.ack).toMatchObject({ status: 'activated', deploymentId: 12 })
  })

  it('answers a repeated command again, and refuses a replayed older sequence', async () => {
    const h = harness({ switchWithinMs: 0 })
    const c = h.ctrl(await planKey(KEY, DEVICE))
    const first = JSON.stringify(await command(day))
    await c.handle(first)
    await h.advance(1, c)
    await c.handle(JSON.stringify(await command(day, { sequence: 2, deploymentId: 12 })))
    await h.advance(1, c)
    expect(c.runningSequence).toBe(2)
    await c.handle(JSON.stringify(await command(day, { sequence: 2, deploymentId: 12 })))
    expect(h.sent.at(-1)!.ack).toMatchObject({ status: 'activated', deploymentId: 12, detail: 'already running' })
    await c.handle(first) // the replayed older command, validly signed
    expect(h.sent.at(-1)!.ack).toMatchObject({ status: 'refused', reason: 'stale-sequence', deploymentId: 11, sequence: 1, runningSequence: 2 })
    expect(h.history.latest()).toMatchObject({ sequence: 2, deploymentId: 12 })
    expect(c.stats.refused).toEqual({ 'stale-sequence': 1 })
  })

  it('refuses a plan tampered in transit, a bad signature, another controller and a malformed command — and says why', async () => {
    const h = harness({ switchWithinMs: 0 })
    const key = await planKey(KEY, DEVICE)
    const c = h.ctrl(key)
    const good = await command(day)
    c.faults.tamper = true
    await c.handle(JSON.stringify(good))
    c.faults.tamper = false
    // Changed in transit without the fault: the plan differs from its signed hash.
    await c.handle(JSON.stringify({ ...good, plan: { ...good.plan, cycleS: 73, intervals: [{ ...good.plan.intervals[0]!, durationS: 31 }, ...good.plan.intervals.slice(1)] } }))
    await c.handle(JSON.stringify(await command(day, {}, await planKey(KEY, 'signal-J2'))))
    await c.handle(JSON.stringify({ ...good, groups: ['B', 'A', 'P'] }))
    await c.handle(JSON.stringify(await command({ ...day, controllerId: 'J2' }, { controllerId: 'J2' })))
    await c.handle(JSON.stringify({ ...good, plan: { ...good.plan, intervals: 'x' } }))
    const short = SignalPlanSchema.parse(plan(withRows({ 0: [30, 'G', 'R', 'G'] }).map((r) => r.slice(0, 3) as never)))
    await c.handle(JSON.stringify(await command(short)))
    await c.handle('not json')
    await c.handle(JSON.stringify({ hello: 'world' }))
    expect(h.sent.map((s) => s.ack.reason)).toEqual(['hash-mismatch', 'hash-mismatch', 'bad-signature', 'bad-signature', 'wrong-controller', 'invalid-plan', 'invalid-plan'])
    expect(h.sent.every((s) => s.ack.status === 'refused' && s.ack.deploymentId === 11 && s.ack.runningSequence === 0)).toBe(true)
    expect(h.sent[0]!.ack.planHash).toBe(good.planHash)
    expect(c.stats.unanswerable).toBe(2)
    expect(h.history.size).toBe(0)
  })

  it('never answers when silent', async () => {
    const h = harness({ faults: { silent: true }, switchWithinMs: 0 })
    const c = h.ctrl(await planKey(KEY, DEVICE))
    await c.handle(JSON.stringify(await command(day)))
    await h.advance(100_000, c)
    expect(h.sent).toEqual([])
    expect(c.stats.ignored).toBe(1)
  })
})

describe('switch points and stages', () => {
  const p = SignalPlanSchema.parse({ ...plan(), switchPoints: [10, 50] })
  const a = { sinceMs: T0, plan: p, planId: p.id, version: 3, sequence: 1, deploymentId: 1, entrySecond: 10 }
  it('waits for the running plan’s next switch point', () => {
    expect(secondsToSwitchPoint(a, T0, 90)).toBe(0)
    expect(secondsToSwitchPoint(a, T0 + 1000, 90)).toBeCloseTo(39)
    expect(secondsToSwitchPoint(a, T0 + 45_000, 90)).toBeCloseTo(27) // second 55 → 10 of the next cycle (72 s)
    expect(secondsToSwitchPoint(null, T0 + 30_000, 90)).toBeCloseTo(60)
  })
  it('reports the interval running at each second of the cycle', () => {
    expect(stageOf(a, T0)).toMatchObject({ programId: 'day@v3', stage: 0, cycleSecond: 10 })
    expect(stageOf(a, T0 + 25_000)).toMatchObject({ stage: 1, cycleSecond: 35 })
    expect(stageOf(a, T0 + 61_000)).toMatchObject({ stage: 6, cycleSecond: 71 })
    expect(stageOf(a, T0 + 62_000)).toMatchObject({ stage: 0, cycleSecond: 0 })
  })
  it('knows which controller a device answers for', () => {
    expect(controllerIdOf({ id: 'signal-209', props: { tlsId: '209' } })).toBe('209')
    expect(controllerIdOf({ id: 'signal-209', props: {} })).toBe('209')
    expect(controllerIdOf({ id: 'ctl-x', props: { controllerId: 'X1' } })).toBe('X1')
    expect(controllerIdOf({ id: 'ctl-x', props: {} })).toBeNull()
  })
})
