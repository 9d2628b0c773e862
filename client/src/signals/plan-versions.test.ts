import { describe, expect, it } from 'vitest'
import type { Deployment, PlanVersionSummary } from '../../../contracts/signal-api'
import { actionStates, defaultVersion, mergeDeployment, pendingDeployment, planIdsOf, switchTargets, versionsOfPlan, type ActionContext } from './plan-versions'

const version = (planId: string, v: number, status: PlanVersionSummary['status']): PlanVersionSummary => ({
  controllerId: '209',
  planId,
  version: v,
  status,
  planHash: `h${v}`,
  controllerVersion: 1,
  note: 'n',
  createdBy: 'rossi',
  createdAtMs: v * 1000,
  approvedBy: null,
  approvedAtMs: null,
  name: planId,
  control: 'fixed',
  cycleS: 72,
  rejects: 0,
  warnings: 0,
})
const deployment = (id: number, status: Deployment['status']): Deployment => ({
  id,
  controllerId: '209',
  planId: 'day',
  version: 1,
  planHash: 'h',
  sequence: id,
  kind: 'deploy',
  status,
  validatorVersion: 'v',
  requestedBy: 'rossi',
  requestedAtMs: id,
  attempts: 1,
  acknowledgedAtMs: null,
  detail: null,
})
const plans = [version('day', 1, 'retired'), version('day', 2, 'deployed'), version('day', 3, 'draft'), version('night', 1, 'approved'), version('am', 1, 'validated')]

describe('plan versions', () => {
  it('lists plan ids with the running plan first', () => {
    expect(planIdsOf({ plans, running: { planId: 'night', version: 1, sinceMs: 0, deploymentId: 1 } })).toEqual(['night', 'am', 'day'])
    expect(planIdsOf({ plans, running: null })).toEqual(['am', 'day', 'night'])
  })

  it('opens the running version, else the newest version of the first plan', () => {
    expect(defaultVersion({ plans, running: { planId: 'day', version: 2, sinceMs: 0, deploymentId: 1 } })).toEqual({ planId: 'day', version: 2 })
    expect(defaultVersion({ plans, running: null })).toEqual({ planId: 'am', version: 1 })
    expect(defaultVersion({ plans: [], running: null })).toBeNull()
  })

  it('sorts a plan’s versions newest first', () => {
    expect(versionsOfPlan({ plans }, 'day').map((v) => v.version)).toEqual([3, 2, 1])
  })

  it('offers approved and formerly deployed versions to switch to, never the running one', () => {
    const running = { planId: 'day', version: 2, sinceMs: 0, deploymentId: 1 }
    expect(switchTargets({ plans, running }).map((v) => `${v.planId}/${v.version}`)).toEqual(['night/1'])
    expect(switchTargets({ plans, running: null }).map((v) => `${v.planId}/${v.version}`)).toEqual(['day/2', 'night/1'])
  })
})

describe('which actions apply', () => {
  const ctx = (over: Partial<ActionContext>): ActionContext => ({ status: 'draft', dirty: false, running: false, anythingRunning: true, rejects: 0, deploying: false, ...over })

  it('saves only changes, validates drafts, approves validated versions, deploys approved ones', () => {
    expect(actionStates(ctx({})).save).toEqual({ enabled: false, why: 'noChanges', blocked: false })
    expect(actionStates(ctx({ dirty: true })).save.enabled).toBe(true)
    expect(actionStates(ctx({})).validate.enabled).toBe(true)
    expect(actionStates(ctx({ status: 'validated' })).approve.enabled).toBe(true)
    expect(actionStates(ctx({ status: 'approved' })).deploy.enabled).toBe(true)
    expect(actionStates(ctx({ status: 'approved', running: true })).deploy.why).toBe('alreadyRunning')
  })

  it('asks to save first when the plan on screen has unsaved changes', () => {
    const s = actionStates(ctx({ status: 'validated', dirty: true }))
    expect(s.approve).toMatchObject({ enabled: false, why: 'saveFirst' })
  })

  it('shows the happy path blocked while the validator rejects the plan, rollback excepted', () => {
    const s = actionStates(ctx({ dirty: true, rejects: 2 }))
    expect(s.save).toEqual({ enabled: true, why: null, blocked: true })
    expect(s.rollback.blocked).toBe(false)
  })

  it('waits for a deployment in flight', () => {
    expect(actionStates(ctx({ status: 'approved', deploying: true })).deploy.why).toBe('busy')
    expect(actionStates(ctx({ deploying: true })).rollback.enabled).toBe(false)
  })
})

describe('deployments', () => {
  it('replaces a changed deployment in place and keeps newest first', () => {
    const list = [deployment(2, 'sending'), deployment(1, 'acknowledged')]
    expect(mergeDeployment(list, deployment(2, 'acknowledged')).map((d) => [d.id, d.status])).toEqual([
      [2, 'acknowledged'],
      [1, 'acknowledged'],
    ])
    expect(mergeDeployment(list, deployment(3, 'sending')).map((d) => d.id)).toEqual([3, 2, 1])
  })

  it('finds the deployment still waiting for the controller', () => {
    expect(pendingDeployment([deployment(1, 'sending'), deployment(2, 'rejected')])!.id).toBe(1)
    expect(pendingDeployment([deployment(2, 'unconfirmed')])).toBeNull()
  })
})
