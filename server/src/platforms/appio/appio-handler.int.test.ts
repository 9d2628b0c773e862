/**
 * Case status messages on App IO through the outbox (real database) against a loopback IO that
 * validates every request and answer against the published Swagger document (specs/app-io): the
 * prescribed profile-then-message flow, the citizen's language, the citizens IO does not reach, and
 * the failures — retried where IO provably did not take the message, ambiguous (never sent twice)
 * where it may have.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CASE_STATUSES } from '../../../../contracts/schemas/case'
import { APPIO_SPEC, startAppIoMock, type AppIoMock } from '../../../../tests/helpers/platform-mock/appio-mock'
import { haveSpec, OpenApiSpec } from '../../../../tests/helpers/platform-mock/openapi-spec'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { enqueueOutbox, listOutbox } from '../outbox/outbox-store'
import { OutboxWorker } from '../outbox/outbox-worker'
import { appIoStatusHandler, statusMessage, type CaseStatusMessage } from './appio-handler'

// Fiscal codes of the specification's examples and homocode-free test ones: no real person.
const ANNA = 'SPNDNL80R13C555X'
const JOHN = 'AAAAAA00A00A000A'
const NOT_ON_IO = 'BBBBBB00B00B000B'
const OPTED_OUT = 'CCCCCC00C00C000C'
const FOLLOW = 'https://segnalazioni.comune.bologna.it/le-mie-segnalazioni'

let io: AppIoMock
let t: TestDb
let n = 0
const clock = Date.parse('2026-11-27T10:00:00Z')
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }

const message = (fiscalCode: string, over: Partial<CaseStatusMessage> = {}): CaseStatusMessage => ({ fiscalCode, caseId: 1234, serviceName: { it: 'Buca nella strada', en: 'Pothole' }, status: 'fixed', note: 'Buca chiusa con asfalto a freddo', ...over })
const enqueue = (m: CaseStatusMessage) => t.db.transaction((tx) => enqueueOutbox(tx, { platform: 'appio', operation: 'caseStatusMessage', idempotencyKey: `io-${++n}`, caseId: null, payload: m }, clock))
const worker = (key = io.key) => new OutboxWorker({ db: t.db, handlers: [appIoStatusHandler({ baseUrl: io.baseUrl, subscriptionKey: key, followUrl: FOLLOW })], log: quiet, clock: () => clock, random: () => 0, policy: { timeoutMs: 300 } })
const row = async (id: number) => (await listOutbox(t.db)).find((r) => r.id === id)!

beforeAll(async () => {
  io = await startAppIoMock()
  io.profiles.set(ANNA, { sender_allowed: true, preferred_languages: ['it_IT'] })
  io.profiles.set(JOHN, { sender_allowed: true, preferred_languages: ['en_GB', 'it_IT'] })
  io.profiles.set(OPTED_OUT, { sender_allowed: false, preferred_languages: ['it_IT'] })
  t = await createTestDb()
}, 120_000)
afterAll(async () => {
  await io?.close()
  await t?.drop()
})
beforeEach(() => {
  io.script = 'ok'
})

describe.runIf(haveSpec(APPIO_SPEC))('App IO status messages', () => {
  it('writes every status in both languages within IO’s limits (subject 10–120, body 80–10,000)', () => {
    const spec = new OpenApiSpec(APPIO_SPEC)
    for (const status of CASE_STATUSES)
      for (const lang of ['it', 'en'] as const)
        for (const note of [null, 'x'.repeat(2000)]) {
          const content = statusMessage(message(ANNA, { status, note }), lang, FOLLOW)
          expect(spec.problems('NewMessage', { fiscal_code: ANNA, content }), `${status} ${lang}`).toEqual([])
        }
  })

  it('asks for the profile, then sends the message in the citizen’s language; IO finds nothing wrong in either request', async () => {
    const it1 = (await enqueue(message(ANNA)))!
    const en1 = (await enqueue(message(JOHN, { status: 'in_progress', note: null })))!
    expect(await worker().drain()).toBe(2)
    expect(await row(it1)).toMatchObject({ status: 'done', result: { lang: 'it', messageId: expect.stringMatching(/^01HZX/) } })
    expect(await row(en1)).toMatchObject({ status: 'done', result: { lang: 'en' } })
    expect(io.messages.map((m) => [m.fiscal_code, m.subject])).toEqual([
      [ANNA, 'Segnalazione n. 1234: risolta'],
      [JOHN, 'Report no. 1234: in progress'],
    ])
    expect(io.messages[0]!.markdown).toContain('Buca chiusa con asfalto a freddo')
    expect(io.messages[0]!.markdown).toContain(`${FOLLOW}/1234`)
    expect(io.violations).toEqual([])
  })

  it('ends without a message for a citizen not on IO or who turned the service off', async () => {
    const sent = io.messages.length
    const a = (await enqueue(message(NOT_ON_IO)))!
    const b = (await enqueue(message(OPTED_OUT)))!
    await worker().drain()
    expect(await row(a)).toMatchObject({ status: 'done', lastHttpStatus: 404, result: { skipped: 'the citizen is not on IO' } })
    expect(await row(b)).toMatchObject({ status: 'done', result: { skipped: 'the citizen turned this service off on IO' } })
    expect(io.messages.length).toBe(sent)
  })

  it('retries when IO did not take the message (500, 429 with its wait), never twice when it may have (a timeout, a cut answer)', async () => {
    io.script = '500'
    const failed = (await enqueue(message(ANNA)))!
    await worker().runOnce()
    expect(await row(failed)).toMatchObject({ status: 'queued', lastHttpStatus: 500 })
    await t.db.query(`UPDATE platform_outbox SET status = 'failed' WHERE id = $1`, [failed])
    io.script = '429'
    const limited = (await enqueue(message(ANNA)))!
    await worker().runOnce()
    expect(await row(limited)).toMatchObject({ status: 'queued', lastHttpStatus: 429, nextAttemptAtMs: clock + 15_000 })
    await t.db.query(`UPDATE platform_outbox SET status = 'failed' WHERE id = $1`, [limited])

    for (const script of ['slow', 'drop'] as const) {
      io.script = script
      const before = io.messages.length
      const id = (await enqueue(message(ANNA)))!
      await worker().drain()
      expect(await row(id)).toMatchObject({ status: 'ambiguous', attempts: 1 })
      expect(await worker().drain()).toBe(0)
      expect(io.messages.length - before).toBe(1)
    }
    io.script = 'ok'
    const refused = (await enqueue(message(ANNA)))!
    await worker('not-the-key').drain()
    expect(await row(refused)).toMatchObject({ status: 'failed', lastHttpStatus: 401 })
    expect(io.violations).toEqual([])
  })
})
