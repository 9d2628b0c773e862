/**
 * Citizen-case fees as pagoPA GPD debt positions through the outbox (real database) against a loopback
 * GPD that validates every request and answer against the published OpenAPI 3.1 document
 * (specs/pagopa-gpd): create-and-publish, the read a polling job makes to see a fee paid, invalidation,
 * and the failures — retried where GPD did not take the position or repeating is harmless (the IUPD
 * is the key: a repeat gets 409 and reads the position back), refused otherwise. One effect at GPD.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { GPD_SPEC, startGpdMock, type GpdMock } from '../../../../tests/helpers/platform-mock/gpd-mock'
import { haveSpec, OpenApiSpec } from '../../../../tests/helpers/platform-mock/openapi-spec'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { createCase, seedCaseCatalogue } from '../../db/cases'
import { enqueueOutbox, listOutbox } from '../outbox/outbox-store'
import { OutboxWorker } from '../outbox/outbox-worker'
import { gpdCreatePositionHandler, gpdInvalidatePosition, gpdPayloadProblem, gpdPositionBody, gpdPositionStatus, type GpdFeePayload, type GpdSettings } from './gpd-handler'
import { feeIuv, iupdOf, navOf } from './iuv'

// Homocode-free test fiscal codes and names: no real person.
const ANNA = { type: 'F' as const, fiscalCode: 'AAAAAA00A00A000A', fullName: 'Anna Prova' }
const FIRM = { type: 'G' as const, fiscalCode: '00000000000', fullName: 'Ditta di Prova S.r.l.', email: 'ufficio@example.org' }
const OFC = '01232710374'

let gpd: GpdMock
let t: TestDb
let seq = 0
let caseId = 0
let now = Date.parse('2026-11-27T10:00:00Z')
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }

const settings = (over: Partial<GpdSettings> = {}): GpdSettings => ({
  baseUrl: gpd.baseUrl,
  subscriptionKey: gpd.key,
  organizationFiscalCode: OFC,
  companyName: 'Comune di Bologna',
  officeName: 'Settore Mobilità',
  iban: 'IT60X0542811101000000123456',
  category: '9/0301109AP/',
  ...over,
})
const fee = (over: Partial<GpdFeePayload> = {}): GpdFeePayload => {
  const iuv = feeIuv({ segregationCode: '02', prefix: '26', sequence: ++seq })
  return { iupd: iupdOf(OFC, iuv), iuv, amountCents: 1650, dueDate: '2026-12-31', description: 'Diritti di istruttoria – segnalazione n. 1234', debtor: ANNA, caseId, ...over }
}
const enqueue = (p: GpdFeePayload) => t.db.transaction((tx) => enqueueOutbox(tx, { platform: 'gpd', operation: 'createPosition', idempotencyKey: p.iupd, caseId: p.caseId, payload: p }, now))
const worker = (over: Partial<GpdSettings> = {}) =>
  new OutboxWorker({ db: t.db, handlers: [gpdCreatePositionHandler(settings(over))], log: quiet, clock: () => now, random: () => 0, policy: { timeoutMs: 300 } })
const row = async (id: number) => (await listOutbox(t.db)).find((r) => r.id === id)!
/** The next attempt of a retried row is due. */
const later = () => (now += 3_600_000)

beforeAll(async () => {
  gpd = await startGpdMock({ clock: () => now })
  t = await createTestDb()
  await seedCaseCatalogue(t.db)
  caseId = (await createCase(t.db, { serviceCode: 'passo-carrabile', lon: 11.34, lat: 44.49, description: '', attributes: { larghezza_m: 3 }, address: null, addressId: null, mediaUrl: null, personal: {}, source: 'operator', open311ClientId: null }, { actor: 'test', actorRole: 'system', requestId: null }, now)).id
}, 120_000)
afterAll(async () => {
  await gpd?.close()
  await t?.drop()
})
beforeEach(() => {
  gpd.script = 'ok'
  gpd.violations.length = 0
})

describe.runIf(haveSpec(GPD_SPEC))('pagoPA GPD debt positions', () => {
  it('builds positions the published document accepts, for edge inputs (140-character texts, cents, due days)', () => {
    const spec = new OpenApiSpec(GPD_SPEC, { unicodeRegExp: false })
    const cases: GpdFeePayload[] = [
      fee(),
      fee({ amountCents: 1, dueDate: '2028-02-29', description: 'x'.repeat(140) }),
      fee({ amountCents: 99_999_999_999, description: `${'y'.repeat(139)}€ and more words past the limit` }),
      fee({ description: `${'z'.repeat(139)}😀`, debtor: FIRM }),
      fee({ description: '  Multa\n\n  per   sosta\tvietata  ' }),
    ]
    for (const p of cases) {
      expect(gpdPayloadProblem(p)).toBeNull()
      const body = gpdPositionBody(settings(), p)
      expect(spec.problems('PaymentPositionModel', body)).toEqual([])
      const option = (body.paymentOption as Array<Record<string, unknown>>)[0]!
      const transfer = (option.transfer as Array<Record<string, unknown>>)[0]!
      expect(String(option.description).length).toBeLessThanOrEqual(140)
      expect(transfer.remittanceInformation).toBe(option.description)
      expect(transfer.amount).toBe(p.amountCents)
      expect(option.dueDate).toBe(`${p.dueDate}T23:59:59Z`)
      expect(body).not.toHaveProperty('validityDate')
    }
    const clipped = (p: GpdFeePayload) => (gpdPositionBody(settings(), p).paymentOption as Array<{ description: string }>)[0]!.description
    expect(clipped(cases[2]!)).toBe(`${'y'.repeat(139)}€`)
    expect(clipped(cases[3]!)).toBe('z'.repeat(139))
    expect(clipped(cases[4]!)).toBe('Multa per sosta vietata')
  })

  it('refuses, without calling GPD, a fee that cannot be a position — and says why without the debtor’s data', async () => {
    const bad: Array<[Partial<GpdFeePayload>, RegExp]> = [
      [{ amountCents: 0 }, /amount/],
      [{ amountCents: 12.5 }, /amount/],
      [{ dueDate: '2026-02-30' }, /due date/],
      [{ dueDate: '31/12/2026' }, /due date/],
      [{ description: '  ' }, /description/],
      [{ iuv: '02260000000004262' }, /IUV/],
      [{ debtor: { ...ANNA, fiscalCode: 'not-a-code' } }, /fiscal code/],
    ]
    const calls = gpd.createCalls
    for (const [over, why] of bad) {
      const id = (await enqueue(fee(over)))!
      await worker().drain()
      const r = await row(id)
      expect(r).toMatchObject({ status: 'failed', lastHttpStatus: null })
      expect(r.lastError).toMatch(why)
      expect(r.lastError).not.toContain('not-a-code')
    }
    expect(gpd.createCalls).toBe(calls)
    expect(gpd.violations).toEqual([])
  })

  it('has a loopback GPD that catches a request off the specification (so an empty list means something)', async () => {
    const res = await fetch(`${gpd.baseUrl}/organizations/${OFC}/debtpositions?toPublish=yes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Ocp-Apim-Subscription-Key': gpd.key },
      body: JSON.stringify({ iupd: 'x', type: 'F', status: 'PAID', paymentOption: [{ iuv: '1', amount: 0, description: 'd', isPartialPayment: false, dueDate: '2026-12-31T23:59:59' }] }),
    })
    expect(res.status).toBe(400)
    expect(gpd.violations.join('\n')).toMatch(/required property 'companyName'/)
    expect(gpd.violations.join('\n')).toMatch(/dueDate: must match format "date-time"/)
    expect(gpd.violations.join('\n')).toMatch(/amount: must be >= 1/)
    expect(gpd.violations.join('\n')).toMatch(/toPublish|boolean/)
    expect(gpd.positions.has('x')).toBe(false)
  })

  it('creates and publishes the position: the row done with IUV and NAV, one VALID position at GPD, nothing off the specification', async () => {
    const p = fee({ debtor: FIRM })
    const id = (await enqueue(p))!
    expect(await worker().drain()).toBe(1)
    expect(await row(id)).toMatchObject({ status: 'done', lastHttpStatus: 201, attempts: 1, result: { iupd: p.iupd, iuv: p.iuv, nav: navOf(p.iuv), status: 'VALID' } })
    const held = gpd.positions.get(p.iupd)!
    expect(held.status).toBe('VALID')
    expect(held.body).toMatchObject({ iupd: p.iupd, type: 'G', fiscalCode: FIRM.fiscalCode, companyName: 'Comune di Bologna', switchToExpired: false })
    expect((held.body.paymentOption as unknown[])[0]).toMatchObject({ iuv: p.iuv, amount: 1650, transfer: [{ idTransfer: '1', iban: 'IT60X0542811101000000123456', category: '9/0301109AP/', organizationFiscalCode: OFC }] })
    expect([...gpd.positions.keys()].filter((k) => k === p.iupd)).toHaveLength(1)
    expect(gpd.violations).toEqual([])
  })

  it('queues the same fee once: the IUPD is the row’s key', async () => {
    const p = fee()
    const first = await enqueue(p)
    expect(first).not.toBeNull()
    expect(await enqueue({ ...p })).toBeNull()
    expect((await listOutbox(t.db)).filter((r) => r.idempotencyKey === p.iupd)).toHaveLength(1)
    expect(await worker().drain()).toBe(1)
    expect(gpd.positions.has(p.iupd)).toBe(true)
    expect(gpd.violations).toEqual([])
  })

  it('retries when GPD did not take the position: 500 with backoff, 429 after its Retry-After', async () => {
    gpd.script = '500'
    const failed = fee()
    const a = (await enqueue(failed))!
    await worker().drain()
    expect(await row(a)).toMatchObject({ status: 'queued', lastHttpStatus: 500, nextAttemptAtMs: now + 2_500 })
    expect(gpd.positions.has(failed.iupd)).toBe(false)
    gpd.script = '429'
    const limited = fee()
    const b = (await enqueue(limited))!
    await worker().drain()
    expect(await row(b)).toMatchObject({ status: 'queued', lastHttpStatus: 429, nextAttemptAtMs: now + 15_000 })
    later()
    await worker().drain()
    expect(await row(a)).toMatchObject({ status: 'done', lastHttpStatus: 201, attempts: 2 })
    expect(await row(b)).toMatchObject({ status: 'done', lastHttpStatus: 201, attempts: 2 })
    expect(gpd.violations).toEqual([])
  })

  it('retries a call whose answer never came (too slow, connection cut): the repeat gets 409, reads the position back, and GPD holds it once', async () => {
    for (const script of ['slow', 'drop'] as const) {
      gpd.script = script
      const p = fee()
      const calls = gpd.createCalls
      const id = (await enqueue(p))!
      await worker().drain()
      expect(await row(id)).toMatchObject({ status: 'queued', lastHttpStatus: null, attempts: 1 })
      expect(gpd.positions.has(p.iupd)).toBe(true)
      later()
      await worker().drain()
      expect(await row(id)).toMatchObject({ status: 'done', lastHttpStatus: 409, attempts: 2, result: { iupd: p.iupd, iuv: p.iuv, nav: navOf(p.iuv), status: 'VALID', alreadyCreated: true } })
      expect(gpd.createCalls - calls, script).toBe(2)
      expect([...gpd.positions.values()].filter((x) => (x.body.paymentOption as Array<{ iuv: string }>)[0]!.iuv === p.iuv)).toHaveLength(1)
    }
    expect(gpd.violations).toEqual([])
  })

  it('refuses a 409 that is not ours: another position under the IUPD, or the IUV taken by another position', async () => {
    const ours = fee()
    await enqueue(ours)
    await worker().drain()
    // The same IUPD with another amount (queued under another key: a bug upstream, not a repeat).
    const other = (await t.db.transaction((tx) => enqueueOutbox(tx, { platform: 'gpd', operation: 'createPosition', idempotencyKey: `${ours.iupd}:again`, caseId, payload: { ...ours, amountCents: 9_900 } }, now)))!
    // Our IUV under another IUPD.
    const s = (await enqueue({ ...ours, iupd: `${OFC}-another-position` }))!
    await worker().drain()
    expect(await row(other)).toMatchObject({ status: 'failed', lastHttpStatus: 409, lastError: expect.stringMatching(/different IUV or amount/) })
    expect(await row(s)).toMatchObject({ status: 'failed', lastHttpStatus: 409, lastError: expect.stringMatching(/another position already uses this IUV/) })
    for (const r of await listOutbox(t.db)) {
      expect(r.lastError ?? '').not.toContain(ANNA.fiscalCode)
      expect(r.lastError ?? '').not.toContain(ANNA.fullName)
    }
    expect(gpd.violations).toEqual([])
  })

  it('does not retry a refusal: 400, and 401 with another key', async () => {
    gpd.script = '400'
    const a = (await enqueue(fee()))!
    await worker().drain()
    expect(await row(a)).toMatchObject({ status: 'failed', lastHttpStatus: 400, attempts: 1 })
    const b = (await enqueue(fee()))!
    await worker({ subscriptionKey: 'not-the-key' }).drain()
    expect(await row(b)).toMatchObject({ status: 'failed', lastHttpStatus: 401, attempts: 1 })
    later()
    expect(await worker().drain()).toBe(0)
    expect(gpd.violations).toEqual([])
  })

  it('reads the position’s status for the polling job: VALID, then PAID with the payment’s date and receipt; an unknown IUPD is not found', async () => {
    const p = fee()
    await enqueue(p)
    await worker().drain()
    const before = await gpdPositionStatus(settings(), p.iupd)
    expect(before).toMatchObject({ kind: 'found', position: { iupd: p.iupd, status: 'VALID', paymentDate: null, option: { iuv: p.iuv, nav: navOf(p.iuv), amountCents: 1650, status: 'PO_UNPAID', idReceipt: null } } })
    gpd.pay(p.iupd, now + 60_000)
    const after = await gpdPositionStatus(settings(), p.iupd)
    const paidAt = new Date(now + 60_000).toISOString()
    expect(after).toMatchObject({ kind: 'found', position: { status: 'PAID', paymentDate: paidAt, option: { status: 'PO_PAID', paymentDate: paidAt, idReceipt: expect.any(String), pspCompany: expect.any(String) } } })
    expect(await gpdPositionStatus(settings(), `${OFC}-nothing-here`)).toEqual({ kind: 'not-found' })
    expect(await gpdPositionStatus(settings({ subscriptionKey: 'not-the-key' }), p.iupd)).toMatchObject({ kind: 'refused', http: 401 })
    expect(gpd.violations).toEqual([])
  })

  it('invalidates a fee an office withdraws; a repeat is done, a paid one is refused', async () => {
    const p = fee()
    const paid = fee()
    await enqueue(p)
    await enqueue(paid)
    await worker().drain()
    expect(await gpdInvalidatePosition(settings(), p.iupd)).toMatchObject({ kind: 'done', http: 200, result: { iupd: p.iupd, status: 'INVALID' } })
    expect(await gpdInvalidatePosition(settings(), p.iupd)).toMatchObject({ kind: 'done', http: 409, result: { status: 'INVALID', alreadyInvalid: true } })
    gpd.pay(paid.iupd)
    expect(await gpdInvalidatePosition(settings(), paid.iupd)).toMatchObject({ kind: 'refused', http: 409, error: expect.stringMatching(/PAID/) })
    expect(await gpdInvalidatePosition(settings(), `${OFC}-nothing-here`)).toMatchObject({ kind: 'refused', http: 404 })
    expect(gpd.violations).toEqual([])
  })
})
