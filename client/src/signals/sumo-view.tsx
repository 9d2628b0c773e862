import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SUMO_DEMANDS, type PlanVersion, type SumoRun } from '../../../contracts/signal-api'
import { errorMessage } from '../panels/action-error'
import { canCancelRun, isActiveRun } from '../panels/polled-runs'
import { useFormatters } from '../panels/use-formatters'
import { usePermission } from '../panels/use-permission'
import { DEFAULT_SUMO_FORM, shownRun, SUMO_DURATIONS_S, sumoRunBody, type SumoRunForm } from './sumo-runs'
import { SumoResultsView } from './sumo-results-view'
import { useSumoRuns } from './use-sumo-runs'

export interface SumoViewProps {
  controllerId: string
  /** The stored version on screen: what a run verifies. */
  loaded: PlanVersion | null
  /** The editor holds unsaved changes (SUMO runs the stored version). */
  dirty: boolean
}

/**
 * Verify in SUMO (docs/signals.md): run the version on screen on the controller's imported network
 * with the demand of a real day and hour, follow the runs (progress every 2 s), cancel one, and read
 * a finished run's estimate against simulation and fit to the counts.
 */
export function SumoView({ controllerId, loaded, dirty }: SumoViewProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const edit = usePermission('signal-plan:edit')
  const runs = useSumoRuns(controllerId)
  const [form, setForm] = useState<SumoRunForm>(DEFAULT_SUMO_FORM)
  const [picked, setPicked] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const shown = shownRun(runs.list, picked)
  const set = (patch: Partial<SumoRunForm>) => setForm((f) => ({ ...f, ...patch }))

  const start = () => {
    if (!loaded) return
    setBusy(true)
    setMessage(null)
    runs
      .start(sumoRunBody(loaded, form))
      .then((run) => setPicked(run.id))
      .catch((err: unknown) => setMessage(t('signals.sumo.startFailed', { message: errorMessage(err) })))
      .finally(() => setBusy(false))
  }
  const cancel = (run: SumoRun) => {
    setMessage(null)
    runs.cancel(run.id).catch((err: unknown) => setMessage(t('signals.sumo.cancelFailed', { message: errorMessage(err) })))
  }

  return (
    <div className="signal-sumo">
      <p className="muted small">{t('signals.sumo.intro')}</p>
      <div className="form-actions cr-form">
        <label>
          {t('signals.sumo.demand')}
          <select value={form.demand} onChange={(e) => set({ demand: e.target.value as SumoRunForm['demand'] })} data-testid="signal-sumo-demand">
            {SUMO_DEMANDS.map((d) => (
              <option key={d} value={d}>
                {t(`signals.sumo.demandKind.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('signals.sumo.date')}
          <input type="date" value={form.date} onChange={(e) => set({ date: e.target.value })} data-testid="signal-sumo-date" />
        </label>
        <label>
          {t('signals.sumo.hour')}
          <select value={form.hour} onChange={(e) => set({ hour: Number(e.target.value) })} data-testid="signal-sumo-hour">
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={h}>{`${String(h).padStart(2, '0')}:00`}</option>
            ))}
          </select>
        </label>
        <label>
          {t('signals.sumo.duration')}
          <select value={form.durationS} onChange={(e) => set({ durationS: Number(e.target.value) })} data-testid="signal-sumo-duration">
            {SUMO_DURATIONS_S.map((s) => (
              <option key={s} value={s}>
                {t('signals.sumo.minutes', { count: s / 60 })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary-button" onClick={start} disabled={busy || !loaded || !edit.allowed} title={edit.reason} data-testid="signal-sumo-start">
          {busy ? t('signals.sumo.starting') : t('signals.sumo.start', { plan: loaded?.planId ?? '—', v: loaded?.version ?? '—' })}
        </button>
      </div>
      {!form.date && <p className="muted small">{t('signals.sumo.dateDefault')}</p>}
      {dirty && loaded && <p className="permission-note">{t('signals.sumo.unsaved', { v: loaded.version })}</p>}
      {message && (
        <p className="error-text" role="alert">
          {message}
        </p>
      )}
      {runs.error && <p className="error-text">{t('signals.loadFailed', { message: runs.error })}</p>}

      <h4>{t('signals.sumo.runs')}</h4>
      {runs.loaded && runs.list.length === 0 && <p className="muted">{t('signals.sumo.noRuns')}</p>}
      <ul className="signal-sumo-runs">
        {runs.list.map((r) => (
          <li key={r.id} className={`signal-sumo-run status-${r.status}${r.id === shown?.id ? ' is-open' : ''}`} data-testid={`signal-sumo-run-${r.id}`} data-status={r.status}>
            <button type="button" className="text-button" onClick={() => setPicked(r.id)} aria-pressed={r.id === shown?.id}>
              #{r.id} · {t('signals.sumo.runOf', { plan: r.planId, v: r.version })} · {t(`signals.sumo.demandKind.${r.request.demand}`)} ·{' '}
              {t('signals.sumo.when', { date: r.request.date ?? '—', hour: String(r.request.hour).padStart(2, '0'), minutes: Math.round(r.request.durationS / 60) })}
            </button>
            <span className="signal-sumo-status">
              {r.status === 'failed' && <span aria-hidden="true">▲ </span>}
              {t(`signals.sumo.status.${r.status}`)}
            </span>
            {isActiveRun(r) && (
              <span className="signal-sumo-progress">
                <progress max={1} value={r.progress} data-testid="signal-sumo-progress" aria-label={t('signals.sumo.progress', { id: r.id })} />{' '}
                {fmt.number(r.progress * 100, 0)} %{r.cancelRequested && ` · ${t('signals.sumo.cancelling')}`}
              </span>
            )}
            {canCancelRun(r) && (
              <button type="button" className="text-button" onClick={() => cancel(r)} disabled={!edit.allowed} title={edit.reason} data-testid="signal-sumo-cancel">
                {t('signals.sumo.cancel')}
              </button>
            )}
            <span className="muted small">{t('signals.sumo.requested', { by: r.requestedBy, at: fmt.dateTime(r.requestedAtMs) })}</span>
          </li>
        ))}
      </ul>

      {shown && (
        <section className="signal-sumo-detail" aria-label={t('signals.sumo.detail', { id: shown.id })} data-testid="signal-sumo-detail" data-run={shown.id}>
          <h4>
            #{shown.id} · {t('signals.sumo.runOf', { plan: shown.planId, v: shown.version })}
          </h4>
          {shown.status === 'failed' && <p className="error-text">{t('signals.sumo.failed', { message: shown.error ?? '' })}</p>}
          {shown.status === 'cancelled' && <p className="muted">{t('signals.sumo.cancelledBy', { by: shown.cancelledBy ?? '—' })}</p>}
          {isActiveRun(shown) && <p className="muted">{t('signals.sumo.waiting')}</p>}
          {shown.results && <SumoResultsView results={shown.results} />}
        </section>
      )}
    </div>
  )
}
