/**
 * The signal workbench over real HTTP, real sessions and the real database (PGlite, or PostgreSQL
 * under test:services): controllers and plan versions, server-side validation whatever the client
 * sent, optimistic locking, four-eyes approval, the audit trail and who may do what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../../../contracts/access'
import type { ControllerDetail, EvaluateResponse, ListControllersResponse, PlanVersion, ValidationReportDto } from '../../../../contracts/signal-api'
import { SignalControllerSchema, SignalPlanSchema } from '../../../../contracts/schemas/signal-plan'
import { junction, plan, withRows } from '../../../../contracts/signal-safety/testing/signal-factories'
import { searchAudit, verifyAuditChain } from '../../audit/audit-log'
import { importController } from '../../db/signals'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { mountSignalRoutes } from './signal-routes'

const NOW = Math.floor(Date.now() / 60_000) * 60_000
let t: TestDb
let app: RouteApp
const cookies: Record<string, string> = {}
const call = <T = unknown>(method: string, path: string, who: string | null, body?: unknown) => app.call<T>(method, path, who ? cookies[who]! : null, body)
const BASE = '/api/signal-controllers/J1'

beforeAll(async () => {
  t = await createTestDb()
  await t.db.transaction((tx) =>
    importController(tx, { controller: SignalControllerSchema.parse(junction()), plans: [SignalPlanSchema.parse(plan())], networkId: null, deviceId: null, dataset: 'test' }, { actor: 'system:import', actorRole: 'system' }, NOW),
  )
  const refuse = async () => {
    throw new Error('not in this test')
  }
  app = await serveRoutes(t.db, (a) => mountSignalRoutes(a, { db: t.db, deployer: { deploy: refuse, rollback: refuse }, now: () => NOW }))
  const accounts: Array<[string, Role[]]> = [['eng-rossi', ['traffic_engineer']], ['eng-bianchi', ['traffic_engineer']], ['op-verdi', ['operator']], ['plan-neri', ['planner']], ['gis-gialli', ['gis_editor']]]
  for (const [name, roles] of accounts) cookies[name] = await app.account(name, roles)
}, 120_000)

afterAll(async () => {
  await app?.close()
  await t?.drop()
})

describe('reading', () => {
  it('lists the imported controller with its approved, in-service plan', async () => {
    const r = await call<ListControllersResponse>('GET', '/api/signal-controllers', 'plan-neri')
    expect(r.status).toBe(200)
    const c = r.body.controllers.find((x) => x.id === 'J1')!
    expect(c).toMatchObject({ name: 'Test junction', groups: 3, running: null })
    expect(c.plans).toEqual([expect.objectContaining({ planId: 'day', version: 1, status: 'approved', approvedBy: 'import:in-service', rejects: 0 })])
  })

  it('gives a controller with its matrices, and 404 with a hint for an unknown one', async () => {
    const r = await call<ControllerDetail>('GET', BASE, 'op-verdi')
    expect(r.body.controller.conflicts).toEqual(['.x.', 'x.x', '.x.'])
    expect(r.body.version).toBe(1)
    const missing = await call('GET', '/api/signal-controllers/nope', 'op-verdi')
    expect(missing.status).toBe(404)
    expect(missing.error!.message).toContain('GET /api/signal-controllers')
  })

  it('refuses who holds no signal-plan permission', async () => {
    expect((await call('GET', '/api/signal-controllers', 'gis-gialli')).status).toBe(403)
    expect((await call('GET', '/api/signal-controllers', null)).status).toBe(401)
  })
})

describe('plan versions', () => {
  it('stores a draft with the report the server computed, whatever the client sent', async () => {
    const unsafe = plan(withRows({ 2: [4, 'R', 'R', 'R'] }))
    const r = await call<PlanVersion>('POST', `${BASE}/plans`, 'eng-rossi', { plan: { ...unsafe, name: 'No yellow' }, baseVersion: 1, note: 'shorter clearance' })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ version: 2, status: 'draft', createdBy: 'eng-rossi' })
    expect(r.body.validation.ok).toBe(false)
    expect(r.body.validation.violations.some((v) => v.rule === 'SIG-03')).toBe(true)
    expect(r.body.planHash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses a version edited from a stale base (someone else saved meanwhile)', async () => {
    const r = await call('POST', `${BASE}/plans`, 'eng-bianchi', { plan: plan(), baseVersion: 1, note: 'from v1' })
    expect(r.status).toBe(409)
    expect(r.error).toMatchObject({ code: 'CONFLICT' })
    expect(r.error!.message).toContain('is at version 2, not 1')
  })

  it('refuses to validate an unsafe version, naming each violation', async () => {
    const r = await call<ValidationReportDto>('POST', `${BASE}/plans/day/versions/2/actions`, 'eng-rossi', { action: 'validate' })
    expect(r.status).toBe(422)
    expect(r.error!.code).toBe('PLAN_REJECTED')
    expect(r.error!.details!.some((d) => d.path.startsWith('SIG-03/day/interval 3') && d.message.includes('G → R'))).toBe(true)
    expect((await call<PlanVersion>('GET', `${BASE}/plans/day/versions/2`, 'eng-rossi')).body.status).toBe('draft')
  })

  it('validates, then approves only by another engineer (four-eyes)', async () => {
    const saved = await call<PlanVersion>('POST', `${BASE}/plans`, 'eng-rossi', { plan: plan(withRows({ 0: [32, 'G', 'R', 'G'] }), { cycleS: 74 }), baseVersion: 2, note: 'longer main green' })
    expect(saved.body).toMatchObject({ version: 3, status: 'draft' })
    expect((await call<PlanVersion>('POST', `${BASE}/plans/day/versions/3/actions`, 'eng-rossi', { action: 'validate' })).body.status).toBe('validated')
    const own = await call('POST', `${BASE}/plans/day/versions/3/actions`, 'eng-rossi', { action: 'approve' })
    expect(own.status).toBe(403)
    expect(own.error!.code).toBe('FOUR_EYES')
    const other = await call<PlanVersion>('POST', `${BASE}/plans/day/versions/3/actions`, 'eng-bianchi', { action: 'approve', note: 'checked on site' })
    expect(other.body).toMatchObject({ status: 'approved', approvedBy: 'eng-bianchi' })
    const audit = await searchAudit(t.db, { target: 'signal_plan:J1/day@v3', limit: 10 })
    expect(audit.map((a) => a.action).sort()).toEqual(['signal_plan.approve', 'signal_plan.create', 'signal_plan.validate'])
  })

  it('does not approve a draft, and retires a version', async () => {
    expect((await call('POST', `${BASE}/plans/day/versions/2/actions`, 'eng-bianchi', { action: 'approve' })).error!.code).toBe('PLAN_STATE')
    expect((await call<PlanVersion>('POST', `${BASE}/plans/day/versions/2/actions`, 'eng-bianchi', { action: 'retire' })).body.status).toBe('retired')
  })

  it('lists the history newest first', async () => {
    const r = await call<{ versions: PlanVersion[] }>('GET', `${BASE}/plans/day/versions`, 'plan-neri')
    expect(r.body.versions.map((v) => [v.version, v.status])).toEqual([[3, 'approved'], [2, 'retired'], [1, 'approved']])
  })

  it('lets only traffic engineers edit: operators and planners are refused', async () => {
    expect((await call('POST', `${BASE}/plans`, 'op-verdi', { plan: plan(), baseVersion: 3, note: 'x' })).status).toBe(403)
    expect((await call('POST', `${BASE}/plans`, 'plan-neri', { plan: plan(), baseVersion: 3, note: 'x' })).status).toBe(403)
  })
})

describe('controller versions', () => {
  it('changes the intergreen matrix as a new version, audited; a stale base is a CONFLICT', async () => {
    const before = (await call<ControllerDetail>('GET', BASE, 'eng-rossi')).body
    const controller = { ...before.controller, intergreen: { ...before.controller.intergreen, A: { B: 6 } } }
    const r = await call<ControllerDetail>('PUT', BASE, 'eng-rossi', { controller, baseVersion: 1, note: 'A → B 6 s after the site visit' })
    expect(r.status).toBe(200)
    expect(r.body.version).toBe(2)
    expect(r.body.controller.intergreen.A).toEqual({ B: 6 })
    const stale = await call('PUT', BASE, 'eng-bianchi', { controller, baseVersion: 1, note: 'again' })
    expect(stale.error!.code).toBe('CONFLICT')
    expect((await searchAudit(t.db, { action: 'signal_controller.update', limit: 5 }))[0]).toMatchObject({ actor: 'eng-rossi', target: 'signal_controller:J1@v2' })
  })
})

describe('validation without storing', () => {
  it('returns the report of the contracts validator', async () => {
    const r = await call<ValidationReportDto>('POST', '/api/signal-validation', 'plan-neri', { controller: junction(), plans: [plan(withRows({ 2: [2.9, 'Y', 'R', 'R'], 3: [4.1, 'R', 'R', 'R'] }))] })
    expect(r.status).toBe(200)
    expect(r.body.ok).toBe(false)
    expect(r.body.violations[0]).toMatchObject({ rule: 'SIG-04', groups: ['A'] })
  })
})

describe('evaluation', () => {
  it('evaluates a proposed plan against a stored one with the demand given per group (no loops on this junction)', async () => {
    const proposed = plan(withRows({ 0: [40, 'G', 'R', 'G'], 4: [10, 'R', 'G', 'R'] }), { cycleS: 72 })
    const r = await call<EvaluateResponse>('POST', `${BASE}/evaluation`, 'plan-neri', {
      plan: proposed,
      current: { planId: 'day', version: 1 },
      demandOverrides: [
        { groupId: 'A', flowVehH: 900 },
        { groupId: 'B', flowVehH: 300 },
      ],
    })
    expect(r.status).toBe(200)
    expect(r.body.window).toBeNull()
    expect(r.body.demand.map((d) => [d.groupId, d.flowVehH])).toEqual([['A', 900], ['B', 300], ['P', null]])
    const a = r.body.evaluation.groups.find((g) => g.groupId === 'A')!
    const b = r.body.evaluation.groups.find((g) => g.groupId === 'B')!
    // More green for A, less for B than the stored plan: A's delay falls, B's rises.
    const delta = (id: string) => r.body.comparison!.groups.find((g) => g.groupId === id)!.delta
    expect(delta('A').delayS).toBeLessThan(0)
    expect(delta('B').delayS).toBeGreaterThan(0)
    expect(a.metrics).not.toBeNull()
    expect(b.metrics!.degreeOfSaturation).toBeGreaterThan(0)
  })

  it('refuses a date that is not in the calendar', async () => {
    const r = await call('POST', `${BASE}/evaluation`, 'plan-neri', { planId: 'day', version: 1, demand: { untilDate: '2025-02-30' } })
    expect(r.status).toBe(400)
  })
})

describe('audit', () => {
  it('keeps an unbroken chain', async () => {
    expect((await verifyAuditChain(t.db)).ok).toBe(true)
  })
})
