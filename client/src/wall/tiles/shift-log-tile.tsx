import { useCallback, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { WallTile } from '../../../../contracts/wall'
import { useFormatters } from '../../panels/use-formatters'
import { TileFrame } from '../tile-frame'
import { useFitCount } from '../use-fit-count'
import { usePolled } from '../use-polled'
import { useWall } from '../wall-context'

export const SHIFT_LOG_POLL_MS = 30_000
const STALE_AFTER_MS = 2 * SHIFT_LOG_POLL_MS + 15_000

/** The newest shift-log entries; a hand-over note is marked as such and shows its open items. */
export function ShiftLogTile({ tile }: { tile: WallTile }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { api, connections } = useWall()
  const fetcher = useCallback((signal: AbortSignal) => api.listShiftLog({ limit: 20 }, signal), [api])
  const polled = usePolled(fetcher, SHIFT_LOG_POLL_MS, connections)
  const entries = polled.data?.entries ?? []
  const listRef = useRef<HTMLOListElement>(null)
  const fit = useFitCount(listRef, entries)
  const hidden = fit === null ? 0 : Math.max(0, entries.length - fit)
  return (
    <TileFrame tile={tile} defaultTitle={t('wall.tiles.shiftLog')} asOfMs={polled.asOfMs} staleAfterMs={STALE_AFTER_MS} error={polled.error} retryAtMs={polled.retryAtMs}>
      {polled.data === null ? (
        <p className="wall-empty">{polled.error ? t('wall.unavailable') : t('wall.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="wall-empty">{t('wall.shiftLog.none')}</p>
      ) : (
        <ol className="wall-log" ref={listRef}>
          {entries.map((e) => (
            <li key={e.id} className={`wall-log-entry${e.kind === 'handover' ? ' is-handover' : ''}`} data-entry-id={e.id}>
              <div className="wall-log-head">
                <span className="wall-log-time">{fmt.dateTime(e.atMs)}</span>
                <span className="wall-log-author">{e.author}</span>
                {e.kind === 'handover' && <span className="wall-log-kind">{t('wall.shiftLog.handover')}</span>}
              </div>
              <div className="wall-log-text">{e.text}</div>
              {e.openItems && <div className="wall-log-open">{t('wall.shiftLog.openItems', { items: e.openItems })}</div>}
            </li>
          ))}
        </ol>
      )}
      {hidden > 0 && <p className="wall-more">{t('wall.shiftLog.more', { count: hidden })}</p>}
    </TileFrame>
  )
}
