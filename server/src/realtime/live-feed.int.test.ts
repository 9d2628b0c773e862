/**
 * The live feed's repair path on the real database (both modes): whatever reached the database
 * without reaching the mirror is found by a resync and sent to clients as ordinary changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeBatch } from '../db/readings'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { registration, trafficReading } from '../../../tests/helpers/factories'
import { LocalLiveBus } from './live-bus'
import { LiveFeed } from './live-feed'
import { LiveMirror, type LogEntry } from './live-mirror'

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
})
afterAll(async () => {
  await t.drop()
})

describe('LiveFeed', () => {
  it('resynchronises the mirror from the database: only what differs becomes a change, and never backwards', async () => {
    await t.db.transaction((tx) => writeBatch(tx, { readings: [], quarantine: [], registrations: [registration({ deviceId: 'lf-1' })] }))
    const mirror = new LiveMirror({ retainEntries: 100 })
    await mirror.load(t.db)
    const entries: LogEntry[] = []
    mirror.onAppend((e) => entries.push(e))
    const feed = new LiveFeed({ bus: new LocalLiveBus(), mirror, db: t.db })
    feed.start()

    // Committed, but its feed entry never came (and a device the mirror never heard of).
    const now = Date.now()
    await t.db.transaction((tx) =>
      writeBatch(tx, {
        readings: [trafficReading({ deviceId: 'lf-1', observedAtMs: now - 1000 }), trafficReading({ deviceId: 'lf-2', observedAtMs: now - 1000 })],
        quarantine: [],
        registrations: [registration({ deviceId: 'lf-2' })],
      }),
    )
    await feed.resync('entries_lost')
    // The new device first, then the states (a resync logs its changes slice by slice).
    expect(entries.flatMap((e) => e.devices.map((d) => d.id))).toEqual(['lf-2'])
    expect(entries.flatMap((e) => e.states.map((s) => s.deviceId)).sort()).toEqual(['lf-1', 'lf-2'])
    expect(entries.findIndex((e) => e.devices.length > 0)).toBeLessThan(entries.findIndex((e) => e.states.length > 0))
    expect(feed.resyncs.entries_lost).toBe(1)

    // Nothing new: no change is sent. A newer state already in the mirror is not rewound.
    mirror.applyReadings([trafficReading({ deviceId: 'lf-1', observedAtMs: now })])
    entries.length = 0
    await feed.resync('periodic')
    expect(entries).toHaveLength(0)
    expect(mirror.snapshot({ layers: new Set(['traffic-loop']) }).states.find((s) => s.deviceId === 'lf-1')?.observedAtMs).toBe(now)
    await feed.stop()
  })

  it('loads a device it does not know before applying its reading, instead of dropping it', async () => {
    const mirror = new LiveMirror({ retainEntries: 100 })
    const bus = new LocalLiveBus()
    const feed = new LiveFeed({ bus, mirror, db: t.db })
    feed.start()
    await t.db.transaction((tx) => writeBatch(tx, { readings: [], quarantine: [], registrations: [registration({ deviceId: 'lf-3' })] }))
    // Another worker registered lf-3; its device entry has not reached this server yet.
    bus.publishReadings([trafficReading({ deviceId: 'lf-3' })])
    await feed.settled()
    expect(mirror.hasDevice('lf-3')).toBe(true)
    expect(mirror.snapshot({ layers: new Set(['traffic-loop']) }).states.map((s) => s.deviceId)).toContain('lf-3')
    await feed.stop()
  })
})
