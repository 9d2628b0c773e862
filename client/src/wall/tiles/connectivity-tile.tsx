import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { ConnectivitySummary } from '../../../../contracts/camera-api'
import type { WallTile } from '../../../../contracts/wall'
import { useFormatters } from '../../panels/use-formatters'
import { TileFrame } from '../tile-frame'
import { usePolled } from '../use-polled'
import { useWall } from '../wall-context'

export const CONNECTIVITY_POLL_MS = 30_000
/** Two missed polls and a margin. */
const STALE_AFTER_MS = 2 * CONNECTIVITY_POLL_MS + 15_000

/** A count that is abnormal when above zero: coloured, with its glyph; a plain grey zero otherwise. */
function Count({ n, tone, glyph }: { n: number; tone: 'high' | 'medium' | 'nocomm'; glyph: string }) {
  if (n === 0) return <span className="wall-count is-zero">0</span>
  return (
    <span className={`wall-count wall-tone-${tone}`}>
      <span aria-hidden="true">{glyph} </span>
      {n}
    </span>
  )
}

/** Access points and field routers per district: up, degraded, down, silent, clients and the last 24 h's availability. */
export function ConnectivityTile({ tile }: { tile: WallTile }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { api, connections } = useWall()
  const fetcher = useCallback((signal: AbortSignal) => api.connectivity(signal), [api])
  const polled = usePolled(fetcher, CONNECTIVITY_POLL_MS, connections)
  const data = polled.data
  const pct = (v: number | null) => (v === null ? '—' : `${fmt.number(v * 100, v < 0.995 ? 1 : 0)} %`)
  const row = (d: ConnectivitySummary, total = false) => (
    <tr key={d.district ?? (total ? 'total' : 'none')} className={total ? 'is-total' : undefined} data-district={d.district ?? ''}>
      <th scope="row">{total ? t('wall.connectivity.total') : (d.district ?? t('wall.outsideDistricts'))}</th>
      <td>
        {fmt.number(d.up)} / {fmt.number(d.devices)}
      </td>
      <td>
        <Count n={d.degraded} tone="medium" glyph="◆" />
      </td>
      <td>
        <Count n={d.down} tone="high" glyph="▲" />
      </td>
      <td>
        <Count n={d.silent} tone="nocomm" glyph="✕" />
      </td>
      <td>{fmt.number(d.clients)}</td>
      <td>{pct(d.availability)}</td>
    </tr>
  )
  return (
    <TileFrame
      tile={tile}
      defaultTitle={t('wall.tiles.connectivity')}
      asOfMs={polled.asOfMs}
      staleAfterMs={STALE_AFTER_MS}
      error={polled.error}
      retryAtMs={polled.retryAtMs}
      summary={data ? t('wall.connectivity.summary', { up: fmt.number(data.total.up), devices: fmt.number(data.total.devices) }) : null}
    >
      {data ? (
        <table className="wall-table">
          <thead>
            <tr>
              <th scope="col">{t('wall.district')}</th>
              <th scope="col">{t('wall.connectivity.up')}</th>
              <th scope="col">{t('wall.connectivity.degraded')}</th>
              <th scope="col">{t('wall.connectivity.down')}</th>
              <th scope="col">{t('wall.connectivity.silent')}</th>
              <th scope="col">{t('wall.connectivity.clients')}</th>
              <th scope="col">{t('wall.connectivity.availability')}</th>
            </tr>
          </thead>
          <tbody>
            {data.districts.map((d) => row(d))}
            {row(data.total, true)}
          </tbody>
        </table>
      ) : (
        <p className="wall-empty">{polled.error ? t('wall.unavailable') : t('wall.loading')}</p>
      )}
    </TileFrame>
  )
}
