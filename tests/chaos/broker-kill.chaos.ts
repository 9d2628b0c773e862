/**
 * The broker killed (SIGKILL) 10 times during a 100,000-reading stream (issue 4, item 3). Mosquitto runs
 * the production configuration (persistence, autosave every second): what it queued in the last second
 * before a kill is gone from the broker, but not from the devices' outboxes — Gemello's gap scan asks
 * for it again and the devices re-send it. Pass: 0 lost, 0 duplicates, 0 unexpected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mulberry32 } from '../../simulator/src/prng'
import type { GemelloProcess } from '../helpers/gemello-process'
import { sleep, World } from './harness/scenario'

const TOTAL = Number(process.env.CHAOS_READINGS ?? 100_000)
const RATE = Number(process.env.CHAOS_RATE ?? 1000)
const KILLS = Number(process.env.CHAOS_KILLS ?? 10)
const SEED = Number(process.env.CHAOS_SEED ?? 20261126)

describe('broker SIGKILL ×10 during a 100,000-reading stream', () => {
  const world = new World({ devices: 100, mode: 'keep' })
  let gemello: GemelloProcess
  const report: Record<string, unknown> = { seed: SEED, readings: TOTAL, ratePerS: RATE }

  beforeAll(async () => {
    await world.start()
    gemello = await world.gemello('server,ingest')
    await gemello.start()
    await world.fleet.start()
  })
  afterAll(async () => {
    await world.stop('broker-kill', report)
  })

  it('loses nothing and stores nothing twice', async () => {
    const rng = mulberry32(SEED)
    const durationMs = (TOTAL / RATE) * 1000
    // Kill instants spread over the stream's first 90 %, downtimes 0.5–5 s.
    const plan = Array.from({ length: KILLS }, (_, i) => ({ atMs: ((i + rng()) / KILLS) * durationMs * 0.9, downMs: 500 + rng() * 4500 }))
    report.kills = plan.map((k) => ({ atMs: Math.round(k.atMs), downMs: Math.round(k.downMs) }))
    const t0 = Date.now()
    const streaming = world.fleet.stream(TOTAL, RATE)
    for (const k of plan) {
      const wait = t0 + k.atMs - Date.now()
      if (wait > 0) await sleep(wait)
      await world.mq.kill('SIGKILL')
      await sleep(k.downMs)
      await world.mq.start()
    }
    await streaming
    report.streamMs = Date.now() - t0
    const rep = await world.settle(180_000)
    report.reconciliation = rep
    report.resent = world.fleet.resent()
    report.commands = world.fleet.commands
    report.settledAfterStreamMs = Date.now() - t0 - (report.streamMs as number)
    expect(rep.published).toBe(TOTAL)
    expect(rep).toMatchObject({ lost: 0, duplicates: 0, unexpected: 0 })
    expect(world.fleet.unconfirmed()).toBe(0)
  })
})
