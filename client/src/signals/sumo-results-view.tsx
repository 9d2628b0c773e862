import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { SumoRunResults } from '../../../contracts/signal-api'
import { useFormatters } from '../panels/use-formatters'
import { approachRows, countTables, type Comparison, type CountRow, type GehFit } from './sumo-comparison'

/**
 * A finished run: per approach the estimate beside the simulation with the difference, the fit of the
 * simulated flow to the counts (GEH per loop and per detector — only GEH ≥ 5 is coloured, with ▲),
 * collisions, SUMO's warnings about the plan as it wrote them, and what the run cost.
 */
export function SumoResultsView({ results }: { results: SumoRunResults }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const rows = useMemo(() => approachRows(results), [results])
  const counts = useMemo(() => countTables(results), [results])
  const n = (v: number | null, digits = 0) => (v === null ? '—' : fmt.number(v, digits))
  const signed = (v: number | null, digits: number) => (v === null ? '' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${fmt.number(Math.abs(v), digits)}`)
  const pct = (share: number | null) => (share === null ? '—' : `${fmt.number(share * 100, 0)} %`)
  const fitText = (f: GehFit, what: 'detectors' | 'loops') => t(`signals.sumo.fit.${what}`, { fit: f.fit, counted: f.counted, share: pct(f.share) })
  const d = results.demand

  const cells = (c: Comparison, digits: number) => (
    <>
      <td className="num">{n(c.estimate, digits)}</td>
      <td className="num">{n(c.simulated, digits)}</td>
      <td className="num muted">{signed(c.delta, digits)}</td>
    </>
  )
  const countRows = (list: CountRow[], kind: 'detector' | 'loop') =>
    list.map((r) => (
      <tr key={r.id} className={r.level === 'poor' ? 'signal-geh-poor' : undefined} data-testid={`signal-sumo-${kind}-${r.id}`} data-geh={r.level}>
        <th scope="row">{r.id}</th>
        <td>{r.where}</td>
        {kind === 'detector' && <td>{r.deviceId ?? '—'}</td>}
        <td className="num">{n(r.countedVehH)}</td>
        <td className="num">{n(r.simulatedVehH)}</td>
        <td className="num">
          {r.level === 'poor' && <span aria-hidden="true">▲ </span>}
          {n(r.geh, 1)}
          {r.level === 'poor' && <span className="sr-only"> {t('signals.sumo.gehPoor')}</span>}
        </td>
      </tr>
    ))

  return (
    <div className="signal-sumo-results" data-testid="signal-sumo-results">
      <p className="muted small">
        {t(`signals.sumo.demandSummary.${d.kind}`, { date: d.date ?? '—', hour: String(d.hour).padStart(2, '0'), warmup: d.warmupS, measured: Math.round(d.measuredS / 60), vehicles: d.vehicles })}
        {d.samplerGehBelow5Share !== null && ` ${t('signals.sumo.sampler', { share: pct(d.samplerGehBelow5Share), edges: d.countedEdges ?? 0, seed: d.seed ?? '—' })}`}
      </p>

      <h4>{t('signals.sumo.approaches')}</h4>
      <table className="data-table signal-sumo-table">
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>{t('signals.sumo.approach')}</th>
            <th scope="colgroup" colSpan={3}>{t('signals.sumo.flow')}</th>
            <th scope="colgroup" colSpan={3}>{t('signals.sumo.delay')}</th>
            <th scope="colgroup" colSpan={3}>{t('signals.sumo.queue')}</th>
            <th scope="col" rowSpan={2}>{t('signals.sumo.stops')}</th>
          </tr>
          <tr>
            <th scope="col">{t('signals.sumo.counted')}</th>
            <th scope="col">SUMO</th>
            <th scope="col">Δ</th>
            {[0, 1].map((k) => (
              <Sides key={k} />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.edgeId} data-testid={`signal-sumo-approach-${r.edgeId}`}>
              <th scope="row">
                {r.edgeId} <span className="muted small">{r.groupIds.join(', ')}</span>
              </th>
              {cells(r.flowVehH, 0)}
              {cells(r.delayS, 1)}
              {cells(r.queueVeh, 1)}
              <td className="num">{n(r.stopsPerVehicle.simulated, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t('signals.sumo.approachHelp')}</p>

      <h4>{t('signals.sumo.counts')}</h4>
      <p data-testid="signal-sumo-fit" data-share={counts.loopFit.share ?? ''}>
        <strong>{t('signals.sumo.fitTitle')}</strong>{' '}
        {counts.loopFit.counted + counts.detectorFit.counted === 0 ? t('signals.sumo.noCounts') : `${fitText(counts.loopFit, 'loops')} · ${fitText(counts.detectorFit, 'detectors')}`}
      </p>
      <table className="data-table signal-sumo-table">
        <thead>
          <tr>
            <th scope="col">{t('signals.sumo.loop')}</th>
            <th scope="col">{t('signals.sumo.detectors')}</th>
            <th scope="col">{t('signals.sumo.countedFlow')}</th>
            <th scope="col">{t('signals.sumo.simulatedFlow')}</th>
            <th scope="col">GEH</th>
          </tr>
        </thead>
        <tbody>{countRows(counts.loops, 'loop')}</tbody>
      </table>
      <details className="signal-sumo-detectors">
        <summary>{t('signals.sumo.perDetector', { count: counts.detectors.length })}</summary>
        <table className="data-table signal-sumo-table">
          <thead>
            <tr>
              <th scope="col">{t('signals.sumo.detector')}</th>
              <th scope="col">{t('signals.sumo.lane')}</th>
              <th scope="col">{t('signals.sumo.loop')}</th>
              <th scope="col">{t('signals.sumo.countedFlow')}</th>
              <th scope="col">{t('signals.sumo.simulatedFlow')}</th>
              <th scope="col">GEH</th>
            </tr>
          </thead>
          <tbody>{countRows(counts.detectors, 'detector')}</tbody>
        </table>
      </details>

      <h4>{t('signals.sumo.safety')}</h4>
      <p data-testid="signal-sumo-collisions" className={results.collisionsAtController > 0 ? 'signal-sumo-abnormal' : undefined}>
        {results.collisionsAtController > 0 && <span aria-hidden="true">▲ </span>}
        {t('signals.sumo.collisions', { atController: results.collisionsAtController, total: results.collisions })} · {t('signals.sumo.teleports', { count: results.teleports })}
      </p>
      <div data-testid="signal-sumo-warnings">
        {results.warnings.length === 0 ? (
          <p className="muted">{t('signals.sumo.noWarnings')}</p>
        ) : (
          <>
            <p>{t('signals.sumo.warnings', { count: results.warnings.length })}</p>
            <ul className="signal-sumo-warning-list">
              {results.warnings.map((w, i) => (
                <li key={i}>
                  <code>{w}</code>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <p className="muted small" data-testid="signal-sumo-cost">
        {t('signals.sumo.cost', { wall: fmt.number(results.wallTimeS, 1), inserted: results.vehiclesInserted, trips: results.network.tripsCompleted, tls: results.tlsId, program: results.programId })}
      </p>
    </div>
  )
}

function Sides() {
  const { t } = useTranslation()
  return (
    <>
      <th scope="col">{t('signals.sumo.estimate')}</th>
      <th scope="col">SUMO</th>
      <th scope="col">Δ</th>
    </>
  )
}
