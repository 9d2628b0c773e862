import { useCallback, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { AirQualityStandard, EnvironmentDashboard, Station, StationPollutant } from '../../../../contracts/dashboard-api'
import type { WallTile } from '../../../../contracts/wall'
import { useFormatters } from '../../panels/use-formatters'
import { valueAxisMax } from '../charts/scale'
import { Sparkline } from '../charts/sparkline'
import { shortStationNames } from '../station-names'
import { TileFrame } from '../tile-frame'
import { chartOptions } from '../tile-options'
import { usePolled } from '../use-polled'
import { useWall } from '../wall-context'
import { DASHBOARD_POLL_MS } from './mobility-tile'

const STALE_AFTER_MS = 2 * DASHBOARD_POLL_MS + 15_000
/**
 * The values the wall compares with unless the layout says (`options.standards`): the three legal
 * values an alarm rule watches — NO₂ hourly, PM10 daily, O₃ information threshold. Annual means are
 * left out: early in the year a year-to-date mean says little.
 */
export const WALL_STANDARDS: readonly string[] = ['no2-hour', 'pm10-day', 'o3-information']

/** The environment dashboard, polled every minute (shared by the air-quality tile and the district cards). */
export function useEnvironment(days: number) {
  const { api, connections } = useWall()
  const fetcher = useCallback((signal: AbortSignal) => api.environmentDashboard(days, signal), [api, days])
  return usePolled(fetcher, DASHBOARD_POLL_MS, connections)
}

const unitText = (u: 'ug/m3' | 'mg/m3') => (u === 'ug/m3' ? 'µg/m³' : 'mg/m³')
const STALE_QUALITIES = new Set(['uncertain_stale', 'bad_no_comm'])

/**
 * Air quality per station against the legal values of D.Lgs. 155/2010: one column per value (NO₂
 * hourly, PM10 daily, O₃ information threshold, PM2.5 annual), one row per station; each cell gives
 * the figure the law compares, the trend over the last days with the limit as a dashed line, and —
 * only when the figure is above — the colour and the words "ABOVE LIMIT".
 */
export function AirQualityTile({ tile }: { tile: WallTile }) {
  const { t } = useTranslation()
  const options = useMemo(() => chartOptions(tile.options, tile.id), [tile])
  const days = options.days ?? 7
  const wanted = options.standards ?? WALL_STANDARDS
  const polled = useEnvironment(days)
  const env = polled.data
  const standards = useMemo(() => (env ? wanted.map((id) => env.standards.find((s) => s.id === id)).filter((s): s is AirQualityStandard => s !== undefined) : []), [env, wanted])
  const short = useMemo(() => shortStationNames(env?.stations.map((s) => s.name) ?? []), [env])
  const above = env ? env.stations.flatMap((s) => s.pollutants.flatMap((p) => p.standards.filter((f) => f.above && standards.some((st) => st.id === f.standardId)))).length : 0
  return (
    <TileFrame
      tile={tile}
      defaultTitle={t('wall.tiles.airQuality', { days })}
      asOfMs={polled.asOfMs}
      staleAfterMs={STALE_AFTER_MS}
      error={polled.error}
      retryAtMs={polled.retryAtMs}
      summary={
        env ? (
          above > 0 ? (
            <strong className="wall-count wall-tone-high">
              <span aria-hidden="true">▲ </span>
              {t('wall.air.aboveCount', { count: above })}
            </strong>
          ) : (
            t('wall.air.allWithin')
          )
        ) : null
      }
    >
      {env ? (
        <table className="wall-table wall-air">
          <thead>
            <tr>
              <th scope="col">{short.network ? t('wall.air.stationOf', { network: short.network }) : t('wall.air.station')}</th>
              {standards.map((s) => (
                <th scope="col" key={s.id} data-standard={s.id}>
                  {t(`wall.air.standard.${s.id}`, { defaultValue: s.what })}
                  <span className="wall-th-note">{t('wall.air.limit', { value: s.value, unit: unitText(s.unit) })}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {env.stations.map((station, i) => (
              <tr key={station.deviceId} data-station={station.deviceId}>
                <th scope="row" title={station.name}>
                  {short.names[i] ?? station.name}
                </th>
                {standards.map((s) => (
                  <StandardCell key={s.id} env={env} station={station} standard={s} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="wall-empty">{polled.error ? t('wall.unavailable') : t('wall.loading')}</p>
      )}
    </TileFrame>
  )
}

function StandardCell({ env, station, standard }: { env: EnvironmentDashboard; station: Station; standard: AirQualityStandard }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const pollutant: StationPollutant | undefined = station.pollutants.find((p) => p.pollutant === standard.pollutant)
  const figure = pollutant?.standards.find((f) => f.standardId === standard.id)
  const yMax = useMemo(
    () => valueAxisMax(env.stations.flatMap((s) => s.pollutants.filter((p) => p.pollutant === standard.pollutant).flatMap((p) => p.series.points.map((x) => x.value))), [standard.value]),
    [env, standard],
  )
  if (!pollutant || !figure) return <td className="wall-air-cell is-absent">{t('wall.air.notMeasured')}</td>
  const stale = pollutant.latest !== null && STALE_QUALITIES.has(pollutant.latest.quality)
  const fromMs = pollutant.series.stepS >= 86_400 ? env.window.dailyFromMs : env.window.hourlyFromMs
  const label = t('wall.air.trend', { station: station.name, pollutant: standard.pollutant.toUpperCase() })
  return (
    <td className={`wall-air-cell${figure.above ? ' is-above wall-tone-high' : ''}${stale ? ' is-stale' : ''}`} data-standard={standard.id} data-above={figure.above ? 'true' : 'false'}>
      <div className="wall-air-figure">
        <span className="wall-air-value">{figure.value === null ? '—' : fmt.number(figure.value)}</span>
        {figure.above && (
          <span className="wall-air-word">
            <span aria-hidden="true">▲ </span>
            {t('wall.air.above')}
          </span>
        )}
        {stale && (
          <span className="wall-age-word">
            <span aria-hidden="true">▨ </span>
            {t('wall.age.stale')}
          </span>
        )}
        {figure.exceedancesThisYear !== null && figure.allowedPerYear !== null && (
          <span className={`wall-air-exceed${figure.breached ? ' is-breached wall-tone-high' : ''}`}>
            {figure.breached && <span aria-hidden="true">▲ </span>}
            {t(`wall.air.exceedances.${standard.averaging === 'hour' ? 'hours' : 'days'}`, { count: figure.exceedancesThisYear, allowed: figure.allowedPerYear })}
          </span>
        )}
      </div>
      <Sparkline points={pollutant.series.points} fromMs={fromMs} toMs={env.window.toMs} yMax={yMax} limit={standard.value} label={label} />
    </td>
  )
}
