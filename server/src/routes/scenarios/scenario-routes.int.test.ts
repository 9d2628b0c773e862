/**
 * Scenarios over real HTTP, real sessions and the real database (PGlite, or PostgreSQL under
 * test:services): create, versions compared-and-set on baseVersion (and twenty saves racing from the
 * same version: one wins), branches, status, an archived scenario read-only, the stable error codes,
 * the audit trail and who may do what. The estimate end to end on Bologna's data is in
 * scenario-estimate-routes.int.test.ts; here the database has no city, so it is refused as such.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../../../contracts/access'
import { ScenarioDetailSchema, ScenarioVersionSchema, type ScenarioDetail, type ScenarioSummary } from '../../../../contracts/scenario-api'
import type { ScenarioEdit, ScenarioInput } from '../../../../contracts/schemas/scenario'
import { searchAudit, verifyAuditChain } from '../../audit/audit-log'
import { ScenarioEstimator } from '../../scenarios/scenario-estimator'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { mountScenarioRoutes } from './scenario-routes'

let t: TestDb
let app: RouteApp
let clock = Date.UTC(2025, 2, 10, 9, 0)
const cookies: Record<string, string> = {}
const call = <T = unknown>(method: string, path: string, who: string | null, body?: unknown) => app.call<T>(method, path, who ? cookies[who]! : null, body)

const scenario = (over: Partial<ScenarioInput> = {}): ScenarioInput => ({ id: 'costa-works', title: 'Works on via Andrea Costa', base: { kind: 'observed', date: '2024-03-15', hour: 8 }, ...over })
const closure: ScenarioEdit = { kind: 'close-road', edges: ['osm-1', 'osm-2'], fromHour: 7, toHour: 10 }

beforeAll(async () => {
  t = await createTestDb()
  app = await serveRoutes(t.db, (a) => mountScenarioRoutes(a, { db: t.db, estimator: new ScenarioEstimator(t.db), attributions: async () => [], now: () => (clock += 1000) }))
  const accounts: Array<[string, Role[]]> = [['plan-neri', ['planner']], ['plan-rossi', ['planner']], ['eng-gialli', ['traffic_engineer']], ['pmo-bianchi', ['pmo']], ['op-verdi', ['operator']]]
  for (const [name, roles] of accounts) cookies[name] = await app.account(name, roles)
  // Five sign-ins (scrypt) on a loaded 2-core machine.
}, 300_000)

afterAll(async () => {
  await app?.close()
  await t?.drop()
})

describe('creating and reading', () => {
  it('creates version 1 as a draft, with the document as the schema completes it, audited', async () => {
    const r = await call<ScenarioDetail>('POST', '/api/scenarios', 'plan-neri', { document: scenario(), note: 'first draft' })
    expect(r.status, r.text).toBe(200)
    const d = ScenarioDetailSchema.parse(r.body)
    expect(d).toMatchObject({ id: 'costa-works', status: 'draft', latestVersion: 1, edits: 0, createdBy: 'plan-neri', updatedBy: 'plan-neri', parent: null, branches: [] })
    expect(d.latest.document).toEqual({ ...scenario(), network: 'city', edits: [], assumptions: [], parent: null })
    expect(d.versions).toEqual([expect.objectContaining({ version: 1, author: 'plan-neri', note: 'first draft', title: 'Works on via Andrea Costa', edits: 0 })])
    expect((await searchAudit(t.db, { target: 'scenario:costa-works@v1', limit: 5 })).map((a) => [a.action, a.actor])).toEqual([['scenario.create', 'plan-neri']])
  })

  it('refuses an id that is taken (CONFLICT) and a document the schema refuses (VALIDATION_FAILED naming the field)', async () => {
    const taken = await call('POST', '/api/scenarios', 'plan-rossi', { document: scenario({ title: 'Another' }) })
    expect(taken.status).toBe(409)
    expect(taken.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('costa-works exists already') })
    const bad = await call('POST', '/api/scenarios', 'plan-neri', { document: scenario({ id: 'Via Costa', edits: [{ kind: 'close-road', edges: [] }] as never }) })
    expect(bad.status).toBe(400)
    expect(bad.error!.code).toBe('VALIDATION_FAILED')
    expect(bad.error!.details!.map((x) => x.path)).toEqual(expect.arrayContaining(['body.document.id', 'body.document.edits.0.edges']))
    const orphan = await call('POST', '/api/scenarios', 'plan-neri', { document: scenario({ id: 'orphan', parent: { id: 'nowhere', version: 2 } }) })
    expect(orphan.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'body.document.parent' })] })
  })

  it('gives a scenario and one version; 404 with a hint for what does not exist, 400 for a malformed id', async () => {
    expect(ScenarioDetailSchema.parse((await call('GET', '/api/scenarios/costa-works', 'pmo-bianchi')).body).latestVersion).toBe(1)
    expect(ScenarioVersionSchema.parse((await call('GET', '/api/scenarios/costa-works/versions/1', 'pmo-bianchi')).body)).toMatchObject({ version: 1, author: 'plan-neri', note: 'first draft' })
    const missing = await call('GET', '/api/scenarios/nothing-here', 'plan-neri')
    expect(missing.status).toBe(404)
    expect(missing.error!.message).toContain('GET /api/scenarios')
    expect((await call('GET', '/api/scenarios/costa-works/versions/7', 'plan-neri')).error!.code).toBe('NOT_FOUND')
    expect((await call('GET', '/api/scenarios/Costa_Works', 'plan-neri')).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'path.id' })] })
  })
})

describe('versions', () => {
  it('saves a new version from the latest, audited with the hashes before and after', async () => {
    const r = await call<ScenarioDetail>('POST', '/api/scenarios/costa-works/versions', 'plan-rossi', { document: scenario({ edits: [closure], assumptions: ['Detour signed at via Saffi'] }), baseVersion: 1, note: 'closure 7–10' })
    expect(r.status, r.text).toBe(200)
    expect(r.body).toMatchObject({ latestVersion: 2, edits: 1, createdBy: 'plan-neri', updatedBy: 'plan-rossi' })
    expect(r.body.versions.map((v) => [v.version, v.author, v.edits])).toEqual([[2, 'plan-rossi', 1], [1, 'plan-neri', 0]])
    const audit = (await searchAudit(t.db, { target: 'scenario:costa-works@v2', limit: 5 }))[0]!
    expect(audit).toMatchObject({ action: 'scenario.save', actor: 'plan-rossi', detail: { baseVersion: 1, edits: 1 } })
    expect(audit.beforeHash).toMatch(/^[0-9a-f]{64}$/)
    expect(audit.afterHash).not.toBe(audit.beforeHash)
    // Version 1 is as it was.
    expect((await call<{ document: { edits: unknown[] } }>('GET', '/api/scenarios/costa-works/versions/1', 'plan-neri')).body.document.edits).toEqual([])
  })

  it('refuses a version edited from a stale base: CONFLICT, saying which version is the latest', async () => {
    const r = await call('POST', '/api/scenarios/costa-works/versions', 'plan-neri', { document: scenario({ title: 'From v1' }), baseVersion: 1 })
    expect(r.status).toBe(409)
    expect(r.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is at version 2, not 1') })
  })

  it('refuses a document whose id is not the scenario’s, naming document.id', async () => {
    const r = await call('POST', '/api/scenarios/costa-works/versions', 'plan-neri', { document: scenario({ id: 'other' }), baseVersion: 2 })
    expect(r.status).toBe(400)
    expect(r.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.document.id', message: expect.stringContaining('"other", not this scenario\'s id "costa-works"') }] })
    expect((await call('POST', '/api/scenarios/nothing-here/versions', 'plan-neri', { document: scenario({ id: 'nothing-here' }), baseVersion: 1 })).status).toBe(404)
  })

  it('of twenty saves racing from the same version, exactly one is written; the versions stay contiguous', async () => {
    await call('POST', '/api/scenarios', 'plan-neri', { document: scenario({ id: 'race' }) })
    for (let round = 1; round <= 2; round++) {
      const saves = await Promise.all(
        Array.from({ length: 20 }, (_, k) => call<ScenarioDetail>('POST', '/api/scenarios/race/versions', k % 2 ? 'plan-neri' : 'plan-rossi', { document: scenario({ id: 'race', title: `Try ${round}.${k}` }), baseVersion: round, note: `try ${k}` })),
      )
      expect(saves.filter((s) => s.status === 200)).toHaveLength(1)
      expect(saves.filter((s) => s.status === 409 && s.error?.code === 'CONFLICT')).toHaveLength(19)
      expect(saves.find((s) => s.status === 200)!.body.latestVersion).toBe(round + 1)
    }
    const rows = await t.db.query<{ version: number }>(`SELECT version FROM scenario_version WHERE scenario_id = 'race' ORDER BY version`)
    expect(rows.rows.map((r) => r.version)).toEqual([1, 2, 3])
    expect(await searchAudit(t.db, { target: 'scenario:race*', limit: 50 })).toHaveLength(3)
  }, 120_000)

  it('of twenty creates of one id racing, exactly one is written', async () => {
    const creates = await Promise.all(Array.from({ length: 20 }, (_, k) => call('POST', '/api/scenarios', 'plan-neri', { document: scenario({ id: 'same-id', title: `Create ${k}` }) })))
    expect(creates.filter((s) => s.status === 200)).toHaveLength(1)
    expect(creates.filter((s) => s.error?.code === 'CONFLICT')).toHaveLength(19)
  }, 120_000)
})

describe('branches', () => {
  it('starts a new scenario from a version, with the parent in the table and in the document', async () => {
    const r = await call<ScenarioDetail>('POST', '/api/scenarios/costa-works/versions/2/branch', 'eng-gialli', { id: 'costa-night', title: 'Works at night', note: 'the night option' })
    expect(r.status, r.text).toBe(200)
    expect(r.body).toMatchObject({ id: 'costa-night', title: 'Works at night', status: 'draft', latestVersion: 1, edits: 1, createdBy: 'eng-gialli', parent: { id: 'costa-works', version: 2 } })
    expect(r.body.latest.document).toMatchObject({ id: 'costa-night', title: 'Works at night', edits: [closure], assumptions: ['Detour signed at via Saffi'], parent: { id: 'costa-works', version: 2 } })
    expect((await call<ScenarioDetail>('GET', '/api/scenarios/costa-works', 'plan-neri')).body.branches).toEqual([{ id: 'costa-night', title: 'Works at night', parentVersion: 2 }])
    expect((await searchAudit(t.db, { target: 'scenario:costa-night@v1', limit: 5 }))[0]).toMatchObject({ action: 'scenario.branch', detail: { parent: 'costa-works@v2' } })
  })

  it('keeps the recorded parent in later versions, whatever the document says', async () => {
    const r = await call<ScenarioDetail>('POST', '/api/scenarios/costa-night/versions', 'plan-neri', { document: scenario({ id: 'costa-night', title: 'Works at night, 21–6', parent: null }), baseVersion: 1 })
    expect(r.body.latest.document.parent).toEqual({ id: 'costa-works', version: 2 })
  })

  it('refuses a branch to a taken id (CONFLICT) and from a version that does not exist (NOT_FOUND)', async () => {
    expect((await call('POST', '/api/scenarios/costa-works/versions/1/branch', 'plan-neri', { id: 'costa-night', title: 'Again' })).error!.code).toBe('CONFLICT')
    expect((await call('POST', '/api/scenarios/costa-works/versions/9/branch', 'plan-neri', { id: 'costa-x', title: 'From nowhere' })).error!.code).toBe('NOT_FOUND')
    expect((await call('POST', '/api/scenarios/costa-works/versions/1/branch', 'plan-neri', { id: 'costa-x', title: '' })).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'body.title' })] })
  })
})

describe('status', () => {
  it('publishes, archives (then read-only), reopens as a draft; every change audited', async () => {
    const published = await call<ScenarioDetail>('POST', '/api/scenarios/costa-works/status', 'plan-neri', { status: 'published' })
    expect(published.body.status).toBe('published')
    // A published scenario takes new versions.
    expect((await call<ScenarioDetail>('POST', '/api/scenarios/costa-works/versions', 'plan-neri', { document: scenario({ edits: [closure] }), baseVersion: 2, note: 'same, retitled' })).body.latestVersion).toBe(3)
    expect((await call<ScenarioDetail>('POST', '/api/scenarios/costa-works/status', 'plan-neri', { status: 'archived' })).body.status).toBe('archived')
    const save = await call('POST', '/api/scenarios/costa-works/versions', 'plan-neri', { document: scenario(), baseVersion: 3 })
    expect(save.status).toBe(409)
    expect(save.error).toMatchObject({ code: 'SCENARIO_STATE', message: expect.stringContaining('archived and read-only') })
    const publish = await call('POST', '/api/scenarios/costa-works/status', 'plan-neri', { status: 'published' })
    expect(publish.error).toMatchObject({ code: 'SCENARIO_STATE', message: expect.stringContaining('reopen it as a draft first') })
    // An archived scenario is read and branched still.
    expect((await call('GET', '/api/scenarios/costa-works/versions/3', 'pmo-bianchi')).status).toBe(200)
    expect((await call('POST', '/api/scenarios/costa-works/versions/3/branch', 'plan-neri', { id: 'costa-revived', title: 'Revived' })).status).toBe(200)
    expect((await call<ScenarioDetail>('POST', '/api/scenarios/costa-works/status', 'plan-neri', { status: 'draft' })).body.status).toBe('draft')
    // To its own status: nothing changes, nothing is audited.
    expect((await call<ScenarioDetail>('POST', '/api/scenarios/costa-works/status', 'plan-neri', { status: 'draft' })).status).toBe(200)
    const audit = await searchAudit(t.db, { action: 'scenario.status', limit: 10 })
    expect(audit.map((a) => [a.detail.from, a.detail.to])).toEqual([['archived', 'draft'], ['published', 'archived'], ['draft', 'published']])
    expect((await call('POST', '/api/scenarios/costa-works/status', 'plan-neri', { status: 'gone' })).error!.code).toBe('VALIDATION_FAILED')
  })

  it('lists the newest change first, by status when asked', async () => {
    const all = (await call<{ scenarios: ScenarioSummary[] }>('GET', '/api/scenarios', 'pmo-bianchi')).body.scenarios
    expect(all.map((s) => s.id)).toEqual(['costa-works', 'costa-revived', 'costa-night', 'same-id', 'race'])
    expect(all[0]).toMatchObject({ status: 'draft', latestVersion: 3, edits: 1, network: 'city', base: { kind: 'observed', date: '2024-03-15', hour: 8 } })
    await call('POST', '/api/scenarios/costa-night/status', 'plan-neri', { status: 'published' })
    expect((await call<{ scenarios: ScenarioSummary[] }>('GET', '/api/scenarios?status=published', 'plan-neri')).body.scenarios.map((s) => s.id)).toEqual(['costa-night'])
    expect((await call('GET', '/api/scenarios?status=lost', 'plan-neri')).error!.code).toBe('VALIDATION_FAILED')
  })
})

describe('who may do what', () => {
  it('lets planners and traffic engineers write, PMO read only; refuses operators (403) and the public (401)', async () => {
    expect((await call('GET', '/api/scenarios', 'pmo-bianchi')).status).toBe(200)
    expect((await call('POST', '/api/scenarios', 'pmo-bianchi', { document: scenario({ id: 'pmo-try' }) })).status).toBe(403)
    expect((await call('POST', '/api/scenarios/costa-night/status', 'pmo-bianchi', { status: 'archived' })).status).toBe(403)
    expect((await call('GET', '/api/scenarios', 'op-verdi')).error!.code).toBe('FORBIDDEN')
    expect((await call('GET', '/api/scenarios/costa-works/versions/1/briefing', 'op-verdi')).status).toBe(403)
    expect((await call('GET', '/api/scenarios', null)).error!.code).toBe('UNAUTHENTICATED')
    expect((await call('POST', '/api/scenarios', null, { document: scenario({ id: 'anon' }) })).status).toBe(401)
    expect((await call('POST', '/api/scenarios', 'eng-gialli', { document: scenario({ id: 'eng-made' }) })).status).toBe(200)
  })
})

describe('estimates without a city', () => {
  it('says the estimate cannot run, and why (422 SCENARIO_NOT_ESTIMABLE); an unknown version is 404', async () => {
    const r = await call('GET', '/api/scenarios/costa-works/versions/2/estimate', 'pmo-bianchi')
    expect(r.status).toBe(422)
    expect(r.error).toMatchObject({ code: 'SCENARIO_NOT_ESTIMABLE', message: expect.stringContaining('import the city first') })
    expect((await call('GET', '/api/scenarios/costa-works/versions/2/estimate/links', 'pmo-bianchi')).error!.code).toBe('SCENARIO_NOT_ESTIMABLE')
    expect((await call('GET', '/api/scenarios/costa-works/versions/2/briefing', 'pmo-bianchi')).error!.code).toBe('SCENARIO_NOT_ESTIMABLE')
    await call('POST', '/api/scenarios', 'plan-neri', { document: scenario({ id: 'on-sumo', network: 'sumo-joined' }) })
    // A scenario on a SUMO network this database has not imported: said so, with the command that imports it.
    expect((await call('GET', '/api/scenarios/on-sumo/versions/1/estimate', 'plan-neri')).error).toMatchObject({ code: 'SCENARIO_NOT_ESTIMABLE', message: expect.stringContaining('The SUMO network sumo-joined is not imported (npm run import -- sumo-joined)') })
    expect((await call('GET', '/api/scenarios/costa-works/versions/8/estimate', 'plan-neri')).error!.code).toBe('NOT_FOUND')
    expect((await call('GET', '/api/scenarios/costa-works/versions/2/estimate?hour=24', 'plan-neri')).error!.code).toBe('VALIDATION_FAILED')
  })
})

describe('audit', () => {
  it('keeps an unbroken chain', async () => {
    expect((await verifyAuditChain(t.db)).ok).toBe(true)
  })
})
