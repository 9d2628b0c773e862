import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SignalPlan } from '../../../contracts/schemas/signal-plan'
import type { ControllerDetail, Deployment, PlanVersion } from '../../../contracts/signal-api'
import { ApiError } from '../api/api-error'
import { useServices } from '../app/services'
import { errorMessage } from '../panels/action-error'
import { useFormatters } from '../panels/use-formatters'
import { usePermission } from '../panels/use-permission'
import { useStepUp } from '../panels/step-up'
import { actionStates, sameRef, switchTargets, type ActionState, type VersionRef } from './plan-versions'
import { useSignalServices } from './signal-services'
import type { Deployments } from './use-deployments'

export interface PlanActionsProps {
  detail: ControllerDetail
  loaded: PlanVersion | null
  plan: SignalPlan
  dirty: boolean
  rejects: number
  deployments: Deployments
  /** A new version was stored: open it. */
  onSaved(ref: VersionRef): void
  /** Something changed on the server: fetch the controller and the version again. */
  onChanged(): void
}

/** The text for a refused action: the contract code decides, the server's message explains. */
function refusal(t: (k: string, o?: Record<string, unknown>) => string, err: unknown): string {
  if (!(err instanceof ApiError)) return errorMessage(err)
  const known = ['FOUR_EYES', 'PLAN_REJECTED', 'PLAN_STATE', 'CONFLICT', 'DEPLOY_IN_PROGRESS', 'FORBIDDEN', 'VALIDATION_FAILED'] as const
  const code = known.find((c) => c === err.code)
  return code ? `${t(`signals.errors.${code}`)} ${err.message}` : err.message
}

/**
 * Save as a new draft, validate, approve (four-eyes), deploy (recent sign-in), switch among approved
 * versions (operators) and roll back — each allowed by role and status as far as the page can tell;
 * the server decides and its refusal is shown as it says it. Then the deployment's progress.
 */
export function PlanActions({ detail, loaded, plan, dirty, rejects, deployments, onSaved, onChanged }: PlanActionsProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { session } = useServices()
  const { client } = useSignalServices()
  const stepUp = useStepUp()
  const edit = usePermission('signal-plan:edit')
  const deploy = usePermission('signal-plan:deploy')
  const switching = usePermission('signal-plan:switch')
  const [note, setNote] = useState('')
  const [asNewPlan, setAsNewPlan] = useState(false)
  const [newPlanId, setNewPlanId] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  const [target, setTarget] = useState('')

  const id = detail.id
  const running = detail.running ? { planId: detail.running.planId, version: detail.running.version } : null
  const states = actionStates({ status: loaded?.status ?? null, dirty, running: sameRef(loaded, running), anythingRunning: running !== null, rejects, deploying: deployments.pending !== null })
  const targets = switchTargets(detail)
  const ownVersion = !!loaded && loaded.createdBy === session.user?.username

  const act = (work: () => Promise<unknown>, done: string) => {
    setBusy(true)
    setMessage(null)
    work()
      .then((r) => r !== null && setMessage({ text: done, error: false }))
      .catch((err: unknown) => setMessage({ text: refusal(t, err), error: true }))
      .finally(() => setBusy(false))
  }
  const save = () =>
    act(async () => {
      const planId = asNewPlan ? newPlanId.trim() : plan.id
      const v = await client.createPlanVersion(id, { plan: { ...plan, id: planId }, baseVersion: asNewPlan ? null : (loaded?.version ?? null), note: note.trim() })
      setNote('')
      onSaved({ planId: v.planId, version: v.version })
      return v
    }, t('signals.actions.saved'))
  const onVersion = (action: 'validate' | 'approve') =>
    loaded &&
    act(async () => {
      const v = await client.actOnPlanVersion(id, loaded.planId, loaded.version, { action })
      onChanged()
      return v
    }, t(`signals.actions.${action}d`))
  const deploying = (work: () => Promise<Deployment | null>) =>
    act(async () => {
      const d = await stepUp.run(work)
      if (d) deployments.add(d)
      return d
    }, t('signals.actions.sent'))

  const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,40}$/
  const changed = states.save.enabled || asNewPlan
  const saveState: ActionState = { enabled: changed && note.trim() !== '' && (!asNewPlan || ID_PATTERN.test(newPlanId.trim())), why: changed ? null : 'noChanges', blocked: states.save.blocked }
  const saveHint = !changed ? undefined : note.trim() === '' ? t('signals.actions.needNote') : asNewPlan && !ID_PATTERN.test(newPlanId.trim()) ? t('signals.actions.needPlanId') : undefined

  const button = (name: string, label: string, s: ActionState, allowed: { allowed: boolean; reason: string | undefined }, onClick: () => void, hint?: string) => (
    <button
      type="button"
      className={`primary-button${s.blocked ? ' is-blocked' : ''}`}
      data-testid={`signal-${name}`}
      data-blocked={s.blocked || undefined}
      disabled={busy || !s.enabled || !allowed.allowed}
      title={!allowed.allowed ? allowed.reason : (hint ?? (!s.enabled && s.why ? t(`signals.actions.why.${s.why}`) : s.blocked ? t('signals.actions.blocked', { count: rejects }) : undefined))}
      onClick={onClick}
    >
      {s.blocked && <span aria-hidden="true">▲ </span>}
      {label}
    </button>
  )
  const latest = deployments.list[0] ?? null

  return (
    <section className="signal-actions" aria-labelledby="signal-actions-title">
      <h3 id="signal-actions-title">{t('signals.actions.title')}</h3>
      {stepUp.prompt}
      <div className="cr-form">
        <label>
          {t('signals.actions.note')}
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder={t('signals.actions.notePlaceholder')} disabled={!edit.allowed} data-testid="signal-note" />
        </label>
        <label className="check-label">
          <input type="checkbox" checked={asNewPlan} onChange={(e) => setAsNewPlan(e.target.checked)} disabled={!edit.allowed} /> {t('signals.actions.asNewPlan')}
        </label>
        {asNewPlan && (
          <label>
            {t('signals.actions.newPlanId')}
            <input value={newPlanId} onChange={(e) => setNewPlanId(e.target.value)} pattern="[A-Za-z0-9_.:\-]{1,40}" maxLength={40} />
          </label>
        )}
      </div>
      <div className="form-actions">
        {button('save', t('signals.actions.save'), saveState, edit, save, saveHint)}
        {button('validate', t('signals.actions.validate'), states.validate, edit, () => onVersion('validate'))}
        {button('approve', t('signals.actions.approve'), states.approve, edit, () => onVersion('approve'))}
        {button('deploy', t('signals.actions.deploy'), states.deploy, deploy, () => loaded && window.confirm(t('signals.actions.confirmDeploy', { plan: loaded.planId, v: loaded.version, name: detail.name })) && deploying(() => client.deploy(id, { planId: loaded.planId, version: loaded.version })))}
        {button('rollback', t('signals.actions.rollback'), states.rollback, deploy, () => window.confirm(t('signals.actions.confirmRollback', { name: detail.name })) && deploying(() => client.rollback(id)))}
      </div>
      {states.approve.enabled && ownVersion && <p className="permission-note">{t('signals.actions.fourEyesHint')}</p>}
      {saveHint && <p className="muted small">{saveHint}</p>}
      {rejects > 0 && <p className="signal-verdict has-reject">▲ {t('signals.actions.blocked', { count: rejects })}</p>}
      <div className="form-actions cr-form">
        <label>
          {t('signals.actions.switchTo')}
          <select value={target} onChange={(e) => setTarget(e.target.value)} disabled={!switching.allowed || targets.length === 0} data-testid="signal-switch-target">
            <option value="">{targets.length === 0 ? t('signals.actions.noTargets') : t('signals.actions.pickTarget')}</option>
            {targets.map((v) => (
              <option key={`${v.planId}/${v.version}`} value={`${v.planId}/${v.version}`}>{`${v.planId} v${v.version} — ${v.name} (${t(`signals.status.${v.status}`)})`}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary-button"
          data-testid="signal-switch"
          disabled={busy || !switching.allowed || target === '' || deployments.pending !== null}
          title={switching.reason}
          onClick={() => {
            const [planId, v] = target.split('/')
            if (planId && v && window.confirm(t('signals.actions.confirmSwitch', { plan: planId, v, name: detail.name }))) deploying(() => client.switchPlan(id, { planId, version: Number(v) }))
          }}
        >
          {t('signals.actions.switch')}
        </button>
      </div>
      {message && (
        <p className={message.error ? 'error-text' : 'muted'} role={message.error ? 'alert' : 'status'} data-testid="signal-action-message">
          {message.text}
        </p>
      )}
      {latest && (
        <div className={`signal-deployment status-${latest.status}`} data-testid="signal-deployment-status" data-status={latest.status} role="status">
          <strong>{t(`signals.deployment.${latest.status}`)}</strong>{' '}
          {t('signals.deployment.what', { kind: t(`signals.deployment.kind.${latest.kind}`), plan: latest.planId, v: latest.version, by: latest.requestedBy, at: fmt.time(latest.requestedAtMs) })}
          {latest.status === 'sending' && <span className="muted"> · {t('signals.deployment.attempts', { count: latest.attempts })}</span>}
          {latest.detail && <div className="muted small">{latest.detail}</div>}
          {latest.status === 'unconfirmed' && <div>{t('signals.deployment.unconfirmedHelp')}</div>}
        </div>
      )}
    </section>
  )
}
