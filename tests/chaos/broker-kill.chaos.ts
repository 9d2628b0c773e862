/**
 * The broker killed (SIGKILL) 10 times during a 100,000-reading stream (issue 4, item 3). Mosquitto runs
 * the production configuration (persistence, autosave every second): what it queued in the last second
 * before a kill is gone from the broker, but not from the devices' outboxes — Gemello's gap scan asks
 * for it again and the devices re-send it. Pass: 0 lost, 0 duplicates, 0 unexpected.
 */
import { describe, expect, it } from 'vitest'
import { chaosWorld, streamWithFaults } from './harness/scenario'

const TOTAL = Number(process.env.CHAOS_READINGS ?? 100_000)
const RATE = Number(process.env.CHAOS_RATE ?? 1000)
const KILLS = Number(process.env.CHAOS_KILLS ?? 10)
const SEED = Number(process.env.CHAOS_SEED ?? 20261126)

describe('broker SIGKILL ×10 during a 100,000-reading stream', () => {
  const report: Record<string, unknown> = { seed: SEED, readings: TOTAL, ratePerS: RATE }
  const { world } = chaosWorld('broker-kill', { devices: 100, mode: 'keep' }, report)

  it('loses nothing and stores nothing twice', async () => {
    const { reconciliation: rep } = await streamWithFaults(world, {
      total: TOTAL,
      rate: RATE,
      faults: KILLS,
      seed: SEED,
      key: 'kills',
      report,
      down: () => world.mq.kill('SIGKILL'),
      up: () => world.mq.start(),
    })
    report.commands = world.fleet.commands
    expect(rep.published).toBe(TOTAL)
    expect(rep).toMatchObject({ lost: 0, duplicates: 0, unexpected: 0 })
    expect(world.fleet.unconfirmed()).toBe(0)
  })
})
