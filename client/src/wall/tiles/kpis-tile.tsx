import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { AlarmPriority } from '../../../../contracts/alarms'
import type { WallTile } from '../../../../contracts/wall'
import { useFormatters } from '../../panels/use-formatters'
import { PriorityBadge } from '../priority-badge'
import { TileFrame } from '../tile-frame'
import { usePolled } from '../use-polled'
import { useWall } from '../wall-context'

export const KPI_POLL_MS = 30_000
const STALE_AFTER_MS = 2 * KPI_POLL_MS + 15_000
/** EEMUA 191: up to 6 alarms per operator hour is very likely acceptable, up to 12 manageable. */
const RATE_ACCEPTABLE = 6
const RATE_MANAGEABLE = 12
/** The target distribution of activations (ADR 0006). */
const TARGET_SHARE: Record<Exclude<AlarmPriority, 'diagnostic'>, number> = { high: 0.05, medium: 0.15, low: 0.8 }

/** The alarm system's health over the last day (ISA-18.2 / EEMUA 191 KPIs). */
export function KpisTile({ tile }: { tile: WallTile }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { api, connections } = useWall()
  const hours = typeof tile.options.hours === 'number' && tile.options.hours >= 1 && tile.options.hours <= 744 ? Math.round(tile.options.hours) : 24
  const fetcher = useCallback((signal: AbortSignal) => api.alarmKpis(hours, signal), [api, hours])
  const polled = usePolled(fetcher, KPI_POLL_MS, connections)
  const k = polled.data
  const rateVerdict = !k ? null : k.alarmsPerOperatorHour <= RATE_ACCEPTABLE ? 'acceptable' : k.alarmsPerOperatorHour <= RATE_MANAGEABLE ? 'manageable' : 'overloaded'
  const ms = (v: number | null) => (v === null ? '—' : fmt.duration(v))
  return (
    <TileFrame tile={tile} defaultTitle={t('wall.tiles.kpis', { hours })} asOfMs={polled.asOfMs} staleAfterMs={STALE_AFTER_MS} error={polled.error} retryAtMs={polled.retryAtMs}>
      {k ? (
        <div className="wall-kpis">
          <div className={`wall-kpi${rateVerdict === 'overloaded' ? ' is-abnormal wall-tone-high' : ''}`} data-kpi="rate">
            <div className="wall-kpi-label">{t('wall.kpis.rate')}</div>
            <div className="wall-kpi-value">{fmt.number(k.alarmsPerOperatorHour, 1)}</div>
            <div className="wall-kpi-note">
              {rateVerdict === 'overloaded' && <span aria-hidden="true">▲ </span>}
              {t(`wall.kpis.rateVerdict.${rateVerdict}`)}
            </div>
          </div>
          <div className="wall-kpi" data-kpi="open">
            <div className="wall-kpi-label">{t('wall.kpis.open')}</div>
            <div className="wall-kpi-value">{fmt.number(k.open)}</div>
            <div className="wall-kpi-note">{t('wall.kpis.standing', { count: k.standing })}</div>
          </div>
          <div className="wall-kpi" data-kpi="ack">
            <div className="wall-kpi-label">{t('wall.kpis.timeToAck')}</div>
            <div className="wall-kpi-value">{ms(k.timeToAckMs.median)}</div>
            <div className="wall-kpi-note">{t('wall.kpis.p90', { value: ms(k.timeToAckMs.p90), count: k.timeToAckMs.count })}</div>
          </div>
          <div className="wall-kpi" data-kpi="flood">
            <div className="wall-kpi-label">{t('wall.kpis.flood')}</div>
            <div className="wall-kpi-value">{fmt.duration(k.timeInFloodMs)}</div>
            <div className="wall-kpi-note">{t('wall.kpis.chattering', { count: k.chattering })}</div>
          </div>
          <div className="wall-kpi wall-kpi-wide" data-kpi="priorities">
            <div className="wall-kpi-label">{t('wall.kpis.byPriority', { count: k.activations })}</div>
            {(['high', 'medium', 'low'] as const).map((p) => {
              const share = k.activations > 0 ? k.byPriority[p] / k.activations : 0
              return (
                <div className="wall-share" key={p}>
                  <PriorityBadge priority={p} filled={false} />
                  <span className="wall-share-bar" aria-hidden="true">
                    <span className="wall-share-fill" style={{ width: `${Math.round(share * 100)}%` }} />
                    <span className="wall-share-target" style={{ left: `${TARGET_SHARE[p] * 100}%` }} />
                  </span>
                  <span className="wall-share-value">
                    {t('wall.kpis.share', { count: k.byPriority[p], share: fmt.number(share * 100), target: fmt.number(TARGET_SHARE[p] * 100) })}
                  </span>
                </div>
              )
            })}
          </div>
        </div>
      ) : (
        <p className="wall-empty">{polled.error ? t('wall.unavailable') : t('wall.loading')}</p>
      )}
    </TileFrame>
  )
}
