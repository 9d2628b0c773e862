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
 * district the flow now and its trend (on one scale down the column), the mean speed now (and its
 * trend where the tile is wide enough), and the congested loops — the only figure in colour, and only
 * when there are any. The city's totals close the table.
 */
export function MobilityTile({ tile }: { tile: WallTile }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const hours = chartOptions(tile.options, tile.id).hours ?? 24
  const polled = useMobility(hours)
  const m = polled.data
  const scales = useMemo(
    () => (m ? { flow: valueAxisMax(m.districts.flatMap((d) => d.traffic.hourly.map((h) => h.flowVehH))), speed: valueAxisMax(m.districts.flatMap((d) => d.traffic.hourly.map((h) => h.speedKmh)), [50]) } : null),
    [m],
  )
  return (
    <TileFrame tile={tile} defaultTitle={t('wall.tiles.mobility', { hours })} asOfMs={polled.asOfMs} staleAfterMs={STALE_AFTER_MS} error={polled.error} retryAtMs={polled.retryAtMs}>
      {m && scales ? (
        <table className="wall-table wall-mobility">
          <thead>
            <tr>
              <th scope="col">{t('wall.district')}</th>
              <th scope="col">{t('wall.mobility.flow')}</th>
              <th scope="col" className="wall-spark-head">
                {t('wall.mobility.flowTrendHead', { hours: m.window.hours })}
              </th>
              <th scope="col">{t('wall.mobility.speed')}</th>
              <th scope="col" className="wall-spark-head is-speed">
                {t('wall.mobility.speedTrendHead', { hours: m.window.hours })}
              </th>
              <th scope="col">{t('wall.mobility.congested')}</th>
            </tr>
          </thead>
          <tbody>
            {m.districts.map((d) => (
              <DistrictRow key={d.district?.id ?? 'outside'} d={d} m={m} scales={scales} />
            ))}
            <DistrictRow d={m.city} m={m} scales={null} city />
          </tbody>
        </table>
      ) : (
        <p className="wall-empty">{polled.error ? t('wall.unavailable') : t('wall.loading')}</p>
      )}
      {m && <p className="wall-axis-note">{t('wall.mobility.axis', { hours: m.window.hours, from: fmt.time(m.window.fromMs).slice(0, 5) })}</p>}
    </TileFrame>
  )
}

function DistrictRow({ d, m, scales, city = false }: { d: DistrictMobility; m: MobilityDashboard; scales: { flow: number; speed: number } | null; city?: boolean }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const now = d.traffic.now
  const name = city ? t('wall.mobility.city') : (d.district?.name ?? t('wall.outsideDistricts'))
  const flowPoints = d.traffic.hourly.map((h) => ({ tMs: h.tMs, value: h.flowVehH }))
  const speedPoints = d.traffic.hourly.map((h) => ({ tMs: h.tMs, value: h.speedKmh }))
  return (
    <tr className={city ? 'is-total' : undefined} data-district={city ? '' : (d.district?.name ?? '')}>
      <th scope="row">{name}</th>
      <td className="wall-num">{now.flowVehH === null ? '—' : fmt.number(now.flowVehH)}</td>
      <td className="wall-spark-cell">
        {scales && <Sparkline points={flowPoints} fromMs={m.window.fromMs} toMs={m.window.toMs} yMax={scales.flow} label={t('wall.mobility.flowTrend', { district: name })} />}
      </td>
      <td className="wall-num">{now.speedKmh === null ? '—' : fmt.number(now.speedKmh)}</td>
      <td className="wall-spark-cell is-speed">
        {scales && <Sparkline points={speedPoints} fromMs={m.window.fromMs} toMs={m.window.toMs} yMax={scales.speed} label={t('wall.mobility.speedTrend', { district: name })} />}
      </td>
      <td>
        {now.congested > 0 ? (
          <span className="wall-count wall-tone-high" title={t('wall.mobility.congestedCount', { count: now.congested })}>
            <span aria-hidden="true">▲ </span>
            {fmt.number(now.congested)}
          </span>
        ) : (
          <span className="wall-count is-zero">0</span>
        )}
      </td>
    </tr>
  )
}
