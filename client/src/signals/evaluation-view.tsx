import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SignalPlan } from '../../../contracts/schemas/signal-plan'
import { DAY_TYPES, type EvaluateResponse } from '../../../contracts/signal-api'
import { errorMessage } from '../panels/action-error'
import { useFormatters } from '../panels/use-formatters'
import { evaluationTable, type MetricPair, type Trend } from './evaluation-table'
import type { VersionRef } from './plan-versions'
import { useSignalServices } from './signal-services'

export interface EvaluationViewProps {
  controllerId: string
  plan: SignalPlan
  /** The version the controller runs: the "current" side. */
  running: VersionRef | null
}

const TREND_MARK: Record<Trend, string> = { worse: '▲', better: '▼', same: '' }

function Delta({ m, digits }: { m: MetricPair; digits: number }) {
  const fmt = useFormatters()
  if (m.delta === null || m.trend === null || m.trend === 'same') return null
  return (
    <span className={`signal-delta trend-${m.trend}`}>
      {TREND_MARK[m.trend]} {m.delta > 0 ? '+' : '−'}
      {fmt.number(Math.abs(m.delta), digits)}
    </span>
  )
}

/**
 * The edited plan against the one running, on the loop counts of the last weeks (evaluateSignalPlan):
 * per group flow, degree of saturation, delay, LOS and queue; Webster's optimal cycle for both.
 * Only a change is coloured: worse ▲ amber, better ▼.
 */
export function EvaluationView({ controllerId, plan, running }: EvaluationViewProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { client } = useSignalServices()
  const [hour, setHour] = useState(8)
  const [dayType, setDayType] = useState<(typeof DAY_TYPES)[number]>('weekday')
  const [weeks, setWeeks] = useState(4)
  const [result, setResult] = useState<{ response: EvaluateResponse; plan: SignalPlan } | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const abort = useRef<AbortController | null>(null)

  const run = () => {
    abort.current?.abort()
    const ac = new AbortController()
    abort.current = ac
    setBusy(true)
    setError(null)
    const evaluated = plan
    client
      .evaluatePlan(controllerId, { plan: evaluated, ...(running ? { current: running } : {}), demand: { weeks, dayType, hour } }, ac.signal)
      .then((response) => setResult({ response, plan: evaluated }))
      .catch((err: unknown) => !ac.signal.aborted && setError(errorMessage(err)))
      .finally(() => !ac.signal.aborted && setBusy(false))
  }
  // Evaluate once when the tab opens; after that on demand (the loop counts are a server query).
  useEffect(() => {
    run()
    return () => abort.current?.abort()
  }, [])

  const table = useMemo(() => (result ? evaluationTable(result.response) : null), [result])
  const stale = result !== null && result.plan !== plan
  const n = (v: number | null, digits: number) => (v === null ? '—' : fmt.number(v, digits))
  const pair = (m: MetricPair, digits: number) => (
    <>
      {running && <span className="muted">{n(m.current, digits)} → </span>}
      {n(m.proposed, digits)} <Delta m={m} digits={digits} />
    </>
  )

  return (
    <div className="signal-evaluation">
      <div className="form-actions cr-form">
        <label>
          {t('signals.evaluation.hour')}
          <select value={hour} onChange={(e) => setHour(Number(e.target.value))}>
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={h}>{`${String(h).padStart(2, '0')}:00`}</option>
            ))}
          </select>
        </label>
        <label>
          {t('signals.evaluation.dayType')}
          <select value={dayType} onChange={(e) => setDayType(e.target.value as (typeof DAY_TYPES)[number])}>
            {DAY_TYPES.map((d) => (
              <option key={d} value={d}>
                {t(`signals.evaluation.day.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('signals.evaluation.weeks')}
          <input type="number" min={1} max={52} value={weeks} onChange={(e) => setWeeks(Math.max(1, Math.min(52, Number(e.target.value) || 4)))} />
        </label>
        <button type="button" className="primary-button" onClick={run} disabled={busy} data-testid="signal-evaluate">
          {busy ? t('signals.evaluation.running') : t('signals.evaluation.run')}
        </button>
      </div>
      {!running && <p className="muted">{t('signals.evaluation.noRunning')}</p>}
      {error && <p className="error-text" role="alert">{t('signals.evaluation.failed', { message: error })}</p>}
      {stale && <p className="permission-note">{t('signals.evaluation.stale')}</p>}
      {result?.response.window && (
        <p className="muted small">
          {t('signals.evaluation.window', { from: result.response.window.fromDate, until: result.response.window.untilDate, days: result.response.window.days })}
        </p>
      )}
      {table && (
        <table className="data-table signal-evaluation-table" data-testid="signal-evaluation-table">
          <thead>
            <tr>
              <th scope="col">{t('signals.evaluation.group')}</th>
              <th scope="col">{t('signals.evaluation.flow')}</th>
              <th scope="col">X</th>
              <th scope="col">{t('signals.evaluation.delay')}</th>
              <th scope="col">LOS</th>
              <th scope="col">{t('signals.evaluation.queue')}</th>
            </tr>
          </thead>
          <tbody>
            {[...table.groups, table.junction].map((r) => (
              <tr key={r.groupId || '(junction)'} className={r.type === null ? 'signal-junction-row' : undefined} data-testid={`signal-evaluation-${r.groupId || 'junction'}`}>
                <th scope="row">{r.type === null ? t('signals.evaluation.junction') : r.groupId}</th>
                <td>{r.flowVehH === null ? '—' : fmt.number(r.flowVehH)}</td>
                <td>{pair(r.x, 2)}</td>
                <td>{pair(r.delayS, 1)}</td>
                <td>
                  {running && <span className="muted">{r.los.current ?? '—'} → </span>}
                  {r.los.proposed ?? '—'}
                  {r.los.trend && r.los.trend !== 'same' && <span className={`signal-delta trend-${r.los.trend}`}> {TREND_MARK[r.los.trend]}</span>}
                </td>
                <td>{pair(r.queueVeh, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {table && (
        <p data-testid="signal-webster">
          {t('signals.evaluation.webster')}:{' '}
          {table.webster.current && (
            <span className="muted">
              {t('signals.evaluation.copt', { copt: table.webster.current.optimalCycleS ?? '—', cycle: table.webster.current.cycleS })} →{' '}
            </span>
          )}
          {t('signals.evaluation.copt', { copt: table.webster.proposed.optimalCycleS ?? '—', cycle: table.webster.proposed.cycleS })}
          {table.webster.proposed.clamped && <span className="muted"> · {t(`signals.evaluation.clamped.${table.webster.proposed.clamped}`)}</span>}
          {table.webster.proposed.oversaturated && <strong className="signal-delta trend-worse"> · {t('signals.evaluation.oversaturated')}</strong>}
        </p>
      )}
      {table && table.warnings.length > 0 && (
        <ul className="muted small">
          {table.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  )
}
