/**
 * Late, out-of-order and clock-skewed readings (issue 4, item 3), next to a normal stream:
 *  - history replayed an hour late and out of order is stored, and never moves the latest state back;
 *  - a clock 2 minutes fast: stored, flagged once per device (clock_skew_future), not shown as latest;
 *  - a clock an hour fast, or 30 days behind: quarantined with their reason.
 * Pass: published = stored + quarantined, 0 lost, 0 duplicates, 0 unexpected.
 */
import mqtt from 'mqtt'
import { describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait-for'
import { chaosWorld, ingestDuplicates } from './harness/scenario'

describe('late, out-of-order and clock-skewed readings', () => {
  // The fleet's own stream starts 1 h in the past: every reading of it is late.
  const report: Record<string, unknown> = {}
  const { world, gemello } = chaosWorld('time', { devices: 40, mode: 'keep', startInPastMs: 3_600_000 }, report)

  it('stores late and out-of-order readings, flags a fast clock once, quarantines impossible times', async () => {
    // Out of order: the second half of each device's readings is published before the first half.
    await world.fleet.stream(4000, 1000)
    const sent = world.fleet.sent.slice()
    const latest = async () => (await world.testDb.db.query<{ d: string }>(`SELECT string_agg(device_id || ':' || seq, ',' ORDER BY device_id) AS d FROM latest_state WHERE device_id LIKE 'cx-%'`)).rows[0]!.d
    let rep = await world.settle(60_000)
    expect(rep).toMatchObject({ published: 4000, stored: 4000, lost: 0, duplicates: 0 })
    const newest = await latest()
    // The whole history again, newest first: late and out of order; the latest state does not move.
    const absorbed = await ingestDuplicates(gemello())
    await world.fleet.replay(sent.slice().reverse())
    await waitFor(async () => (await ingestDuplicates(gemello())) >= absorbed + sent.length, 'the ingest to absorb the replayed history', 60_000, 250)
    expect(await latest()).toBe(newest)

    // Skewed clocks on devices of their own (seqs far above the fleet's).
    const dev = await mqtt.connectAsync(world.mq.url, { protocolVersion: 5, clientId: 'chaos-clocks' })
    const now = Date.now()
    const cases: Array<[string, number, number]> = [] // device, seq, observedAt
    for (let d = 0; d < 10; d++) {
      cases.push([world.ids[d]!, 1_000_000 + d * 10, now + 120_000]) // 2 min fast: flagged, stored
      cases.push([world.ids[d]!, 1_000_001 + d * 10, now + 121_000]) // again: still one flag per device
      cases.push([world.ids[d]!, 1_000_002 + d * 10, now + 3_600_000]) // 1 h fast: refused
      cases.push([world.ids[d]!, 1_000_003 + d * 10, now - 30 * 86_400_000]) // 30 days old: refused
    }
    for (const [id, seq, observedAt] of cases) {
      await dev.publishAsync(`gemello/v1/traffic-loop/${id}/traffic`, JSON.stringify({ seq, observedAt, values: { flowVehH: 1, occupancyPct: 1, speedKmh: 1, intervalS: 60 } }), { qos: 1 })
    }
    await dev.endAsync()
    // Every one of the 40 is through once 20 are quarantined and 20 stored (each asserted below).
    const through = async () => {
      const r = await world.testDb.db.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM ingest_quarantine WHERE topic LIKE '%/cx-%') + (SELECT count(*) FROM traffic_reading WHERE device_id LIKE 'cx-%' AND quality = 'clock_skew_future') AS n`,
      )
      return Number(r.rows[0]!.n) >= cases.length
    }
    await waitFor(through, 'the skewed readings to be stored or quarantined', 60_000, 250)
    const q = await world.testDb.db.query<{ reason: string; n: string }>(`SELECT reason, count(*) AS n FROM ingest_quarantine WHERE topic LIKE '%/cx-%' GROUP BY 1 ORDER BY 1`)
    const flags = await world.testDb.db.query<{ n: string; total: string }>(`SELECT count(*) AS n, sum(count) AS total FROM device_flag WHERE flag = 'clock_skew_future' AND device_id LIKE 'cx-%'`)
    const skewStored = await world.testDb.db.query<{ n: string }>(`SELECT count(*) AS n FROM traffic_reading WHERE device_id LIKE 'cx-%' AND quality = 'clock_skew_future'`)
    report.quarantine = q.rows
    report.flags = flags.rows[0]
    expect(q.rows.map((r) => [r.reason, Number(r.n)])).toEqual([
      ['timestamp_too_far_future', 10],
      ['timestamp_too_old', 10],
    ])
    expect(Number(skewStored.rows[0]!.n)).toBe(20)
    // One flag row per device, counting both skewed readings.
    expect(Number(flags.rows[0]!.n)).toBe(10)
    expect(await latest()).toBe(newest)
    rep = await world.reconcile()
    report.reconciliation = rep
    expect(rep).toMatchObject({ lost: 0, duplicates: 0 })
  })
})
