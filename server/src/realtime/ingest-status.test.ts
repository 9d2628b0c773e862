import { describe, expect, it } from 'vitest'
import { IngestStatusBoard } from './ingest-status'
import type { WorkerStatus } from './live-bus'

const status = (o: Partial<WorkerStatus> = {}): WorkerStatus => ({
  workerId: 'w1',
  bootId: 'b1',
  bootAtMs: 0,
  atMs: 0,
  brokerConnected: true,
  dbHealthy: true,
  pending: 0,
  lastCommitAtMs: null,
  quarantined: 0,
  lastQuarantine: null,
  ...o,
})

function board(now: { t: number }, feed = { up: true }) {
  return new IngestStatusBoard({ quarantineAtBoot: { total: 10, last: null }, serverBootAtMs: 1000, feedUp: () => feed.up, now: () => now.t })
}

describe('IngestStatusBoard', () => {
  it('sums the workers it heard from in the last 5 s', () => {
    const now = { t: 2000 }
    const b = board(now)
    b.update(status({ workerId: 'w1', pending: 3, lastCommitAtMs: 1500 }))
    b.update(status({ workerId: 'w2', bootId: 'x', pending: 4, lastCommitAtMs: 1800 }))
    expect(b.heartbeat().ingest).toEqual({ brokerConnected: true, dbHealthy: true, pending: 7, lastCommitAtMs: 1800, workers: 2 })
    now.t += 5001
    b.update(status({ workerId: 'w1', pending: 1 }))
    expect(b.heartbeat().ingest.workers).toBe(1)
  })

  it('names one root cause with its start: broker, database, no worker, or the feed itself', () => {
    const now = { t: 2000 }
    const feed = { up: true }
    const b = board(now, feed)
    expect(b.heartbeat().rootCause).toEqual({ code: 'INGEST_DOWN', sinceMs: 2000 })
    b.update(status({ workerId: 'w1', brokerConnected: false }))
    b.update(status({ workerId: 'w2', brokerConnected: false }))
    now.t = 2500
    expect(b.heartbeat().rootCause).toEqual({ code: 'BROKER_DOWN', sinceMs: 2500 })
    now.t = 3000
    // Same cause, same start time: one alarm, not a new one per heartbeat.
    expect(b.heartbeat().rootCause).toEqual({ code: 'BROKER_DOWN', sinceMs: 2500 })
    b.update(status({ workerId: 'w1', brokerConnected: true, dbHealthy: false }))
    b.update(status({ workerId: 'w2', brokerConnected: true, dbHealthy: false }))
    expect(b.heartbeat().rootCause?.code).toBe('DB_DOWN')
    b.update(status({ workerId: 'w1' }))
    b.update(status({ workerId: 'w2' }))
    expect(b.heartbeat().rootCause).toBeNull()
    feed.up = false
    expect(b.heartbeat()).toMatchObject({ liveFeed: 'down', rootCause: { code: 'LIVE_FEED_DOWN' } })
  })

  it('counts quarantined messages once: the database total at boot plus what each worker boot added since', () => {
    const now = { t: 2000 }
    const b = board(now)
    // Worker booted before the server: its 4 earlier quarantines are in the boot total already.
    b.update(status({ workerId: 'w1', bootAtMs: 500, quarantined: 4 }))
    expect(b.heartbeat().quarantine.total).toBe(10)
    b.update(status({ workerId: 'w1', bootAtMs: 500, quarantined: 6, lastQuarantine: { reason: 'schema_violation', atMs: 1900 } }))
    expect(b.heartbeat().quarantine).toEqual({ total: 12, lastReason: 'schema_violation', lastAtMs: 1900 })
    // It restarts: its counter starts again from 0, the 2 it added stay counted.
    b.update(status({ workerId: 'w1', bootId: 'b2', bootAtMs: 2100, quarantined: 1 }))
    expect(b.heartbeat().quarantine.total).toBe(13)
  })
})
