/**
 * The platforms in the office's case cycle, end to end over HTTP (PGlite, or PostgreSQL under
 * test:services), with a local SPID gateway and a loopback pagoPA GPD and SEND that validate every call
 * against the published documents: a driveway permit's fee paid at GPD and seen by the polling job
 * (the fee paid, a public `payment` event, the citizen's page); a legal notice an office sends the
 * citizen — queued with its change, sent by the outbox, followed by the polling job to its delivery,
 * a `notice` event at each step, the IUN on the citizen's page; the refusals that write nothing; a
 * platform error that leaves the row for the next round; the deliveries in the office's case view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseDetail, CaseSummary } from '../../../../contracts/case-api'
import type { MyCase } from '../../../../contracts/my-api'
import { citizenSignIn, SPID_L2, type TestCitizen } from '../../../../tests/helpers/citizen-sign-in'
import { startTestOp, type TestOp } from '../../../../tests/helpers/oidc-provider'
import { startGpdMock, type GpdMock } from '../../../../tests/helpers/platform-mock/gpd-mock'
import { haveSpec } from '../../../../tests/helpers/platform-mock/openapi-spec'
import { SEND_SPEC, startSendMock, type SendMock } from '../../../../tests/helpers/platform-mock/send-mock'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { searchAudit } from '../../audit/audit-log'
import { CitizenIdentity } from '../../citizens/citizen-identity'
import type { CitizenOidcConfig } from '../../config/config'
import { createCase, seedCaseCatalogue } from '../../db/cases'
import { CasePlatforms } from '../../platforms/case-platforms'
import { listOutbox } from '../../platforms/outbox/outbox-store'
import { OutboxWorker } from '../../platforms/outbox/outbox-worker'
import { platformPolls, type PlatformPolls } from '../../platforms/platform-polls'
import { mountMyRoutes } from '../my/my-routes'
import { mountCaseRoutes } from './case-routes'

// Fiscal codes of no real person.
const ANNA: TestCitizen = { sub: 'spid-anna', fiscal: 'RSSNNA85M41A944K', given: 'Anna', family: 'Rossi' }
const MAGGIORE: [number, number] = [11.34297, 44.49381]
const ADDRESS = { address: 'Via dell’Indipendenza 8', zip: '40121', municipality: 'Bologna', province: 'BO' }
const NOTICE = { subject: 'Esito della richiesta di passo carrabile', text: 'Gentile cittadina,\nla richiesta di passo carrabile è accolta.\nIl cartello si ritira presso l’ufficio Permessi.', recipientAddress: ADDRESS }

let now = Date.now()
let t: TestDb
let op: TestOp
let app: RouteApp
let gpd: GpdMock
let send: SendMock
let worker: OutboxWorker
let polls: PlatformPolls
let operator = ''
let sendOn = true
/** Answers the polls' next n calls with 503, as a platform that is down. */
let platformDown = 0
const pushed: CaseSummary[] = []
const warnings: string[] = []
const log = { info: () => undefined, warn: (_o: object, m?: string) => void warnings.push(m ?? ''), error: (_o: object, m?: string) => void warnings.push(m ?? '') }
const gateway: CitizenOidcConfig = { issuer: '', clientId: 'gemello-cittadini', clientSecret: 'test-client-secret', redirectUrl: '', fiscalCodeClaim: 'fiscal_number', acr: [SPID_L2] }

const detail = async (id: number) => (await app.call<CaseDetail>('GET', `/api/cases/${id}`, operator)).body
const sendNotice = (id: number, version: number, body: object = NOTICE) => app.call<CaseDetail>('POST', `/api/cases/${id}/legal-notices`, operator, { version, ...body })
/** A driveway permit Anna asks for, signed in with SPID: its fee is queued for GPD. */
async function permitOfAnna(): Promise<{ id: number; cookie: string }> {
  const cookie = (await citizenSignIn(op, app.url, ANNA)).cookie!
  const made = await app.call<MyCase>('POST', '/api/my/cases', cookie, { serviceCode: 'passo-carrabile', position: MAGGIORE, description: 'Richiesta di passo carrabile per il civico 12', attributes: { larghezza_m: 3.5 } })
  expect(made.status).toBe(201)
  return { id: made.body.id, cookie }
}
const counts = async () => {
  const r = await t.db.query<{ notices: string; sends: string; events: string }>(
    `SELECT (SELECT count(*) FROM case_notice) AS notices, (SELECT count(*) FROM platform_outbox WHERE platform = 'send') AS sends, (SELECT count(*) FROM citizen_case_event) AS events`,
  )
  return r.rows[0]
}

beforeAll(async () => {
  t = await createTestDb()
  await seedCaseCatalogue(t.db)
  op = await startTestOp({ clientId: gateway.clientId, clientSecret: 'test-client-secret' })
  gateway.issuer = op.issuer
  gpd = await startGpdMock()
  send = await startSendMock()
  const gpdConfig = { baseUrl: gpd.baseUrl, subscriptionKey: gpd.key, organizationFiscalCode: gpd.organizationFiscalCode, companyName: 'Comune di Bologna', iban: 'IT60X0542811101000000123456', category: '9/0301109AP/', segregationCode: '47', dueDays: 30 }
  const sendConfig = {
    baseUrl: send.baseUrl,
    apiKey: send.apiKey,
    senderTaxId: gpd.organizationFiscalCode,
    senderDenomination: 'Comune di Bologna',
    taxonomyCode: '010101P',
    notificationFeePolicy: 'FLAT_RATE' as const,
    physicalCommunicationType: 'AR_REGISTERED_LETTER' as const,
  }
  const platforms = new CasePlatforms({ config: { appio: null, gpd: gpdConfig, send: sendConfig, creditorFiscalCode: gpd.organizationFiscalCode }, followUrl: 'https://www.comune.bologna.it/cittadini/' })
  worker = new OutboxWorker({ db: t.db, handlers: platforms.handlers(), log, clock: () => now, random: () => 0 })
  const flaky: typeof fetch = (input, init) => (platformDown-- > 0 ? Promise.resolve(new Response('{}', { status: 503 })) : fetch(input, init))
  polls = platformPolls({ db: t.db, log, fetch: flaky, gpd: gpdConfig, send: sendConfig, clock: () => now, fee: { recheckMs: 0 }, notice: { recheckMs: 0 }, onChange: (list) => pushed.push(...list) })
  const citizens = new CitizenIdentity(t.db, gateway, { idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000, cookieSecure: false })
  const gate = {
    get sendConfigured() {
      return sendOn && platforms.sendConfigured
    },
  }
  app = await serveRoutes(t.db, (a) => {
    mountCaseRoutes(a, { db: t.db, now: () => now, personalRetentionDays: 365, platforms: gate, onChange: (c) => pushed.push(c) })
    mountMyRoutes(a, { db: t.db, citizens, platforms, creditorFiscalCode: gpd.organizationFiscalCode, personalRetentionDays: 365, now: () => now })
  })
  gateway.redirectUrl = `${app.url}/api/my/auth/callback`
  operator = await app.account('m.bianchi', ['operator'])
}, 300_000)

afterAll(async () => {
  await polls?.stop()
  await app?.close()
  await op?.close()
  await gpd?.close()
  await send?.close()
  await t?.drop()
})

describe('a fee followed to its payment', () => {
  it('sees the fee paid at GPD: paid with its receipt, a public payment event, the case pushed, the citizen’s page', async () => {
    const { id, cookie } = await permitOfAnna()
    await worker.drain()
    expect((await detail(id)).fee).toMatchObject({ amountCents: 5000, status: 'published', paidAtMs: null })
    // Not paid yet: the poll asks and changes nothing.
    now += 1_000
    expect(await polls.fees!.runOnce()).toBe('ran')
    expect((await detail(id)).fee?.status).toBe('published')
    gpd.pay((await t.db.query<{ iupd: string }>(`SELECT iupd FROM case_fee WHERE case_id = $1`, [id])).rows[0]!.iupd)
    // GPD down for a round: logged, the fee left for the next one.
    platformDown = 1
    warnings.length = 0
    now += 1_000
    expect(await polls.fees!.runOnce()).toBe('ran')
    expect((await detail(id)).fee?.status).toBe('published')
    expect(warnings.join('\n')).toMatch(/fee poll: GPD HTTP 503/)
    const before = await detail(id)
    now += 1_000
    await polls.fees!.runOnce()
    const after = await detail(id)
    expect(after.fee).toMatchObject({ status: 'paid', paidAtMs: expect.any(Number) })
    expect(after.case.version).toBe(before.case.version + 1)
    expect(after.events.at(-1)).toMatchObject({ kind: 'payment', public: true, actor: 'system:pagopa', detail: { amountCents: 5000, pspCompany: 'Banca di Test S.p.A.' } })
    expect(pushed.at(-1)).toMatchObject({ id, version: after.case.version })
    const receipt = await t.db.query<{ receipt: unknown }>(`SELECT receipt FROM case_fee WHERE case_id = $1`, [id])
    const r = receipt.rows[0]!.receipt
    expect(Object.keys(typeof r === 'string' ? (JSON.parse(r) as object) : (r as object)).sort()).toEqual(['idReceipt', 'pspCompany'])
    const mine = (await app.call<MyCase>('GET', `/api/my/cases/${id}`, cookie)).body
    expect(mine.fee).toMatchObject({ status: 'paid', paidAtMs: expect.any(Number) })
    expect(mine.toPay).toBe(false)
    // Paid once: another round records nothing more.
    now += 1_000
    await polls.fees!.runOnce()
    expect((await detail(id)).events.filter((e) => e.kind === 'payment')).toHaveLength(1)
    expect(gpd.violations).toEqual([])
  })
})

describe.runIf(haveSpec(SEND_SPEC))('a legal notice followed to its delivery', () => {
  it('queues it with the case’s change, sends it through SEND, follows it to DELIVERED, and shows the citizen its IUN', async () => {
    const { id, cookie } = await permitOfAnna()
    await worker.drain()
    const v = (await detail(id)).case.version
    now += 1_000
    const sent = await sendNotice(id, v)
    expect(sent.status).toBe(200)
    expect(sent.body.case.version).toBe(v + 1)
    expect(sent.body.notices).toEqual([expect.objectContaining({ subject: NOTICE.subject, status: 'queued', iun: null, paProtocolNumber: `GEM-${id}-1`, sentBy: 'm.bianchi' })])
    expect(sent.body.events.at(-1)).toMatchObject({ kind: 'notice', public: true, actor: 'm.bianchi', detail: { status: 'queued', paProtocolNumber: `GEM-${id}-1` } })
    expect(sent.body.deliveries.map((d) => [d.platform, d.operation, d.status])).toEqual([
      ['gpd', 'createPosition', 'done'],
      ['send', 'legalNotice', 'queued'],
    ])
    expect(pushed.at(-1)).toMatchObject({ id, version: v + 1 })
    expect((await searchAudit(t.db, { action: 'case.legal-notice', limit: 5 }))[0]).toMatchObject({ actor: 'm.bianchi', target: `case:${id}@${v + 1}` })

    // The outbox sends it: the reporter by the fiscal code of their sign-in, the address the office gave.
    now += 1_000
    await worker.drain()
    const request = send.requests.find((r) => r.paProtocolNumber === `GEM-${id}-1`)!
    expect(request.body).toMatchObject({ subject: NOTICE.subject, taxonomyCode: '010101P', recipients: [{ recipientType: 'PF', taxId: ANNA.fiscal, denomination: 'Anna Rossi', physicalAddress: ADDRESS }] })
    const requested = await detail(id)
    expect(requested.notices[0]).toMatchObject({ status: 'requested' })
    // Recorded by the outbox, which pushes nothing: the version the office's view holds stays good.
    expect(requested.case.version).toBe(v + 1)

    // SEND still evaluating: nothing changes.
    now += 1_000
    await polls.notices!.runOnce()
    expect((await detail(id)).notices[0]?.status).toBe('requested')
    const iun = send.accept(request.notificationRequestId)
    now += 1_000
    await polls.notices!.runOnce()
    expect((await detail(id)).notices[0]).toMatchObject({ status: 'accepted', iun })
    send.advance(iun, 'DELIVERING')
    now += 1_000
    await polls.notices!.runOnce()
    send.advance(iun, 'DELIVERED')
    // SEND down for a round: logged, asked again on the next.
    platformDown = 1
    warnings.length = 0
    now += 1_000
    await polls.notices!.runOnce()
    expect((await detail(id)).notices[0]?.status).toBe('delivering')
    expect(warnings.join('\n')).toMatch(/notice poll/)
    now += 1_000
    await polls.notices!.runOnce()

    const office = await detail(id)
    expect(office.notices[0]).toMatchObject({ status: 'delivered', iun })
    expect(office.events.filter((e) => e.kind === 'notice').map((e) => [e.detail?.status, e.actor])).toEqual([
      ['queued', 'm.bianchi'],
      ['requested', 'system:send'],
      ['accepted', 'system:send'],
      ['delivering', 'system:send'],
      ['delivered', 'system:send'],
    ])
    expect(office.deliveries.find((d) => d.platform === 'send')).toMatchObject({ operation: 'legalNotice', status: 'done', attempts: 1, lastError: null })
    // The case view names the calls, never what they carried.
    expect(JSON.stringify(office)).not.toContain(ANNA.fiscal)
    expect(pushed.at(-1)).toMatchObject({ id, version: office.case.version })
    const mine = (await app.call<MyCase>('GET', `/api/my/cases/${id}`, cookie)).body
    expect(mine.notices).toEqual([{ subject: NOTICE.subject, status: 'delivered', iun, statusAtMs: expect.any(Number) }])
    expect(send.violations).toEqual([])
  })
})

describe('legal notices that cannot be sent', () => {
  it('refuses without SEND, for a service without legal notices, for a reporter with no fiscal code — and writes nothing', async () => {
    const { id } = await permitOfAnna()
    const v = (await detail(id)).case.version
    const before = await counts()

    sendOn = false
    const off = await sendNotice(id, v)
    sendOn = true
    expect(off.status).toBe(409)
    expect(off.error).toMatchObject({ code: 'PLATFORM_NOT_CONFIGURED', message: expect.stringContaining('SEND_URL') })

    const cookie = (await citizenSignIn(op, app.url, ANNA)).cookie!
    const pothole = (await app.call<MyCase>('POST', '/api/my/cases', cookie, { serviceCode: 'buca-stradale', position: MAGGIORE, description: 'Buca profonda davanti al civico 3', attributes: { dimensione: 2 } })).body
    const beforePothole = await counts()
    const noService = await sendNotice(pothole.id, (await detail(pothole.id)).case.version)
    expect(noService.error).toMatchObject({ code: 'NOTICE_NOT_APPLICABLE', message: expect.stringContaining('has no legal notice') })
    expect(await counts()).toEqual(beforePothole)

    // A permit asked through Open311 with an e-mail only: nobody signed in, no fiscal code.
    const anonymous = await createCase(
      t.db,
      { serviceCode: 'passo-carrabile', lon: MAGGIORE[0], lat: MAGGIORE[1], description: 'Richiesta di passo carrabile per il civico 14', attributes: { larghezza_m: 3 }, address: null, addressId: null, mediaUrl: null, personal: { email: 'anna@example.org' }, source: 'open311', open311ClientId: null },
      { actor: 'open311:test', actorRole: 'system', requestId: null },
      now,
    )
    const beforeAnonymous = await counts()
    const noFiscal = await sendNotice(anonymous.id, (await detail(anonymous.id)).case.version)
    expect(noFiscal.error).toMatchObject({ code: 'NOTICE_NOT_APPLICABLE', message: expect.stringContaining('SPID or CIE') })
    expect(await counts()).toEqual(beforeAnonymous)

    // A stale version and a malformed body write nothing either.
    expect((await sendNotice(id, v + 5)).error?.code).toBe('CONFLICT')
    const bad = await sendNotice(id, v, { ...NOTICE, subject: 'x'.repeat(135), recipientAddress: { ...ADDRESS, country: 'IT' } })
    expect(bad.error?.code).toBe('VALIDATION_FAILED')
    expect(bad.error?.details?.map((d) => d.path)).toEqual(expect.arrayContaining(['body.subject', 'body.recipientAddress']))
    expect((await detail(id)).case.version).toBe(v)
    expect((await detail(id)).notices).toEqual([])
    expect((await counts())?.sends).toBe(before?.sends)
    expect((await listOutbox(t.db, { caseId: id })).map((r) => r.platform)).toEqual(['gpd'])
  })

  it('is refused to the public and to a planner', async () => {
    expect((await app.call('POST', '/api/cases/1/legal-notices', null, { version: 1, ...NOTICE })).status).toBe(401)
    const planner = await app.account('p.verdi', ['planner'])
    expect((await app.call('POST', '/api/cases/1/legal-notices', planner, { version: 1, ...NOTICE })).error?.code).toBe('FORBIDDEN')
  })
})
