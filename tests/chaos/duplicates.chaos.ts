/**
 * A duplicate storm and a replay (issue 4, item 3): every reading published 3 times, then 10,000 old
 * readings replayed exactly as first sent. Idempotent writes absorb every copy. Pass: 0 lost,
 * 0 duplicates, 0 unexpected, and the replay changes no latest state.
 */
import { describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait-for'
import { chaosWorld, ingestDuplicates } from './harness/scenario'

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
    const absorbed = await ingestDuplicates(gemello())
    await world.fleet.replay(world.fleet.sent.slice(0, 10_000))
    // The replay is through once the ingest has recognised each of its 10,000 readings as a duplicate.
    await waitFor(async () => (await ingestDuplicates(gemello())) >= absorbed + 10_000, 'the ingest to absorb the replay', 60_000, 250)
    rep = await world.reconcile()
    report.reconciliation = rep
    expect(rep).toMatchObject({ published: TOTAL, stored: TOTAL, lost: 0, duplicates: 0, unexpected: 0 })
    expect(await latest()).toBe(before)
    const dups = await ingestDuplicates(gemello())
    report.duplicatesAbsorbed = dups
    // At least the two extra copies of every reading and the whole replay were recognised as such.
    expect(dups).toBeGreaterThanOrEqual(2 * TOTAL + 10_000)
  })
})
