import { useCallback, useId, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { ScenarioDetail, ScenarioSummary, ScenarioVersion } from '../api/scenario-client'
import { useFetched } from '../panels/use-fetched'
import { useFormatters } from '../panels/use-formatters'
import { editSummary } from './edit-summary'
import { isStale } from './estimate-state'
import { FitBadge } from './fit-badge'
import { hourText } from './hour-text'
import { KpiCards } from './kpi-cards'
import { kpiChanges } from './kpi-format'
import type { ScenarioRef } from './scenario-link'
import { useScenarioServices } from './scenario-services'
import type { Estimate } from './use-estimate'

export interface CompareTabProps {
  detail: ScenarioDetail
  version: ScenarioVersion
  estimate: Estimate
  baseHour: number
  /** Scenario B, when comparing two scenarios. */
  compare: ScenarioRef | null
  onCompare(compare: ScenarioRef | null): void
  /** The editor holds unsaved changes (the estimate is of the saved version). */
  dirty: boolean
  names: ReadonlyMap<string, string>
}

/**
 * The fast estimate of the version at the slider's hour against its base — or against another
 * scenario: the calibration's fit, the KPI cards with Δ and %, what the estimate could not model,
 * and the briefing. The map shows the delta layer meanwhile (split, swipe and 3D in the map bar).
 */
export function CompareTab({ detail, version, estimate, baseHour, compare, onCompare, dirty, names }: CompareTabProps) {
  const { t, i18n } = useTranslation()
  const fmt = useFormatters()
  const { client } = useScenarioServices()
  const s = estimate.state
  const shown = s.shown
  const hour = s.hour ?? shown?.hour ?? baseHour
  const changes = useMemo(() => (shown ? (shown.compare ? kpiChanges(shown.estimate.result, shown.compare.estimate.result) : kpiChanges(shown.estimate.base, shown.estimate.result)) : []), [shown])
  const fromLabel = shown?.compare ? t('scenarios.compare.a') : t('scenarios.compare.base')
  const toLabel = shown?.compare ? t('scenarios.compare.b') : t('scenarios.compare.scenario')
  const briefing = client.briefingUrl({ id: detail.id, version: version.version }, hour, (i18n.resolvedLanguage ?? i18n.language).startsWith('it') ? 'it' : 'en')
  const edits = version.document.edits

  return (
    <div className="scenario-compare" data-testid="scenario-compare" data-hour={shown?.hour ?? ''} data-loading={s.pending !== null || undefined}>
      {dirty && <p className="permission-note">{t('scenarios.compare.unsaved', { v: version.version })}</p>}
      <CompareWith detail={detail} compare={compare} onCompare={onCompare} />
      <div className="scenario-compare-head">
        <p className="small" aria-live="polite" data-testid="scenario-estimate-status">
          {s.pending !== null ? (
            <>
              <span className="spinner" aria-hidden="true" /> {t('scenarios.compare.computing', { hour: hourText(s.pending.hour ?? hour) })}
              {shown && <span className="muted"> · {t('scenarios.compare.keeping', { hour: hourText(shown.hour) })}</span>}
            </>
          ) : shown ? (
            t('scenarios.compare.of', { v: version.version, hour: hourText(shown.hour), at: fmt.time(shown.estimate.computedAtMs), seconds: fmt.number(shown.estimate.durationMs / 1000, 1) })
          ) : (
            t('scenarios.compare.waiting')
          )}
        </p>
        <a className="text-button" href={briefing} target="_blank" rel="noopener noreferrer" data-testid="scenario-briefing">
          {t('scenarios.compare.briefing')}
        </a>
      </div>
      {s.pending !== null && !shown && <p className="muted small">{t('scenarios.compare.firstSlow')}</p>}
      {s.error && (
        <p className="error-text" role="alert" data-testid="scenario-estimate-error">
          {t('scenarios.compare.failed', { message: s.error })}{' '}
          <button type="button" className="text-button" onClick={estimate.retry}>
            {t('scenarios.retry')}
          </button>
        </p>
      )}
      {shown && (
        <>
          {shown.compare ? (
            <p className="small">
              {t('scenarios.compare.abLine', { a: `${shown.estimate.scenario.title} v${shown.estimate.scenario.version ?? '—'}`, b: `${shown.compare.estimate.scenario.title} v${shown.compare.estimate.scenario.version ?? '—'}` })}
            </p>
          ) : null}
          <FitBadge calibration={shown.estimate.calibration} />
          <KpiCards changes={changes} fromLabel={fromLabel} toLabel={toLabel} stale={isStale(s)} />
          <EstimateNotes estimate={shown.estimate} edits={edits} names={names} />
          <p className="muted small" data-testid="scenario-assignment">
            {t('scenarios.compare.assignment', {
              iterations: shown.estimate.assignment.iterations,
              gap: shown.estimate.assignment.relativeGap.toExponential(1),
              links: fmt.number(shown.estimate.assignment.links),
              demand: fmt.number(shown.estimate.assignment.scenarioDemandVehH),
            })}
            {!shown.estimate.assignment.converged && ` ${t('scenarios.compare.notConverged')}`}
          </p>
        </>
      )}
    </div>
  )
}

/** "Compare with": the base (the default) or a version of another scenario (scenario A against B on the split map). */
function CompareWith({ detail, compare, onCompare }: { detail: ScenarioDetail; compare: ScenarioRef | null; onCompare(c: ScenarioRef | null): void }) {
  const { t } = useTranslation()
  const { client } = useScenarioServices()
  const selectId = useId()
  const fetchList = useCallback((signal?: AbortSignal) => client.list({}, signal), [client])
  const list = useFetched<ScenarioSummary[]>(fetchList)
  const others = (list.data ?? []).filter((s) => s.id !== detail.id || detail.latestVersion > 1)
  const value = compare ? `${compare.id}/${compare.version ?? ''}` : ''
  const options = others.flatMap((s) => Array.from({ length: Math.min(s.latestVersion, 10) }, (_, i) => ({ id: s.id, version: s.latestVersion - i, title: s.title })))
  return (
    <div className="scenario-compare-with">
      <label htmlFor={selectId} className="small muted">
        {t('scenarios.compare.with')}
      </label>
      <select
        id={selectId}
        value={value}
        onChange={(e) => {
          const [id, v] = e.target.value.split('/')
          onCompare(id ? { id, version: v ? Number(v) : null } : null)
        }}
        data-testid="scenario-compare-with"
      >
        <option value="">{t('scenarios.compare.withBase')}</option>
        {options.map((o) => (
          <option key={`${o.id}/${o.version}`} value={`${o.id}/${o.version}`}>
            {o.title} · v{o.version}
          </option>
        ))}
      </select>
      {compare && compare.version === null && <p className="muted small">{t('scenarios.compare.pickVersion')}</p>}
    </div>
  )
}

/** What the estimate could not do: edits naming edges the network lacks, edits it does not model, edits outside the hour. */
function EstimateNotes({ estimate, edits, names }: { estimate: NonNullable<Estimate['state']['shown']>['estimate']; edits: readonly import('../../../contracts/schemas/scenario').ScenarioEdit[]; names: ReadonlyMap<string, string> }) {
  const { t } = useTranslation()
  const describe = (i: number) => (edits[i] ? editSummary(t, edits[i]!, names) : `#${i + 1}`)
  const inactive = estimate.inactiveEdits ?? []
  if (!estimate.problems.length && !estimate.unsupported.length && !inactive.length) return null
  return (
    <div className="scenario-notes" data-testid="scenario-estimate-notes">
      {estimate.problems.length > 0 && (
        <>
          <h4>{t('scenarios.compare.problems')}</h4>
          <ul>
            {estimate.problems.map((p, i) => (
              <li key={i} className="field-error">
                {describe(p.edit)}: {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {estimate.unsupported.length > 0 && (
        <>
          <h4>{t('scenarios.compare.unsupported')}</h4>
          <ul>
            {estimate.unsupported.map((p, i) => (
              <li key={i}>
                {describe(p.edit)}: {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {inactive.length > 0 && (
        <>
          <h4>{t('scenarios.compare.inactive')}</h4>
          <ul>
            {inactive.map((i) => (
              <li key={i}>{describe(i)}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
