/**
 * The platform outbox on a real database (PGlite, or PostgreSQL under test:services) against a real
 * HTTP platform on loopback that keeps its effects (a keyed "debt position" that answers 409 to the
 * same key again, and an unkeyed "message"): queued only with the change that causes it, delivered
 * once by two workers at once, called again after a worker died between the call and the record (the
 * platform still does it once), 5xx/429 retried with backoff until given up, 4xx not retried, a
 * timeout of an unkeyed call left ambiguous, and the circuit breaker on a test clock.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { searchAudit } from '../../audit/audit-log'
import { createCase, seedCaseCatalogue } from '../../db/cases'
import { claimOutboxItem, enqueueOutbox, listOutbox, recordOutcome } from './outbox-store'
import { classifyHttp, OutboxWorker, type OutboxPolicy, type PlatformHandler } from './outbox-worker'

type Mode = 'ok' | '500' | '429' | '400' | 'slow' | 'drop'
const platform = { mode: 'ok' as Mode, calls: 0, effects: new Map<string, number>(), messages: 0 }
let server: Server
let url = ''
let t: TestDb
let caseId = 0
let clock = Date.parse('2026-11-27T10:00:00Z')
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }

function handle(req: IncomingMessage, res: ServerResponse) {
  let body = ''
  req.on('data', (d: Buffer) => (body += d.toString()))
  req.on('end', () => {
    platform.calls++
    const answer = (status: number, value: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value))
    const get = /^\/positions\/(.+)$/.exec(req.url ?? '')
    if (req.method === 'GET' && get) return platform.effects.has(get[1]!) ? answer(200, { iupd: get[1], status: 'VALID' }) : answer(404, {})
    if (platform.mode === '500') return answer(500, { title: 'boom' })
    if (platform.mode === '429') return answer(429, {}, { 'retry-after': '30' })
    if (platform.mode === '400') return answer(400, { title: 'bad' })
    if (req.url === '/messages') {
      platform.messages++
      if (platform.mode === 'slow') return void setTimeout(() => answer(201, { id: 'm' }), 1_000)
      return answer(201, { id: `m${platform.messages}` })
    }
    const key = (JSON.parse(body) as { iupd: string }).iupd
    if (platform.effects.has(key)) return answer(409, { title: 'already there' })
    platform.effects.set(key, platform.effects.size + 1)
    // Applied, then the connection is cut before the answer: the caller cannot know.
    if (platform.mode === 'drop') return void req.socket.destroy()
    answer(201, { iupd: key, status: 'VALID' })
  })
}

/** A keyed call: 409 means "already done", confirmed by reading it back. */
const createPosition: PlatformHandler = {
  platform: 'gpd',
  operation: 'createPosition',
  idempotent: true,
  async call(it, signal) {
    const iupd = it.idempotencyKey
    const r = await fetch(`${url}/positions`, { method: 'POST', body: JSON.stringify({ iupd, ...(it.payload as object) }), headers: { 'content-type': 'application/json' }, signal })
    if (r.status === 409) {
      const back = await fetch(`${url}/positions/${encodeURIComponent(iupd)}`, { signal })
      if (back.ok) return { kind: 'done', http: 409, result: await back.json() }
    }
    const bad = classifyHttp(r.status, true, r.headers.get('retry-after'))
    return bad ?? { kind: 'done', http: r.status, result: await r.json() }
  },
  async onDone(tx, it, _result, nowMs) {
    await tx.query(`INSERT INTO citizen_case_event (case_id, at, kind, actor, actor_role, status, note, public) VALUES ($1, $2, 'note', 'system:outbox', 'system', 'new', $3, false)`, [it.caseId, new Date(nowMs).toISOString(), 'payment notice created'])
  },
}

/** An unkeyed call (App IO's message has no idempotency key). */
const sendMessage: PlatformHandler = {
  platform: 'appio',
  operation: 'sendMessage',
  idempotent: false,
  async call(_it, signal) {
    const r = await fetch(`${url}/messages`, { method: 'POST', body: '{}', signal })
    return classifyHttp(r.status, false, r.headers.get('retry-after')) ?? { kind: 'done', http: r.status, result: await r.json() }
  },
}

const worker = (policy: Partial<OutboxPolicy> = {}, holder?: string) =>
  new OutboxWorker({ db: t.db, handlers: [createPosition, sendMessage], log: quiet, clock: () => clock, random: () => 0, policy: { timeoutMs: 500, ...policy }, ...(holder ? { holder } : {}) })
let n = 0
const enqueue = (op: 'createPosition' | 'sendMessage' = 'createPosition') =>
  t.db.transaction((tx) => enqueueOutbox(tx, { platform: op === 'createPosition' ? 'gpd' : 'appio', operation: op, idempotencyKey: `iupd-${++n}`, caseId, payload: { amountCents: 5000 } }, clock))
const rowOf = async (id: number) => (await listOutbox(t.db)).find((r) => r.id === id)!

beforeAll(async () => {
  server = createServer(handle)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  t = await createTestDb()
  await seedCaseCatalogue(t.db)
  caseId = (await createCase(t.db, { serviceCode: 'passo-carrabile', lon: 11.34, lat: 44.49, description: '', attributes: { larghezza_m: 3 }, address: null, addressId: null, mediaUrl: null, personal: {}, source: 'operator', open311ClientId: null }, { actor: 'test', actorRole: 'system', requestId: null }, clock)).id
}, 120_000)
afterAll(async () => {
  server?.close()
  await t?.drop()
})
beforeEach(async () => {
  platform.mode = 'ok'
  await t.db.query(`DELETE FROM platform_breaker`)
  await t.db.query(`UPDATE platform_outbox SET status = 'failed', lease_holder = NULL WHERE status IN ('queued', 'running')`)
})

describe('the outbox', () => {
  it('queues a call only with the change that causes it, once per key, and delivers it once with its audit row and the case’s event', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await enqueueOutbox(tx, { platform: 'gpd', operation: 'createPosition', idempotencyKey: 'rolled-back', caseId, payload: {} }, clock)
        throw new Error('the case change failed')
      }),
    ).rejects.toThrow()
    expect((await listOutbox(t.db)).map((r) => r.idempotencyKey)).not.toContain('rolled-back')
    const id = (await enqueue())!
    expect(await t.db.transaction((tx) => enqueueOutbox(tx, { platform: 'gpd', operation: 'createPosition', idempotencyKey: `iupd-${n}`, caseId, payload: {} }, clock))).toBeNull()
    expect(await worker().drain()).toBe(1)
    expect(await rowOf(id)).toMatchObject({ status: 'done', attempts: 1, lastHttpStatus: 201, result: { iupd: `iupd-${n}`, status: 'VALID' } })
    expect(platform.effects.get(`iupd-${n}`)).toBeDefined()
    const audit = await searchAudit(t.db, { action: 'platform.gpd.createPosition', limit: 5 })
    expect(audit[0]).toMatchObject({ actor: 'system:outbox', target: `case:${caseId}`, detail: { outboxId: id, attempt: 1, http: 201, outcome: 'done' } })
    const events = await t.db.query<{ note: string }>(`SELECT note FROM citizen_case_event WHERE case_id = $1 AND actor = 'system:outbox'`, [caseId])
    expect(events.rows.map((e) => e.note)).toEqual(['payment notice created'])
  })

  it('calls again after a worker died between the call and the record: the platform still does it once, the late worker writes nothing', async () => {
    const id = (await enqueue())!
    const dying = await claimOutboxItem(t.db, 'dying-worker', 1, clock)
    expect(dying?.id).toBe(id)
    // It made the call, then its process stopped before recording.
    await fetch(`${url}/positions`, { method: 'POST', body: JSON.stringify({ iupd: dying!.idempotencyKey }) })
    const effects = platform.effects.size
    await new Promise((r) => setTimeout(r, 1_500))
    expect(await worker().drain()).toBe(1)
    expect(await rowOf(id)).toMatchObject({ status: 'done', attempts: 2, lastHttpStatus: 409 })
    expect(platform.effects.size).toBe(effects)
    expect(await t.db.transaction((tx) => recordOutcome(tx, dying!, 'dying-worker', { status: 'done', http: 201, result: {} }, clock))).toBe(false)
  })

  it('delivers 20 calls once each with two workers at once', async () => {
    const ids = [] as number[]
    for (let i = 0; i < 20; i++) ids.push((await enqueue())!)
    const before = platform.effects.size
    const [a, b] = await Promise.all([worker({}, 'worker-a').drain(), worker({}, 'worker-b').drain()])
    expect(a + b).toBe(20)
    expect(a).toBeGreaterThan(0)
    expect(b).toBeGreaterThan(0)
    expect(platform.effects.size - before).toBe(20)
    const rows = (await listOutbox(t.db)).filter((r) => ids.includes(r.id))
    expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true)
  })

  it('retries a 5xx with growing delays and gives up after maxAttempts; a 429 waits its Retry-After; a 4xx is not retried', async () => {
    platform.mode = '500'
    const w = worker({ maxAttempts: 3, baseDelayMs: 1_000, breaker: { threshold: 100, openMs: 60_000 } })
    const id = (await enqueue())!
    const start = clock
    expect(await w.runOnce()).toBe('ran')
    expect(await rowOf(id)).toMatchObject({ status: 'queued', attempts: 1, lastHttpStatus: 500, nextAttemptAtMs: start + 500 })
    expect(await w.runOnce()).toBe('idle')
    clock = start + 500
    await w.runOnce()
    expect(await rowOf(id)).toMatchObject({ status: 'queued', attempts: 2, nextAttemptAtMs: start + 1_500 })
    clock = start + 1_500
    await w.runOnce()
    expect(await rowOf(id)).toMatchObject({ status: 'dead', attempts: 3 })
    expect((await rowOf(id)).lastError).toMatch(/3 attempts: given up/)

    platform.mode = '429'
    const slow = (await enqueue())!
    await w.runOnce()
    expect(await rowOf(slow)).toMatchObject({ status: 'queued', lastHttpStatus: 429, nextAttemptAtMs: clock + 30_000 })

    platform.mode = '400'
    await t.db.query(`UPDATE platform_outbox SET status = 'failed' WHERE id = $1`, [slow])
    const refused = (await enqueue())!
    const calls = platform.calls
    await w.drain()
    expect(await rowOf(refused)).toMatchObject({ status: 'failed', attempts: 1, lastHttpStatus: 400 })
    expect(platform.calls - calls).toBe(1)
  })

  it('leaves an unkeyed call that timed out ambiguous and does not repeat it; repeats a keyed one whose answer was lost', async () => {
    platform.mode = 'slow'
    const message = (await enqueue('sendMessage'))!
    const sent = platform.messages
    await worker().drain()
    expect(await rowOf(message)).toMatchObject({ status: 'ambiguous', attempts: 1 })
    expect((await rowOf(message)).lastError).toMatch(/may have been made/)
    expect(await worker().drain()).toBe(0)
    expect(platform.messages - sent).toBe(1)

    platform.mode = 'drop'
    const keyed = (await enqueue())!
    await worker().runOnce()
    expect(await rowOf(keyed)).toMatchObject({ status: 'queued', attempts: 1 })
    platform.mode = 'ok'
    clock += 60_000
    await worker().drain()
    expect(await rowOf(keyed)).toMatchObject({ status: 'done', attempts: 2, lastHttpStatus: 409 })
  })

  it('opens the breaker after consecutive failures: no call while open, one probe after, closed again by a success', async () => {
    platform.mode = '500'
    const w = worker({ breaker: { threshold: 3, openMs: 60_000 } })
    for (let i = 0; i < 4; i++) await enqueue()
    for (let i = 0; i < 3; i++) await w.runOnce()
    const calls = platform.calls
    expect(await w.runOnce()).toBe('idle')
    clock += 30_000
    expect(await w.runOnce()).toBe('idle')
    expect(platform.calls).toBe(calls)
    // Other platforms still go.
    platform.mode = 'ok'
    const msg = (await enqueue('sendMessage'))!
    expect(await w.runOnce()).toBe('ran')
    expect((await rowOf(msg)).status).toBe('done')
    clock += 31_000
    expect(await w.runOnce()).toBe('ran')
    const breaker = await t.db.query<{ consecutive_failures: number; open_until: unknown }>(`SELECT consecutive_failures, open_until FROM platform_breaker WHERE platform = 'gpd'`)
    expect(breaker.rows[0]).toMatchObject({ consecutive_failures: 0, open_until: null })
  })
})
