/**
 * Citizens over HTTP (PGlite, or PostgreSQL under test:services) with a local OpenID Connect gateway
 * playing SPID: the sign-in (state, PKCE, nonce, the authentication level, the fiscal-code claim), the
 * citizen's own session apart from the staff's, a report made as the citizen, "my cases" and nobody
 * else's, and the national platforms in the cycle — a fee asked through a loopback pagoPA GPD when the
 * service has one, and an App IO message when the office changes the status — each validated against
 * the published documents, each made once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseDetail } from '../../../../contracts/case-api'
import type { MyCase, MyCaseSummary, MySession } from '../../../../contracts/my-api'
import { citizenSignIn, SPID_L2, SPID_L3, type TestCitizen } from '../../../../tests/helpers/citizen-sign-in'
import { startTestOp, type TestOp } from '../../../../tests/helpers/oidc-provider'
import { startAppIoMock, type AppIoMock } from '../../../../tests/helpers/platform-mock/appio-mock'
import { startGpdMock, type GpdMock } from '../../../../tests/helpers/platform-mock/gpd-mock'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { searchAudit } from '../../audit/audit-log'
import { CitizenIdentity } from '../../citizens/citizen-identity'
import type { CitizenOidcConfig } from '../../config/config'
import { seedCaseCatalogue } from '../../db/cases'
import { CasePlatforms } from '../../platforms/case-platforms'
import { listOutbox } from '../../platforms/outbox/outbox-store'
import { OutboxWorker } from '../../platforms/outbox/outbox-worker'
import { mountCaseRoutes } from '../cases/case-routes'
import { mountMyRoutes } from './my-routes'

const L2 = SPID_L2
const L1 = 'https://www.spid.gov.it/SpidL1'
// Fiscal codes of no real person (homocode-free test values).
const ANNA: TestCitizen = { sub: 'spid-anna', fiscal: 'RSSNNA85M41A944K', given: 'Anna', family: 'Rossi' }
const LUCA: TestCitizen = { sub: 'spid-luca', fiscal: 'BNCLCU90A01A944Y', given: 'Luca', family: 'Bianchi' }
const MAGGIORE: [number, number] = [11.34297, 44.49381]
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }

let t: TestDb
let op: TestOp
let app: RouteApp
let gpd: GpdMock
let io: AppIoMock
let worker: OutboxWorker
let operator = ''
const gateway: CitizenOidcConfig = { issuer: '', clientId: 'gemello-cittadini', clientSecret: 'test-client-secret', redirectUrl: '', fiscalCodeClaim: 'fiscal_number', acr: [L2, SPID_L3] }

/** The whole sign-in as a browser does it (tests/helpers/citizen-sign-in.ts). */
const signIn = (who: TestCitizen, o: { acr?: string; fiscal?: string | null } = {}) => citizenSignIn(op, app.url, who, o)

beforeAll(async () => {
  t = await createTestDb()
  await seedCaseCatalogue(t.db)
  op = await startTestOp({ clientId: gateway.clientId, clientSecret: 'test-client-secret' })
  gpd = await startGpdMock()
  io = await startAppIoMock()
  gateway.issuer = op.issuer
  const platforms = new CasePlatforms({
    config: {
      appio: { baseUrl: io.baseUrl, subscriptionKey: io.key },
      gpd: { baseUrl: gpd.baseUrl, subscriptionKey: gpd.key, organizationFiscalCode: gpd.organizationFiscalCode, companyName: 'Comune di Bologna', iban: 'IT60X0542811101000000123456', category: '9/0301109AP/', segregationCode: '47', dueDays: 30 },
      send: null,
      creditorFiscalCode: gpd.organizationFiscalCode,
    },
    followUrl: 'https://www.comune.bologna.it/cittadini/',
  })
  worker = new OutboxWorker({ db: t.db, handlers: platforms.handlers(), log: quiet, random: () => 0 })
  const citizens = new CitizenIdentity(t.db, gateway, { idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000, cookieSecure: false })
  app = await serveRoutes(t.db, (a) => {
    mountCaseRoutes(a, { db: t.db, personalRetentionDays: 365, onStatusChange: (tx, c, at) => platforms.statusChanged(tx, c, at) })
    mountMyRoutes(a, { db: t.db, citizens, platforms, creditorFiscalCode: gpd.organizationFiscalCode, personalRetentionDays: 200 })
  })
  // The gateway sends the citizen back to this server (its port is known only now; the config is read at each sign-in).
  gateway.redirectUrl = `${app.url}/api/my/auth/callback`
  operator = await app.account('m.bianchi', ['operator'])
}, 300_000)

afterAll(async () => {
  await app?.close()
  await op?.close()
  await gpd?.close()
  await io?.close()
  await t?.drop()
})

describe('signing in with SPID through the gateway', () => {
  it('asks for level 2 with PKCE, opens a citizen session with the fiscal code half hidden, and audits it', async () => {
    const before = (await app.call<MySession>('GET', '/api/my/session', null)).body
    expect(before).toEqual({ signedIn: false, citizen: null, signInAvailable: true, retentionDays: 200 })
    const { cookie, callback } = await signIn(ANNA)
    expect(callback.status).toBe(302)
    expect(callback.headers.get('location')).toBe('/cittadini/le-mie-segnalazioni')
    expect(op.lastAuthorize?.get('acr_values')).toBe(`${L2} https://www.spid.gov.it/SpidL3`)
    expect(op.lastAuthorize?.get('code_challenge_method')).toBe('S256')
    const s = (await app.call<MySession>('GET', '/api/my/session', cookie)).body
    expect(s).toMatchObject({ signedIn: true, citizen: { displayName: 'Anna Rossi', fiscalCodeHint: 'RSSNNA••••••944K', level: L2 } })
    expect(JSON.stringify(s)).not.toContain(ANNA.fiscal)
    const audit = await searchAudit(t.db, { action: 'citizen.sign-in', limit: 5 })
    expect(audit.length).toBeGreaterThan(0)
    expect(audit[0]).toMatchObject({ actorRole: 'citizen', detail: { acr: L2 } })
    expect(JSON.stringify(audit)).not.toContain(ANNA.fiscal)
  })

  it('refuses a level-1 sign-in and one without a fiscal code, opening no session', async () => {
    const low = await signIn(ANNA, { acr: L1 })
    expect(low.cookie).toBeNull()
    expect(low.callback.status).toBe(403)
    const none = await signIn(ANNA, { fiscal: null })
    expect(none.cookie).toBeNull()
    expect(((await none.callback.json()) as { error: { message: string } }).error.message).toMatch(/fiscal code/)
  })

  it('keeps the citizen’s session apart from the staff’s: a staff cookie opens no citizen route, and sign-out ends it', async () => {
    expect((await app.call('GET', '/api/my/cases', operator)).error?.code).toBe('CITIZEN_SIGN_IN_REQUIRED')
    const { cookie } = await signIn(LUCA)
    expect((await app.call('GET', '/api/my/cases', cookie)).status).toBe(200)
    expect((await app.call('GET', '/api/cases', cookie)).status).toBe(401)
    expect((await app.call('POST', '/api/my/auth/sign-out', cookie)).status).toBe(200)
    expect((await app.call('GET', '/api/my/cases', cookie)).error?.code).toBe('CITIZEN_SIGN_IN_REQUIRED')
  })
})

describe('a citizen’s reports', () => {
  it('lists the services to report under with their questions and fee, without the offices behind them', async () => {
    const { services } = (await app.call<{ services: Array<Record<string, unknown>> }>('GET', '/api/my/services', null)).body
    expect(services.find((s) => s.code === 'passo-carrabile')).toMatchObject({ feeCents: 5000, legalNotice: true, name: { it: expect.any(String), en: expect.any(String) } })
    expect(services.every((s) => !('office' in s) && !('assetCollections' in s))).toBe(true)
  })

  it('reports a pothole, finds it among their cases, and nobody else can see it', async () => {
    const anna = (await signIn(ANNA)).cookie
    const made = await app.call<MyCase>('POST', '/api/my/cases', anna, { serviceCode: 'buca-stradale', position: MAGGIORE, description: 'Buca profonda davanti al civico 3', attributes: { dimensione: 2 } })
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({ serviceCode: 'buca-stradale', status: 'new', fee: null, serviceName: { it: 'Buca nella strada' } })
    const mine = (await app.call<{ cases: MyCaseSummary[] }>('GET', '/api/my/cases', anna)).body.cases
    expect(mine.map((c) => c.id)).toContain(made.body.id)
    const luca = (await signIn(LUCA)).cookie
    expect((await app.call('GET', `/api/my/cases/${made.body.id}`, luca)).error?.code).toBe('CASE_NOT_FOUND')
    expect((await app.call<{ cases: MyCaseSummary[] }>('GET', '/api/my/cases', luca)).body.cases.map((c) => c.id)).not.toContain(made.body.id)
    // The office sees where it came from, never the fiscal code outside the audited reveal.
    const office = (await app.call<CaseDetail>('GET', `/api/cases/${made.body.id}`, operator)).body
    expect(office.case).toMatchObject({ source: 'web', hasPersonalData: true })
    expect(JSON.stringify(office)).not.toContain(ANNA.fiscal)
  })

  it('names what is wrong with a report, and stores nothing', async () => {
    const anna = (await signIn(ANNA)).cookie
    const before = (await app.call<{ cases: MyCaseSummary[] }>('GET', '/api/my/cases', anna)).body.cases.length
    const bad = await app.call('POST', '/api/my/cases', anna, { serviceCode: 'buca-stradale', position: MAGGIORE, description: 'Buca', attributes: {} })
    expect(bad.error?.code).toBe('VALIDATION_FAILED')
    expect(bad.error?.details?.map((d) => d.path)).toContain('body.description')
    expect((await app.call('POST', '/api/my/cases', anna, { serviceCode: 'no-such', position: MAGGIORE, description: 'Qualcosa di rotto qui', attributes: {} })).error?.code).toBe('SERVICE_NOT_FOUND')
    expect((await app.call('POST', '/api/my/cases', anna, { serviceCode: 'buca-stradale', position: MAGGIORE, description: 'Buca profonda davanti al civico 3', attributes: {} })).error?.code).toBe('VALIDATION_FAILED')
    expect((await app.call<{ cases: MyCaseSummary[] }>('GET', '/api/my/cases', anna)).body.cases.length).toBe(before)
  })
})

describe('the national platforms in the cycle', () => {
  it('asks the fee of a driveway permit through pagoPA once, and shows the citizen the notice number to pay', async () => {
    const anna = (await signIn(ANNA)).cookie
    const made = (await app.call<MyCase>('POST', '/api/my/cases', anna, { serviceCode: 'passo-carrabile', position: MAGGIORE, description: 'Richiesta di passo carrabile per il civico 12', attributes: { larghezza_m: 3.5 } })).body
    expect(made.fee).toMatchObject({ amountCents: 5000, status: 'pending', creditorFiscalCode: gpd.organizationFiscalCode })
    expect(made.fee!.noticeNumber).toMatch(/^347\d{15}$/)
    await worker.drain()
    await worker.drain()
    expect(gpd.positions.size).toBe(1)
    expect(gpd.violations).toEqual([])
    const after = (await app.call<MyCase>('GET', `/api/my/cases/${made.id}`, anna)).body
    expect(after.fee).toMatchObject({ status: 'published' })
    expect(after.toPay).toBe(true)
    const rows = (await listOutbox(t.db, { caseId: made.id })).filter((r) => r.platform === 'gpd')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'done' })
  })

  it('tells the citizen on App IO when the office changes the status — once, with the office’s note — and says so in the case’s history', async () => {
    io.profiles.set(ANNA.fiscal, { sender_allowed: true, preferred_languages: ['it_IT'] })
    const anna = (await signIn(ANNA)).cookie
    const made = (await app.call<MyCase>('POST', '/api/my/cases', anna, { serviceCode: 'lampione-spento', position: MAGGIORE, description: 'Il lampione davanti al civico 8 è spento da giorni', attributes: { sintomo: 1 } })).body
    const office = (await app.call<CaseDetail>('GET', `/api/cases/${made.id}`, operator)).body
    const changed = await app.call<CaseDetail>('PATCH', `/api/cases/${made.id}`, operator, { version: office.case.version, status: 'in_progress', statusNote: 'Squadra in arrivo domattina' })
    expect(changed.status).toBe(200)
    const sent = io.messages.length
    await worker.drain()
    await worker.drain()
    expect(io.messages.length - sent).toBe(1)
    expect(io.messages.at(-1)).toMatchObject({ fiscal_code: ANNA.fiscal })
    expect(io.messages.at(-1)!.markdown).toContain('Squadra in arrivo domattina')
    expect(io.violations).toEqual([])
    const events = (await app.call<CaseDetail>('GET', `/api/cases/${made.id}`, operator)).body.events
    expect(events.find((e) => e.kind === 'message')).toMatchObject({ public: false, actor: 'system:appio' })
    // The citizen's page shows the status and the note.
    expect((await app.call<MyCase>('GET', `/api/my/cases/${made.id}`, anna)).body).toMatchObject({ status: 'in_progress', statusNotes: 'Squadra in arrivo domattina' })
  })
})
