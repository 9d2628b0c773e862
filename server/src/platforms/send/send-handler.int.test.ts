/**
 * SEND legal notices through the outbox (real database) against a loopback SEND and storage that
 * validate every request and answer against the published document with its overlay, in strict Ajv
 * (tests/helpers/platform-mock/send-mock.ts): preload, upload, send; the same bytes on every attempt;
 * failures retried or refused as the outbox prescribes; a request whose answer was lost read back
 * after SEND's 409 — one notification; then the request's evaluation and the notification's progress.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { haveSpec } from '../../../../tests/helpers/platform-mock/openapi-spec'
import { SEND_SPEC, sendSpec, startSendMock, type SendMock } from '../../../../tests/helpers/platform-mock/send-mock'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { enqueueOutbox, listOutbox } from '../outbox/outbox-store'
import { OutboxWorker } from '../outbox/outbox-worker'
import type { SendSettings } from './send-client'
import { caseNoticePdf } from './send-document'
import { newNotificationRequest, noticeDocument, sendNotificationHandler, type SendNoticePayload } from './send-handler'
import { SendError, sendNotificationStatus, sendRequestStatus } from './send-status'

// A fiscal code with a wrong check character (the right one is M) and an invented name: no one's.
const FISCAL_CODE = 'RSSMRA80A41A944X'
const NAME = 'Maria Rossi'

let send: SendMock
let t: TestDb
let n = 0
let now = Date.parse('2026-11-27T10:00:00Z')
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }

const settings = (over: Partial<SendSettings> = {}): SendSettings => ({
  baseUrl: send.baseUrl,
  apiKey: send.apiKey,
  senderTaxId: '01232710374',
  senderDenomination: 'Comune di Bologna',
  taxonomyCode: '010101P',
  notificationFeePolicy: 'FLAT_RATE',
  physicalCommunicationType: 'AR_REGISTERED_LETTER',
  ...over,
})
const notice = (over: Partial<SendNoticePayload> = {}): SendNoticePayload => {
  const k = ++n
  return {
    caseId: 1234,
    paProtocolNumber: `PG/2026/${String(480_000 + k)}`,
    idempotenceToken: `case-1234-notice-${k}`,
    subject: 'Ordinanza di ripristino del marciapiede',
    abstract: 'Segnalazione n. 1234: esito del sopralluogo',
    recipient: { taxId: FISCAL_CODE, denomination: NAME, digitalDomicile: 'maria.rossi@pec.example.it', physicalAddress: { address: 'Via dell’Indipendenza 8', zip: '40121', municipality: 'Bologna', province: 'BO' } },
    document: { title: 'Ordinanza n. 1234', serviceName: 'Marciapiede dissestato', body: 'Gentile cittadina,\nil sopralluogo ha accertato il dissesto segnalato.', office: 'Settore Manutenzione strade', date: '2026-11-27', lang: 'it' },
    ...over,
  }
}
const enqueue = (p: SendNoticePayload, key = p.idempotenceToken) => t.db.transaction((tx) => enqueueOutbox(tx, { platform: 'send', operation: 'legalNotice', idempotencyKey: key, caseId: null, payload: p }, now))
const worker = (s = settings()) => new OutboxWorker({ db: t.db, handlers: [sendNotificationHandler(s)], log: quiet, clock: () => now, random: () => 0, policy: { timeoutMs: 900 } }) // under the mock's 1 s 'slow' answer
const row = async (id: number) => (await listOutbox(t.db)).find((r) => r.id === id)!
/** Runs the row again once it is due. */
const later = async (id: number) => {
  now = Math.max(now, (await row(id)).nextAttemptAtMs)
  return worker().drain()
}
const held = (p: SendNoticePayload) => send.requests.filter((r) => r.paProtocolNumber === p.paProtocolNumber)

beforeAll(async () => {
  send = await startSendMock({ clock: () => now })
  t = await createTestDb()
}, 120_000)
afterAll(async () => {
  await send?.close()
  await t?.drop()
})
beforeEach(() => {
  send.script = 'ok'
})

describe.runIf(haveSpec(SEND_SPEC))('SEND legal notices', () => {
  it('writes the same PDF for the same notice, another for another date', async () => {
    const p = notice()
    const a = await noticeDocument(p)
    const b = await noticeDocument(structuredClone(p))
    expect(Buffer.from(a.subarray(0, 5)).toString('latin1')).toBe('%PDF-')
    expect(Buffer.compare(a, b)).toBe(0)
    const other = await caseNoticePdf({ caseId: 1234, subject: p.subject, ...p.document, date: '2026-11-28' })
    expect(Buffer.compare(a, other)).not.toBe(0)
    const english = await caseNoticePdf({ caseId: 1234, subject: 'Notice', ...p.document, lang: 'en', body: 'Ünïcødé 😀 and a long word '.repeat(400) + 'x'.repeat(300) })
    expect(english.length).toBeGreaterThan(1000)
  })

  it('sends requests SEND’s schema accepts: a person with a PEC, an organisation without, the DELIVERY_MODE fees', () => {
    const doc = { sha256: createHash('sha256').update('x').digest('base64'), key: 'PN_NOTIFICATION_ATTACHMENTS-0001.pdf', versionToken: 'v1' }
    const organisation = notice({ recipient: { taxId: '01232710374', denomination: 'Condominio Via Rizzoli 1', physicalAddress: { address: 'Via Rizzoli 1', zip: '40125', municipality: 'Bologna', province: 'BO' } } })
    for (const [s, p] of [
      [settings(), notice()],
      [settings(), organisation],
      [settings({ notificationFeePolicy: 'DELIVERY_MODE', physicalCommunicationType: 'REGISTERED_LETTER_890', paFeeEurocent: 100, vatPercent: 22 }), notice()],
    ] as const)
      expect(sendSpec().problems('NewNotificationRequestV26', newNotificationRequest(s, p, doc))).toEqual([])
    expect(newNotificationRequest(settings(), organisation, doc).recipients[0]!.recipientType).toBe('PG')
    expect(() => sendNotificationHandler(settings({ notificationFeePolicy: 'DELIVERY_MODE' }))).toThrow(/paFeeEurocent/)
    expect(() => sendNotificationHandler(settings({ taxonomyCode: '10101P' }))).toThrow()
  })

  it('preloads, uploads the notice’s own PDF and sends the request referring to it; SEND finds nothing wrong', async () => {
    const p = notice()
    const id = (await enqueue(p))!
    expect(await enqueue(p)).toBeNull()
    expect(await worker().drain()).toBe(1)
    const r = await row(id)
    const pdf = Buffer.from(await noticeDocument(p))
    expect(r).toMatchObject({ status: 'done', lastHttpStatus: 202, attempts: 1, result: { notificationRequestId: expect.stringMatching(/^[A-Za-z0-9+/=]{36}$/), paProtocolNumber: p.paProtocolNumber, alreadySent: false, documentSha256: createHash('sha256').update(pdf).digest('base64') } })
    const [request] = held(p)
    expect(request!.notificationRequestId).toBe((r.result as { notificationRequestId: string }).notificationRequestId)
    const key = (request!.body.documents as Array<{ ref: { key: string } }>)[0]!.ref.key
    expect(Buffer.compare(send.uploads.get(key)!.bytes, pdf)).toBe(0)
    expect(request!.body).toMatchObject({ senderTaxId: '01232710374', taxonomyCode: '010101P', recipients: [{ recipientType: 'PF', taxId: FISCAL_CODE, digitalDomicile: { type: 'PEC' } }] })
    expect(send.violations).toEqual([])
  })

  it('retries a 500 and a 429 (at its Retry-After) until SEND takes the request, once', async () => {
    send.script = '500'
    const p = notice()
    const id = (await enqueue(p))!
    await worker().drain()
    expect(await row(id)).toMatchObject({ status: 'queued', lastHttpStatus: 500, lastError: expect.stringMatching(/^send: HTTP 500/) })
    send.script = '429'
    await later(id)
    expect(await row(id)).toMatchObject({ status: 'queued', lastHttpStatus: 429, nextAttemptAtMs: now + 7_000 })
    send.script = 'ok'
    await later(id)
    expect(await row(id)).toMatchObject({ status: 'done', attempts: 3, result: { alreadySent: false } })
    expect(held(p)).toHaveLength(1)
    expect(send.violations).toEqual([])
  })

  it('after a timeout or a cut answer SEND has the request: the next attempt gets 409, reads it back, one notification', async () => {
    for (const script of ['slow', 'drop'] as const) {
      send.script = script
      const p = notice()
      const id = (await enqueue(p))!
      await worker().drain()
      expect(await row(id), script).toMatchObject({ status: 'queued', attempts: 1, lastHttpStatus: null, lastError: expect.stringMatching(/^send: /) })
      expect(held(p)).toHaveLength(1)
      send.script = 'ok'
      await later(id)
      expect(await row(id), script).toMatchObject({ status: 'done', attempts: 2, lastHttpStatus: 409, result: { notificationRequestId: held(p)[0]!.notificationRequestId, alreadySent: true } })
      expect(held(p)).toHaveLength(1)
    }
    await new Promise((r) => setTimeout(r, 1_100)) // the slow answer, validated too
    expect(send.violations).toEqual([])
  })

  it('fails without retrying on a refusal (400 with its codes, a wrong api-key, an invalid payload), never quoting personal data', async () => {
    send.script = '400'
    const refused = (await enqueue(notice()))!
    await worker().drain()
    send.script = 'ok'
    const wrongKey = (await enqueue(notice()))!
    await worker(settings({ apiKey: 'not-the-key' })).drain()
    const invalid = (await enqueue({ ...notice(), recipient: { ...notice().recipient, taxId: 'RSSMRA80A41A944' } }))!
    await worker().drain()
    expect(await row(refused)).toMatchObject({ status: 'failed', lastHttpStatus: 400, lastError: 'send: HTTP 400: the platform refused the call (PN_GENERIC_INVALIDPARAMETER)' })
    expect(await row(wrongKey)).toMatchObject({ status: 'failed', lastHttpStatus: 403, lastError: expect.stringMatching(/^preload: HTTP 403/) })
    expect(await row(invalid)).toMatchObject({ status: 'failed', lastHttpStatus: null, lastError: 'payload: not a valid notice (recipient.taxId)' })
    for (const r of await listOutbox(t.db)) for (const personal of [FISCAL_CODE, 'RSSMRA80A41A944', NAME, 'Indipendenza', 'pec.example']) expect(`${r.lastError} ${JSON.stringify(r.result)}`).not.toContain(personal)
    expect(send.violations).toEqual([])
  })

  it('has a loopback SEND that notices what the real one would refuse (so an empty violations list means something)', async () => {
    const api = (path: string, body: unknown) => fetch(`${send.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': send.apiKey }, body: JSON.stringify(body) })
    const bytes = Buffer.from('%PDF-1.7 test')
    const sha = createHash('sha256').update(bytes).digest('base64')
    expect((await api('/delivery/attachments/preload', [{ preloadIdx: '0', contentType: 'application/pdf', sha256: 'not-base64' }])).status).toBe(400)
    const [slot] = (await (await api('/delivery/attachments/preload', [{ preloadIdx: '0', contentType: 'application/pdf', sha256: sha }])).json()) as Array<{ url: string; secret: string; key: string }>
    const put = (headers: Record<string, string>, body = bytes) => fetch(slot!.url, { method: 'PUT', headers: { 'content-type': 'application/pdf', 'x-amz-meta-secret': slot!.secret, 'x-amz-checksum-sha256': sha, ...headers }, body })
    expect((await put({ 'x-amz-meta-secret': 'guess' })).status).toBe(403)
    expect((await put({}, Buffer.from('%PDF-1.7 other'))).status).toBe(400)
    expect((await put({ 'x-api-key': send.apiKey })).status).toBe(200)
    const ok = await put({})
    const request = newNotificationRequest(settings(), notice(), { sha256: createHash('sha256').update('other').digest('base64'), key: slot!.key, versionToken: ok.headers.get('x-amz-version-id')! })
    expect((await api('/delivery/v2.6/requests', { ...request, taxonomyCode: '10101P' })).status).toBe(400)
    expect((await api('/delivery/v2.6/requests', request)).status).toBe(202)
    expect(send.accept(send.requests.at(-1)!.notificationRequestId)).toMatch(/^MOCK-SEND-/)
    expect(send.requests.at(-1)!.status).toBe('REFUSED')
    for (const seen of [/^POST \/delivery\/attachments\/preload: .*\/sha256: /, /^upload .*: AccessDenied$/, /^upload .*: BadDigest$/, /^upload .*: the api-key was sent to the storage$/, /^POST \/delivery\/v2\.6\/requests: NewNotificationRequestV26\/taxonomyCode: /, /: documents\[0\]\.digests\.sha256: FILE_SHA_ERROR$/])
      expect(send.violations.filter((v) => seen.test(v)), String(seen)).not.toEqual([])
    send.violations.length = 0
  })

  it('follows the request to ACCEPTED with its IUN, then the notification to DELIVERED', async () => {
    const p = notice()
    const id = (await enqueue(p))!
    await worker().drain()
    const { notificationRequestId } = (await row(id)).result as { notificationRequestId: string }
    expect(await sendRequestStatus(settings(), notificationRequestId)).toEqual({ notificationRequestId, status: 'WAITING', retryAfterS: 5 })
    const iun = send.accept(notificationRequestId)
    expect(await sendRequestStatus(settings(), notificationRequestId)).toEqual({ notificationRequestId, status: 'ACCEPTED', iun })
    expect(await sendRequestStatus(settings(), { paProtocolNumber: p.paProtocolNumber, idempotenceToken: p.idempotenceToken })).toMatchObject({ status: 'ACCEPTED', iun })
    expect(await sendNotificationStatus(settings(), iun)).toEqual({ iun, status: 'ACCEPTED', sinceMs: now })
    now += 3_600_000
    send.advance(iun, 'DELIVERING')
    now += 86_400_000
    send.advance(iun, 'DELIVERED')
    expect(await sendNotificationStatus(settings(), iun)).toEqual({ iun, status: 'DELIVERED', sinceMs: now })
    const unknown = await sendRequestStatus(settings(), Buffer.from('MOCK-SEND-ZZZZ-202611-A-9').toString('base64')).catch((e: unknown) => e)
    expect(unknown).toBeInstanceOf(SendError)
    expect(unknown).toMatchObject({ kind: 'refused', http: 404 })
    expect(send.violations).toEqual([])
  })
})
