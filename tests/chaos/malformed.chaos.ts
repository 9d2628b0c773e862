/**
 * 10,000 malformed or oversize messages next to a normal stream (issue 4, item 3): each one is either
 * quarantined with its reason or refused by the broker (a packet over Mosquitto's max_packet_size) —
 * none is lost silently, none stops the pipeline, and the ingest's memory stays flat.
 * Pass: quarantined = sent − broker-refused; the normal stream loses nothing; RSS growth < 50 MB.
 */
import mqtt from 'mqtt'
import { describe, expect, it } from 'vitest'
import type { GemelloProcess } from '../helpers/gemello-process'
import { chaosWorld, sleep } from './harness/scenario'

const MALFORMED = Number(process.env.CHAOS_MALFORMED ?? 10_000)
const OVERSIZE = 10

const rss = async (g: GemelloProcess) => Number(/^process_resident_memory_bytes (\d+)/m.exec(await (await fetch(`${g.url}/metrics`)).text())?.[1] ?? 0)

describe('10,000 malformed or oversize messages', () => {
  const report: Record<string, unknown> = { malformed: MALFORMED }
  const { world, gemello } = chaosWorld('malformed', { devices: 50, mode: 'keep' }, report)

  it('quarantines every one with a reason, or the broker refuses it; the normal stream is untouched', async () => {
    const bad = await mqtt.connectAsync(world.mq.url, { protocolVersion: 5, clientId: 'chaos-bad' })
    const id = world.ids[0]!
    const deep = '['.repeat(40) + ']'.repeat(40)
    const kinds: Array<() => [string, Buffer]> = [
      () => [`gemello/v1/traffic-loop/${id}/traffic`, Buffer.from('{not json')],
      () => [`gemello/v1/traffic-loop/${id}/traffic`, Buffer.from(JSON.stringify({ seq: 1, observedAt: Date.now(), values: { flowVehH: 'lots' } }))],
      () => [`gemello/v1/traffic-loop/${id}/traffic`, Buffer.from(JSON.stringify({ observedAt: Date.now(), values: {} }))],
      () => [`gemello/v1/traffic-loop/zz-nobody/traffic`, Buffer.from(JSON.stringify({ seq: 1, observedAt: Date.now(), values: { flowVehH: 1, occupancyPct: 1, speedKmh: 1, intervalS: 60 } }))],
      () => [`gemello/v1/no-such-kind/${id}/traffic`, Buffer.from('{}')],
      () => [`gemello/v1/traffic-loop/${id}/no-such-stream`, Buffer.from('{}')],
      () => [`gemello/v1/traffic-loop/${id}/traffic`, Buffer.from([0xff, 0xfe, 0xfd])],
      () => [`gemello/v1/traffic-loop/${id}/traffic`, Buffer.from(deep)],
    ]
    const streaming = world.fleet.stream(10_000, 1000)
    // RSS is measured after a warm-up (the first 2,000): the heap grows to its working size once;
    // what must not happen is growth with the number of bad messages.
    let rssBefore = 0
    for (let i = 0; i < MALFORMED - OVERSIZE; i += 100) {
      if (i === 2000) {
        await sleep(2000)
        rssBefore = await rss(gemello())
      }
      await Promise.all(Array.from({ length: Math.min(100, MALFORMED - OVERSIZE - i) }, (_, j) => {
        const [topic, payload] = kinds[(i + j) % kinds.length]!()
        return bad.publishAsync(topic, payload, { qos: 1 })
      }))
    }
    await bad.endAsync()
    // Over the broker's 64 KiB packet limit: the broker refuses it and drops the connection.
    let refused = 0
    for (let k = 0; k < OVERSIZE; k++) {
      const c = await mqtt.connectAsync(world.mq.url, { protocolVersion: 5, clientId: `chaos-big-${k}`, reconnectPeriod: 0 })
      const outcome = await Promise.race([
        c.publishAsync(`gemello/v1/traffic-loop/${id}/traffic`, Buffer.alloc(70_000, 0x20), { qos: 1 }).then(() => 'accepted', () => 'refused'),
        new Promise<string>((r) => c.once('close', () => r('refused'))),
        sleep(5000).then(() => 'refused'),
      ])
      if (outcome === 'refused') refused++
      c.end(true)
    }
    await streaming
    const sent = MALFORMED
    await sleep(5000)
    const q = await world.testDb.db.query<{ reason: string; n: string }>(`SELECT reason, count(*) AS n FROM ingest_quarantine GROUP BY 1 ORDER BY 1`)
    const quarantined = q.rows.reduce((n, r) => n + Number(r.n), 0)
    const rep = await world.settle(60_000)
    const rssAfter = await rss(gemello())
    Object.assign(report, { byReason: q.rows, quarantined, brokerRefused: refused, reconciliation: rep, rssGrowthMb: (rssAfter - rssBefore) / 1e6 })
    expect(refused).toBe(OVERSIZE)
    expect(quarantined).toBe(sent - refused)
    expect(rep).toMatchObject({ published: 10_000, lost: 0, duplicates: 0, unexpected: 0 })
    expect((rssAfter - rssBefore) / 1e6).toBeLessThan(50)
  })
})
