import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FeatureHistory } from '../api/census-client'
import { useFetched } from '../panels/use-fetched'
import { useFormatters } from '../panels/use-formatters'
import { useCensusServices } from './census-services'
import { changedNames, diffVersions, timelineOf } from './feature-diff'
import type { Lang, ModelType } from './form-model'
import { VersionDiffView } from './version-diff-view'

export interface HistoryTimelineProps {
  type: ModelType
  id: number
  lang: Lang
  /** Bumped after a save: the history is fetched again. */
  refreshKey: number
}

/**
 * Every version of the feature, newest first: who (and with which role), when, the change note, what
 * changed, a deletion's tombstone, a last-writer-wins change (QGIS without a version) marked. Pick two
 * versions (A, B; by default the newest and the one before) for their difference: the attributes
 * before → after, and both geometries on the map (old dashed, new solid).
 */
export function HistoryTimeline({ type, id, lang, refreshKey }: HistoryTimelineProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { client, channel } = useCensusServices()
  // refreshKey is a dependency on purpose: a new key fetches the history again.
  const fetchHistory = useCallback((signal?: AbortSignal) => client.history(type.id, id, signal), [client, type.id, id, refreshKey])
  const history = useFetched<FeatureHistory>(fetchHistory)
  const order = useMemo(() => type.attributes.map((a) => a.name), [type])
  const timeline = useMemo(() => timelineOf(history.data?.versions ?? []), [history.data])
  const [pick, setPick] = useState<{ a: number | null; b: number | null }>({ a: null, b: null })

  const newest = timeline[0]?.version.version ?? null
  const a = pick.a ?? timeline[1]?.version.version ?? null
  const b = pick.b ?? newest
  const va = timeline.find((x) => x.version.version === a)?.version ?? null
  const vb = timeline.find((x) => x.version.version === b)?.version ?? null
  const [older, newer] = va && vb && va.version > vb.version ? [vb, va] : [va, vb]
  const diff = useMemo(() => (newer && older && older !== newer ? diffVersions(older, newer, order) : null), [older, newer, order])

  useEffect(() => {
    if (!newer || !diff) return
    channel.set((s) => ({ ...s, overlay: { kind: 'diff', before: older?.geometry ?? null, after: newer.deleted ? null : newer.geometry } }))
  }, [channel, diff, older, newer])
  useEffect(() => () => channel.set((s) => (s.overlay?.kind === 'diff' ? { ...s, overlay: null } : s)), [channel])

  const label = (name: string) => (name === 'geometry' ? t('census.geometry.title') : (type.attributes.find((x) => x.name === name)?.label[lang] ?? name))

  return (
    <div className="census-history" data-testid="census-history">
      {history.error && <p className="error-text">{t('census.loadFailed', { message: history.error })}</p>}
      {!history.data && !history.error && <p className="muted">{t('census.loading')}</p>}
      {timeline.length > 0 && (
        <table className="data-table census-version-table" data-testid="census-version-table">
          <caption className="sr-only">{t('census.history.title')}</caption>
          <thead>
            <tr>
              <th scope="col">A</th>
              <th scope="col">B</th>
              <th scope="col">{t('census.history.version')}</th>
              <th scope="col">{t('census.history.who')}</th>
              <th scope="col">{t('census.history.what')}</th>
            </tr>
          </thead>
          <tbody>
            {timeline.map(({ version: v, previous }) => {
              const names = changedNames(previous, v, order)
              return (
                <tr key={v.version} className={v.deleted ? 'is-tombstone' : undefined} data-testid={`census-version-${v.version}`}>
                  <td>
                    <input type="radio" name={`census-diff-a-${id}`} checked={a === v.version} onChange={() => setPick((p) => ({ ...p, a: v.version }))} aria-label={t('census.history.pickA', { v: v.version })} />
                  </td>
                  <td>
                    <input type="radio" name={`census-diff-b-${id}`} checked={b === v.version} onChange={() => setPick((p) => ({ ...p, b: v.version }))} aria-label={t('census.history.pickB', { v: v.version })} />
                  </td>
                  <td>
                    <strong>v{v.version}</strong>
                    {v.deleted && <span className="badge census-badge census-tombstone"> {t('census.history.deleted')}</span>}
                    {v.lastWriterWins && (
                      <span className="badge census-badge census-lww" title={t('census.history.lwwTitle')}>
                        {t('census.history.lww')}
                      </span>
                    )}
                  </td>
                  <td>
                    {v.editor}
                    <div className="muted small">
                      {t(`roles.${v.editorRole}`, { defaultValue: v.editorRole })} · {fmt.dateTime(v.validFromMs)}
                    </div>
                  </td>
                  <td>
                    {v.note && <div className="census-note-text">“{v.note}”</div>}
                    <div className="muted small">{previous === null ? t('census.history.created') : v.deleted ? t('census.history.deletedWhat') : names.length > 0 ? names.map(label).join(', ') : t('census.history.noChange')}</div>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {timeline.length === 1 && <p className="muted">{t('census.history.onlyOne')}</p>}
      {a !== null && a === b && <p className="muted">{t('census.history.pickTwo')}</p>}
      {diff && newer && <VersionDiffView type={type} lang={lang} diff={diff} />}
    </div>
  )
}
