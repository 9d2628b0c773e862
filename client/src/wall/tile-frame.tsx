import { useEffect, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { WallTile } from '../../../contracts/wall'
import { useFormatters } from '../panels/use-formatters'
import { useNow } from '../state/use-now'
import { dataAge, type DataAge } from './data-age'
import { tileArea } from './grid-placement'
import { useWall } from './wall-context'

export interface TileFrameProps {
  tile: WallTile
  /** The tile's own title when the layout gives none. */
  defaultTitle: string
  /** Client clock of the tile's last successful update (null: none yet). */
  asOfMs: number | null
  staleAfterMs: number
  /** Drawn and showing its first data (default: it has data). */
  ready?: boolean
  /** The last failure to update, shown while the old data stays. */
  error?: string | null
  /** Client clock of the next attempt after a failure. */
  retryAtMs?: number | null
  /** A short summary beside the title (counts). */
  summary?: ReactNode
  children: ReactNode
}

/**
 * One tile of the wall: its place in the grid, its title and — on every tile — the age of its data,
 * which turns into a hatched STALE badge when the data is too old; the body is hatched too.
 */
export function TileFrame({ tile, defaultTitle, asOfMs, staleAfterMs, ready, error = null, retryAtMs = null, summary, children }: TileFrameProps) {
  const { registry } = useWall()
  const now = useNow(1000)
  const age = dataAge(asOfMs, now, staleAfterMs)
  const isReady = ready ?? asOfMs !== null
  useEffect(() => {
    registry.report(tile.id, { ready: isReady, ageState: age.state, asOfMs, error })
  }, [registry, tile.id, isReady, age.state, asOfMs, error])
  useEffect(() => () => registry.forget(tile.id), [registry, tile.id])

  return (
    <section
      className={`wall-tile wall-tile-${tile.type}${age.state === 'stale' ? ' is-stale' : ''}`}
      style={tileArea(tile)}
      data-tile-id={tile.id}
      data-tile-type={tile.type}
      data-age-state={age.state}
      data-ready={isReady ? 'true' : 'false'}
      aria-labelledby={`wall-tile-${tile.id}`}
    >
      <header className="wall-tile-head">
        <h2 id={`wall-tile-${tile.id}`}>{tile.title ?? defaultTitle}</h2>
        {summary && <div className="wall-tile-summary">{summary}</div>}
        <DataAgeBadge age={age} error={error} retryAtMs={retryAtMs} now={now} />
      </header>
      <div className="wall-tile-body">{children}</div>
    </section>
  )
}

function DataAgeBadge({ age, error, retryAtMs, now }: { age: DataAge; error: string | null; retryAtMs: number | null; now: number }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const retry = error && retryAtMs !== null ? t('wall.age.retrying', { in: fmt.duration(Math.max(0, retryAtMs - now)) }) : null
  if (age.state === 'none') {
    return (
      <div className={`wall-age${error ? ' is-stale' : ''}`} data-age="none" title={error ?? undefined}>
        {error ? (
          <>
            <span className="wall-age-word">{t('wall.age.noDataYet')}</span> {retry}
          </>
        ) : (
          t('wall.age.waiting')
        )}
      </div>
    )
  }
  const text = t('wall.age.old', { age: fmt.duration(age.ageMs ?? 0) })
  if (age.state === 'fresh') {
    return (
      <div className="wall-age" data-age="fresh">
        {text}
      </div>
    )
  }
  return (
    <div className="wall-age is-stale" data-age="stale" role="status" title={error ?? undefined}>
      <span className="wall-age-word">
        <span aria-hidden="true">▨ </span>
        {t('wall.age.stale')}
      </span>{' '}
      {text}
      {retry && <> · {retry}</>}
    </div>
  )
}
