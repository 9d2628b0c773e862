import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SCENARIO_SUMO_NETWORKS } from '../../../contracts/scenario-api'
import type { ScenarioDetail, ScenarioEstimate, ScenarioSumoRun, ScenarioVersion } from '../api/scenario-client'
import { errorMessage } from '../panels/action-error'
import { canCancelRun, isActiveRun } from '../panels/polled-runs'
import { useFormatters } from '../panels/use-formatters'
import { usePermission } from '../panels/use-permission'
import { HourSelect } from './hour-select'
import { hourText } from './hour-text'
import { canShowSumoRun, sumoRunHour } from './sumo-map'
import { detectorsByGeh, SCENARIO_SUMO_DURATIONS_S, sumoKpiRows } from './sumo-runs'
import { useScenarioSumoRuns } from './use-scenario-sumo-runs'
import { useSumoOnMap, type SumoOnMap } from './use-sumo-on-map'

export interface SumoTabProps {
  detail: ScenarioDetail
  version: ScenarioVersion
  /** The slider's hour: what a run simulates unless changed. */
  hour: number
  estimate: ScenarioEstimate | null
  /** A finished run is drawn on the map: the estimate is wanted beside it, at the run's hour. */
  onShowOnMap?(hour: number | null): void
}

type Network = (typeof SCENARIO_SUMO_NETWORKS)[number]

/**
 * Verify the version in SUMO (ADR 0009): queue a run on a SUMO network for one hour, follow its
 * progress, cancel it; a finished run's KPIs beside the estimate's, and its fit per loop. "Show on
 * map" draws the run's edges: their difference from the estimate on one map, the estimate's and the
 * simulation's flows side by side on the split and swipe maps.
 */
export function SumoTab({ detail, version, hour, estimate, onShowOnMap }: SumoTabProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const write = usePermission('scenario:write')
  const runs = useScenarioSumoRuns(detail.id)
  const [network, setNetwork] = useState<Network>('joined')
  const [runHour, setRunHour] = useState(hour)
  const [durationS, setDurationS] = useState<number>(3600)
  const [picked, setPicked] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const shown = runs.list.find((r) => r.id === picked) ?? runs.list[0] ?? null
  const [onMap, setOnMap] = useState(false)
  const mapped = onMap && shown && canShowSumoRun(shown) ? shown : null
  const sumoMap = useSumoOnMap(mapped, estimate)
  const mappedId = mapped?.id ?? null
  const mappedHour = mapped ? sumoRunHour(mapped) : null
  useEffect(() => {
    if (mappedId !== null) onShowOnMap?.(mappedHour)
    // Once per run drawn: the slider stays where the planner moves it afterwards.
  }, [mappedId]) // the hour and the callback are read as they are then

  const start = () => {
    setBusy(true)
    setMessage(null)
    runs
      .start({ id: detail.id, version: version.version }, { network, hour: runHour, durationS })
      .then((run) => setPicked(run.id))
      .catch((err: unknown) => setMessage(t('scenarios.sumo.startFailed', { message: errorMessage(err) })))
      .finally(() => setBusy(false))
  }
  const cancel = (run: ScenarioSumoRun) => {
    setMessage(null)
    runs.cancel(run.id).catch((err: unknown) => setMessage(t('scenarios.sumo.cancelFailed', { message: errorMessage(err) })))
  }

  return (
    <div className="scenario-sumo" data-testid="scenario-sumo">
      <p className="muted small">{t('scenarios.sumo.intro')}</p>
      <div className="form-actions cr-form">
        <label>
          {t('scenarios.sumo.network')}
          <select value={network} onChange={(e) => setNetwork(e.target.value as Network)} data-testid="scenario-sumo-network">
            {SCENARIO_SUMO_NETWORKS.map((n) => (
              <option key={n} value={n}>
                {t(`scenarios.sumo.networks.${n}`)}
              </option>
            ))}
          </select>
        </label>
        <HourSelect label={t('scenarios.sumo.hour')} value={runHour} onChange={setRunHour} testId="scenario-sumo-hour" />
        <label>
          {t('scenarios.sumo.duration')}
          <select value={durationS} onChange={(e) => setDurationS(Number(e.target.value))} data-testid="scenario-sumo-duration">
            {SCENARIO_SUMO_DURATIONS_S.map((s) => (
              <option key={s} value={s}>
                {t('scenarios.sumo.minutes', { count: s / 60 })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary-button" onClick={start} disabled={busy || !write.allowed} title={write.reason} data-testid="scenario-sumo-start">
          {busy ? t('scenarios.sumo.starting') : t('scenarios.sumo.start', { v: version.version })}
        </button>
      </div>
      {message && (
        <p className="error-text" role="alert">
          {message}
        </p>
      )}
      {runs.error && <p className="error-text">{t('scenarios.loadFailed', { message: runs.error })}</p>}
      <h4>{t('scenarios.sumo.runs')}</h4>
      {runs.loaded && runs.list.length === 0 && <p className="muted">{t('scenarios.sumo.noRuns')}</p>}
      <ul className="scenario-sumo-runs">
        {runs.list.map((r) => (
          <li key={r.id} className={`scenario-sumo-run status-${r.status}${r.id === shown?.id ? ' is-open' : ''}`} data-testid={`scenario-sumo-run-${r.id}`} data-status={r.status}>
            <button type="button" className="text-button" onClick={() => setPicked(r.id)} aria-pressed={r.id === shown?.id}>
              #{r.id} · v{r.version} · {r.request.network ? t(`scenarios.sumo.networks.${r.request.network}`) : '—'} · {r.request.hour !== undefined ? hourText(r.request.hour) : t('scenarios.sumo.baseHour')} · {t('scenarios.sumo.minutes', { count: Math.round(r.request.durationS / 60) })}
            </button>
            <span className="scenario-sumo-status">
              {r.status === 'failed' && <span aria-hidden="true">▲ </span>}
              {t(`scenarios.sumo.status.${r.status}`)}
            </span>
            {isActiveRun(r) && (
              <span className="scenario-sumo-progress">
                <progress max={1} value={r.progress} aria-label={t('scenarios.sumo.progress', { id: r.id })} data-testid="scenario-sumo-progress" /> {fmt.number(r.progress * 100, 0)} %
                {r.cancelRequested && ` · ${t('scenarios.sumo.cancelling')}`}
              </span>
            )}
            {canCancelRun(r) && (
              <button type="button" className="text-button" onClick={() => cancel(r)} disabled={!write.allowed} title={write.reason} data-testid="scenario-sumo-cancel">
                {t('scenarios.sumo.cancel')}
              </button>
            )}
            <span className="muted small">{t('scenarios.sumo.requested', { by: r.requestedBy, at: fmt.dateTime(r.requestedAtMs) })}</span>
          </li>
        ))}
      </ul>
      {shown && <SumoRunDetail run={shown} estimate={estimate} onMap={onMap} onMapChange={setOnMap} map={mapped ? sumoMap : null} />}
    </div>
  )
}

interface SumoRunDetailProps {
  run: ScenarioSumoRun
  estimate: ScenarioEstimate | null
  /** The "Show on map" toggle (it stays on from one finished run to the next). */
  onMap: boolean
  onMapChange(on: boolean): void
  /** The run's edges on the map, while they are. */
  map: SumoOnMap | null
}

function SumoRunDetail({ run, estimate, onMap, onMapChange, map }: SumoRunDetailProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const r = run.results
  return (
    <section className="scenario-sumo-detail" aria-label={t('scenarios.sumo.detail', { id: run.id })} data-testid="scenario-sumo-detail" data-run={run.id}>
      <h4>{t('scenarios.sumo.detail', { id: run.id })}</h4>
      {run.status === 'failed' && <p className="error-text">{t('scenarios.sumo.failed', { message: run.error ?? '' })}</p>}
      {run.status === 'cancelled' && <p className="muted">{t('scenarios.sumo.cancelled')}</p>}
      {isActiveRun(run) && <p className="muted">{t('scenarios.sumo.waiting')}</p>}
      {r && (
        <>
          <p className="small muted">
            {t('scenarios.sumo.summary', { network: r.network, hour: hourText(r.hour), vehicles: fmt.number(r.vehicles), edges: fmt.number(r.edgeCount), minutes: Math.round(r.measuredS / 60), wall: fmt.number(r.wallTimeS, 0) })}
          </p>
          <table className="attributes scenario-sumo-kpis" data-testid="scenario-sumo-kpis">
            <thead>
              <tr>
                <th scope="col">{t('scenarios.sumo.kpi')}</th>
                <th scope="col">{t('scenarios.sumo.simulated')}</th>
                <th scope="col">{t('scenarios.sumo.estimated')}</th>
                <th scope="col">{t('scenarios.sumo.difference')}</th>
              </tr>
            </thead>
            <tbody>
              {sumoKpiRows(r).map((row) => (
                <tr key={row.key}>
                  <th scope="row">{t(`scenarios.sumo.kpis.${row.key}`)}</th>
                  <td>{fmt.number(row.simulated, row.key === 'meanSpeedKmh' ? 1 : 0)}</td>
                  <td>{row.estimated === null ? '—' : fmt.number(row.estimated, row.key === 'meanSpeedKmh' ? 1 : 0)}</td>
                  <td>{row.differencePercent === null ? '—' : `${row.differencePercent > 0 ? '+' : row.differencePercent < 0 ? '\u2212' : ''}${fmt.number(Math.abs(row.differencePercent), 1)} %`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {canShowSumoRun(run) && (
            <div className="scenario-sumo-map">
              <label>
                <input type="checkbox" checked={onMap} onChange={(e) => onMapChange(e.target.checked)} data-testid="scenario-sumo-on-map" />
                {t('scenarios.sumo.onMap')}
              </label>
              <span className="small muted" aria-live="polite" data-testid="scenario-sumo-map-status" data-state={map ? (map.loading ? 'loading' : map.error ? 'error' : 'shown') : 'off'}>
                {map?.loading
                  ? t('scenarios.sumo.mapLoading')
                  : map?.error
                    ? t('scenarios.sumo.mapFailed', { message: map.error })
                    : map
                      ? t('scenarios.sumo.mapShown', { edges: fmt.number(map.drawn), total: fmt.number(map.total) })
                      : t('scenarios.sumo.mapHint')}
              </span>
            </div>
          )}
          {r.estimateNote ? <p className="small muted">{r.estimateNote}</p> : estimate && <p className="small muted">{t('scenarios.sumo.estimateNote', { hour: hourText(estimate.hour) })}</p>}
          {r.demand && (
            <p className="small muted" data-testid="scenario-sumo-demand">
              {t('scenarios.sumo.demand', { date: r.demand.date, edges: fmt.number(r.demand.countedEdges), scale: fmt.number(r.demand.scale, 2) })} · {r.demand.note}
            </p>
          )}
          {r.unmappedEdits.length > 0 && (
            <>
              <h4>{t('scenarios.sumo.unmapped')}</h4>
              <ul>
                {r.unmappedEdits.map((p, i) => (
                  <li key={i}>
                    #{p.edit + 1} {t(`scenarios.kind.${p.kind}`)}: {p.message}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h4>
            {t('scenarios.sumo.loops')}
            {r.gehBelow5Share !== null && ` · ${t('scenarios.sumo.loopShare', { share: fmt.number(r.gehBelow5Share * 100, 0) })}`}
          </h4>
          <table className="attributes" data-testid="scenario-sumo-loops">
            <thead>
              <tr>
                <th scope="col">{t('scenarios.sumo.loop')}</th>
                <th scope="col">{t('scenarios.sumo.counted')}</th>
                <th scope="col">{t('scenarios.sumo.simulated')}</th>
                <th scope="col">{t('scenarios.sumo.estimated')}</th>
                <th scope="col">GEH</th>
                <th scope="col">{t('scenarios.sumo.gehEstimate')}</th>
              </tr>
            </thead>
            <tbody>
              {detectorsByGeh(r).map((d) => (
                <tr key={d.deviceId} className={d.geh !== null && d.geh >= 5 ? 'is-unfit' : undefined}>
                  <th scope="row">{d.deviceId}</th>
                  <td>{d.countedVehH === null ? '—' : fmt.number(d.countedVehH)}</td>
                  <td>{fmt.number(d.simulatedVehH)}</td>
                  <td>{d.estimatedVehH === null ? '—' : fmt.number(d.estimatedVehH)}</td>
                  <td>
                    {d.geh === null ? '—' : fmt.number(d.geh, 1)}
                    {d.geh !== null && d.geh >= 5 && <span aria-hidden="true"> ▲</span>}
                  </td>
                  <td>{d.gehEstimate == null ? '—' : fmt.number(d.gehEstimate, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
