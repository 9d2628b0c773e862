/**
 * A duplicate storm and a replay (issue 4, item 3): every reading published 3 times, then 10,000 old
 * readings replayed exactly as first sent. Idempotent writes absorb every copy. Pass: 0 lost,
 * 0 duplicates, 0 unexpected, and the replay changes no latest state.
 */
import { describe, expect, it } from 'vitest'
import { chaosWorld, sleep } from './harness/scenario'

const TOTAL = Number(process.env.CHAOS_READINGS ?? 30_000)

describe('a duplicate storm, then a replay of 10,000 old readings', () => {
  const report: Record<string, unknown> = { readings: TOTAL, copies: 3, replayed: 10_000 }
  const { world, gemello } = chaosWorld('duplicates', { devices: 100, mode: 'keep', copies: 3 }, report)

  it('stores each reading once and never moves the latest state back', async () => {
    await world.fleet.stream(TOTAL, 1000)
    let rep = await world.settle(120_000)
    expect(rep).toMatchObject({ published: TOTAL, lost: 0, duplicates: 0, unexpected: 0 })
    const latest = async () => (await world.testDb.db.query<{ d: string }>(`SELECT string_agg(device_id || ':' || seq || '@' || observed_at, ',' ORDER BY device_id) AS d FROM latest_state WHERE device_id LIKE 'cx-%'`)).rows[0]!.d
    const before = await latest()
    await world.fleet.replay(world.fleet.sent.slice(0, 10_000))
    await sleep(5000)
    rep = await world.reconcile()
    report.reconciliation = rep
    expect(rep).toMatchObject({ published: TOTAL, stored: TOTAL, lost: 0, duplicates: 0, unexpected: 0 })
    expect(await latest()).toBe(before)
    const metrics = await (await fetch(`${gemello().url}/metrics`)).text()
    const dups = Number(/^gemello_ingest_duplicates_total (\d+)/m.exec(metrics)?.[1] ?? 0)
    report.duplicatesAbsorbed = dups
    // At least the two extra copies of every reading and the whole replay were recognised as such.
    expect(dups).toBeGreaterThanOrEqual(2 * TOTAL + 10_000)
  })
})
