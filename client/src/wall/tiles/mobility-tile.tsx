import { useCallback, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { DistrictMobility, MobilityDashboard } from '../../../../contracts/dashboard-api'
import type { WallTile } from '../../../../contracts/wall'
import { useFormatters } from '../../panels/use-formatters'
import { valueAxisMax } from '../charts/scale'
import { Sparkline } from '../charts/sparkline'
import { TileFrame } from '../tile-frame'
import { chartOptions } from '../tile-options'
import { usePolled } from '../use-polled'
import { useWall } from '../wall-context'

export const DASHBOARD_POLL_MS = 60_000
const STALE_AFTER_MS = 2 * DASHBOARD_POLL_MS + 15_000

/** The mobility dashboard, polled every minute (shared by the mobility tile and the district cards). */
export function useMobility(hours: number) {
  const { api, connections } = useWall()
  const fetcher = useCallback((signal: AbortSignal) => api.mobilityDashboard(hours, signal), [api, hours])
  return usePolled(fetcher, DASHBOARD_POLL_MS, connections)
}

/**
 * Traffic by district over the last hours, as small multiples that read at a glance: for each
 * district the flow and the mean speed now, their trend on a scale shared down the column, and the
 * congested loops — the only figure in colour, and only when there are any.
 */
export function MobilityTile({ tile }: { tile: WallTile }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const hours = chartOptions(tile.options, tile.id).hours ?? 24
  const polled = useMobility(hours)
  const m = polled.data
  const scales = useMemo(() => (m ? { flow: valueAxisMax(m.districts.flatMap((d) => d.traffic.hourly.map((h) => h.flowVehH))), speed: valueAxisMax(m.districts.flatMap((d) => d.traffic.hourly.map((h) => h.speedKmh)), [50]) } : null), [m])
  return (
    <TileFrame
      tile={tile}
      defaultTitle={t('wall.tiles.mobility', { hours })}
      asOfMs={polled.asOfMs}
      staleAfterMs={STALE_AFTER_MS}
      error={polled.error}
      retryAtMs={polled.retryAtMs}
      summary={m ? <CitySummary m={m} /> : null}
    >
      {m && scales ? (
        <table className="wall-table wall-mobility">
          <thead>
            <tr>
              <th scope="col">{t('wall.district')}</th>
              <th scope="col" colSpan={2}>
                {t('wall.mobility.flow')}
              </th>
              <th scope="col" colSpan={2}>
                {t('wall.mobility.speed')}
              </th>
              <th scope="col">{t('wall.mobility.congested')}</th>
            </tr>
          </thead>
          <tbody>
            {m.districts.map((d) => (
              <DistrictRow key={d.district?.id ?? 'outside'} d={d} m={m} scales={scales} />
            ))}
          </tbody>
        </table>
      ) : (
        <p className="wall-empty">{polled.error ? t('wall.unavailable') : t('wall.loading')}</p>
      )}
      {m && <p className="wall-axis-note">{t('wall.mobility.axis', { hours: m.window.hours, from: fmt.time(m.window.fromMs).slice(0, 5) })}</p>}
    </TileFrame>
  )
}

function CitySummary({ m }: { m: MobilityDashboard }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const now = m.city.traffic.now
  return (
    <span>
      {t('wall.mobility.city', {
        flow: now.flowVehH === null ? '—' : fmt.number(now.flowVehH),
        speed: now.speedKmh === null ? '—' : fmt.number(now.speedKmh),
        reporting: fmt.number(now.reporting),
        loops: fmt.number(now.loops),
      })}
    </span>
  )
}

function DistrictRow({ d, m, scales }: { d: DistrictMobility; m: MobilityDashboard; scales: { flow: number; speed: number } }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const now = d.traffic.now
  const name = d.district?.name ?? t('wall.outsideDistricts')
  const flowPoints = d.traffic.hourly.map((h) => ({ tMs: h.tMs, value: h.flowVehH }))
  const speedPoints = d.traffic.hourly.map((h) => ({ tMs: h.tMs, value: h.speedKmh }))
  return (
    <tr data-district={d.district?.name ?? ''}>
      <th scope="row">{name}</th>
      <td className="wall-num">{now.flowVehH === null ? '—' : fmt.number(now.flowVehH)}</td>
      <td className="wall-spark-cell">
        <Sparkline points={flowPoints} fromMs={m.window.fromMs} toMs={m.window.toMs} yMax={scales.flow} label={t('wall.mobility.flowTrend', { district: name })} />
      </td>
      <td className="wall-num">{now.speedKmh === null ? '—' : fmt.number(now.speedKmh)}</td>
      <td className="wall-spark-cell">
        <Sparkline points={speedPoints} fromMs={m.window.fromMs} toMs={m.window.toMs} yMax={scales.speed} label={t('wall.mobility.speedTrend', { district: name })} />
      </td>
      <td>
        {now.congested > 0 ? (
          <span className="wall-count wall-tone-high">
            <span aria-hidden="true">▲ </span>
            {t('wall.mobility.congestedCount', { count: now.congested })}
          </span>
        ) : (
          <span className="wall-count is-zero">{t('wall.mobility.noneCongested')}</span>
        )}
      </td>
    </tr>
  )
}
