/**
 * The negative control: the harness must SEE loss when there is loss. Mosquitto with its default
 * autosave (every 30 min), devices that forget a reading at the broker's PUBACK, and the ingest down
 * for 3 s before each of 3 broker kills so that thousands of readings sit in the broker's
 * memory when it dies. Pass: the report shows lost > 0 and lists the missing ranges (the gaps Gemello's
 * scan opened are in the report). (The ingest is killed, not frozen, before each broker kill: a frozen
 * ingest still holds what the broker had already written to its socket, so loss would be left to chance.)
 */
import { describe, expect, it } from 'vitest'
import { chaosWorld, sleep } from './harness/scenario'

describe('negative control: devices without an outbox, broker without timely saves', () => {
  const report: Record<string, unknown> = {}
  const { world, gemello } = chaosWorld('negative-control', { devices: 50, mode: 'drop-on-puback', mosquitto: { autosaveInterval: 1800 } }, report)

  it('reports the loss, with the missing ranges', async () => {
    // Long enough that readings follow each loss: the gap scan sees holes, not only a lost tail.
    const streaming = world.fleet.stream(60_000, 1000)
    for (let k = 0; k < 3; k++) {
      await sleep(2000)
      // Readings queue in the broker for the ingest's session, PUBACKed to devices that then forget them…
      await gemello().stop('SIGKILL')
      await sleep(3000)
      // …and the broker dies before it saves them.
      await world.mq.kill('SIGKILL')
      await world.mq.start()
      await gemello().start()
    }
    await streaming
    // Give the pipeline (and the gap scan) time: what can arrive has arrived.
    await sleep(15_000)
    const rep = await world.reconcile()
    const gaps = await world.testDb.db.query<{ n: string }>(`SELECT count(*) AS n FROM seq_gap WHERE device_id LIKE 'cx-%'`)
    report.reconciliation = rep
    report.gapsOpened = Number(gaps.rows[0]!.n)
    expect(rep.lost).toBeGreaterThan(0)
    expect(rep.published).toBe(rep.stored + rep.quarantined + rep.declaredLost + rep.lost)
    expect(rep.missing.length).toBeGreaterThan(0)
  })
})
