/**
 * The versions of a controller's plans and what may be done with each: which plan runs, which version
 * the editor opens first, the targets an operator may switch to, and whether each action applies to
 * the version on screen. The page only shows what the server will check again (status, four-eyes,
 * step-up): a button enabled here can still be refused.
 */
import type { PlanStatus } from '../../../contracts/schemas/signal-plan'
import type { ControllerSummary, Deployment, PlanVersionSummary } from '../../../contracts/signal-api'

export interface VersionRef {
  planId: string
  version: number
}

export const sameRef = (a: VersionRef | null | undefined, b: VersionRef | null | undefined) => !!a && !!b && a.planId === b.planId && a.version === b.version

/** The controller's plan ids, the running plan first, then by id. */
export function planIdsOf(summary: Pick<ControllerSummary, 'plans' | 'running'>): string[] {
  const ids = [...new Set(summary.plans.map((p) => p.planId))].sort()
  const running = summary.running?.planId
  return running && ids.includes(running) ? [running, ...ids.filter((id) => id !== running)] : ids
}

/** A plan's versions, newest first. */
export function versionsOfPlan(summary: Pick<ControllerSummary, 'plans'>, planId: string): PlanVersionSummary[] {
  return summary.plans.filter((p) => p.planId === planId).sort((a, b) => b.version - a.version)
}

/** What the editor opens: the running version, else the newest version of the first plan. */
export function defaultVersion(summary: Pick<ControllerSummary, 'plans' | 'running'>): VersionRef | null {
  if (summary.running) return { planId: summary.running.planId, version: summary.running.version }
  const first = planIdsOf(summary)[0]
  const newest = first === undefined ? undefined : versionsOfPlan(summary, first)[0]
  return newest ? { planId: newest.planId, version: newest.version } : null
}

/** Approved (or formerly deployed) versions an operator may switch to: not the running one, not retired. */
export function switchTargets(summary: Pick<ControllerSummary, 'plans' | 'running'>): PlanVersionSummary[] {
  return summary.plans
    .filter((p) => (p.status === 'approved' || p.status === 'deployed') && !sameRef(p, summary.running))
    .sort((a, b) => a.planId.localeCompare(b.planId) || b.version - a.version)
}

export const PLAN_ACTIONS = ['save', 'validate', 'approve', 'deploy', 'rollback'] as const
export type PlanAction = (typeof PLAN_ACTIONS)[number]

/** Why an action does not apply now (an i18n key under signals.actions.why). */
export type Why = 'noChanges' | 'saveFirst' | 'notDraft' | 'notValidated' | 'notApproved' | 'alreadyRunning' | 'nothingRunning' | 'busy' | null

export interface ActionState {
  enabled: boolean
  why: Why
  /** The validator rejects the plan on screen: the happy path is shown blocked (the server decides). */
  blocked: boolean
}

export interface ActionContext {
  /** Status of the version the editor was opened from; null for a plan not saved yet. */
  status: PlanStatus | null
  /** The editor holds unsaved changes. */
  dirty: boolean
  /** The version on screen is the one the controller runs. */
  running: boolean
  /** The controller runs some plan (rollback needs a previous one; the server knows). */
  anythingRunning: boolean
  rejects: number
  /** A deployment of this controller is waiting for its acknowledgement. */
  deploying: boolean
}

export function actionStates(c: ActionContext): Record<PlanAction, ActionState> {
  const state = (enabled: boolean, why: Why, blocks = true): ActionState => ({ enabled, why: enabled ? null : why, blocked: blocks && c.rejects > 0 })
  const clean = !c.dirty
  return {
    save: state(c.dirty || c.status === null, 'noChanges'),
    validate: state(clean && c.status === 'draft', c.dirty ? 'saveFirst' : 'notDraft'),
    approve: state(clean && c.status === 'validated', c.dirty ? 'saveFirst' : 'notValidated'),
    deploy: state(clean && c.status === 'approved' && !c.running && !c.deploying, c.dirty ? 'saveFirst' : c.deploying ? 'busy' : c.running ? 'alreadyRunning' : 'notApproved'),
    rollback: state(c.anythingRunning && !c.deploying, c.deploying ? 'busy' : 'nothingRunning', false),
  }
}

/** A deployment changed (pushed or polled): the list with it replaced or added, newest first. */
export function mergeDeployment(list: readonly Deployment[], d: Deployment): Deployment[] {
  const rest = list.filter((x) => x.id !== d.id)
  return [d, ...rest].sort((a, b) => b.id - a.id)
}

/** The newest deployment still waiting for the controller, or null. */
export function pendingDeployment(list: readonly Deployment[]): Deployment | null {
  return [...list].sort((a, b) => b.id - a.id).find((d) => d.status === 'sending') ?? null
}

/** How often to ask while a deployment is 'sending' and nothing is pushed. */
export const DEPLOYMENT_POLL_MS = 2000
