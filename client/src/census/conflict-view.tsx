import { useEffect, useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useFormatters } from '../panels/use-formatters'
import { useCensusServices } from './census-services'
import { compareDrafts } from './conflict-merge'
import type { Lang, ModelType } from './form-model'
import type { ConflictState } from './use-feature-draft'

export interface ConflictViewProps {
  type: ModelType
  lang: Lang
  conflict: ConflictState
  busy: boolean
  onTakeTheirs(): void
  onReapply(): void
}

/**
 * Someone else changed (or deleted) the feature since it was opened, and the save was refused (412):
 * who and when, their values beside mine for every attribute either changed (both: marked), the two
 * geometries on the map; then reload theirs (dropping mine) or re-apply mine on top of theirs and save
 * with their version. Nothing was overwritten.
 */
export function ConflictView({ type, lang, conflict, busy, onTakeTheirs, onReapply }: ConflictViewProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { channel } = useCensusServices()
  const ref = useRef<HTMLElement>(null)
  const latest = conflict.since[0] ?? null
  const names = useMemo(() => type.attributes.map((a) => a.name), [type])
  const comparison = useMemo(() => (conflict.theirsDraft ? compareDrafts(conflict.base, conflict.mine, conflict.theirsDraft, names) : null), [conflict, names])
  const attribute = (name: string) => type.attributes.find((a) => a.name === name)
  const shown = (name: string, text: string) => {
    if (text.trim() === '') return '—'
    const a = attribute(name)
    if (a?.kind === 'code') return a.codes?.find((c) => c.code === text)?.label[lang] ?? text
    if (a?.kind === 'boolean') return text === 'true' ? t('census.field.yes') : t('census.field.no')
    return a?.unit ? `${text} ${a.unit}` : text
  }

  // The refusal comes while the person looks at the save button: bring the choice into view, focused.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'start' })
    ref.current?.focus()
  }, [conflict])

  // Their geometry (solid) over mine (dashed) while the choice is open, when they differ.
  useEffect(() => {
    const theirs = conflict.theirsDraft?.geometry ?? null
    if (comparison?.geometry.theirsChanged || comparison?.geometry.mineChanged) channel.set((s) => ({ ...s, overlay: { kind: 'diff', before: conflict.mine.geometry, after: theirs } }))
    return () => channel.set((s) => ({ ...s, overlay: null }))
  }, [channel, conflict, comparison])

  const who = latest
    ? conflict.theirs
      ? t('census.conflict.changedBy', { editor: latest.editor, at: fmt.time(latest.validFromMs), date: fmt.dateTime(latest.validFromMs), v: latest.version })
      : t('census.conflict.deletedBy', { editor: latest.editor, at: fmt.time(latest.validFromMs), date: fmt.dateTime(latest.validFromMs) })
    : conflict.theirs
      ? t('census.conflict.changedUnknown', { v: conflict.theirs.version })
      : t('census.conflict.deletedUnknown')

  return (
    <section ref={ref} tabIndex={-1} className="census-conflict" role="alert" aria-labelledby="census-conflict-title" data-testid="census-conflict" data-their-version={conflict.theirs?.version ?? ''}>
      <h3 id="census-conflict-title">▲ {t('census.conflict.title')}</h3>
      <p data-testid="census-conflict-who">
        <strong>{who}</strong>
        {latest?.note && <span className="muted"> — “{latest.note}”</span>}
      </p>
      {conflict.since.length > 1 && <p className="muted small">{t('census.conflict.more', { count: conflict.since.length })}</p>}
      <p className="small">{conflict.action === 'delete' ? t('census.conflict.explainDelete') : t('census.conflict.explain')}</p>
      {comparison && (comparison.rows.length > 0 || comparison.geometry.mineChanged || comparison.geometry.theirsChanged) && (
        <table className="data-table census-conflict-table" data-testid="census-conflict-table">
          <thead>
            <tr>
              <th scope="col">{t('census.conflict.attribute')}</th>
              <th scope="col">{t('census.conflict.mine')}</th>
              <th scope="col">{t('census.conflict.theirs', { v: conflict.theirs?.version ?? '' })}</th>
            </tr>
          </thead>
          <tbody>
            {comparison.rows.map((r) => (
              <tr key={r.name} className={r.clash ? 'is-clash' : undefined} data-testid={`census-conflict-row-${r.name}`} data-clash={r.clash || undefined}>
                <th scope="row">
                  {attribute(r.name)?.label[lang] ?? r.name}
                  {r.clash && <div className="census-clash small">▲ {t('census.conflict.clash')}</div>}
                </th>
                <td className={r.mineChanged ? 'is-changed' : 'muted'}>{shown(r.name, r.mine)}</td>
                <td className={r.theirsChanged ? 'is-changed' : 'muted'} data-testid={`census-conflict-theirs-${r.name}`}>
                  {shown(r.name, r.theirs)}
                </td>
              </tr>
            ))}
            {(comparison.geometry.mineChanged || comparison.geometry.theirsChanged) && (
              <tr className={comparison.geometry.clash ? 'is-clash' : undefined}>
                <th scope="row">
                  {t('census.geometry.title')}
                  {comparison.geometry.clash && <div className="census-clash small">▲ {t('census.conflict.clash')}</div>}
                </th>
                <td className={comparison.geometry.mineChanged ? 'is-changed' : 'muted'}>{comparison.geometry.mineChanged ? t('census.conflict.moved') : t('census.conflict.unchanged')}</td>
                <td className={comparison.geometry.theirsChanged ? 'is-changed' : 'muted'}>{comparison.geometry.theirsChanged ? t('census.conflict.moved') : t('census.conflict.unchanged')}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {comparison && comparison.clashes > 0 && <p className="small">{t('census.conflict.clashes', { count: comparison.clashes })}</p>}
      <div className="form-actions">
        <button type="button" className="primary-button" onClick={onTakeTheirs} disabled={busy} data-testid="census-conflict-reload">
          {conflict.theirs ? t('census.conflict.reload', { v: conflict.theirs.version }) : t('census.conflict.close')}
        </button>
        {conflict.theirs && conflict.action === 'save' && (
          <button type="button" className="primary-button" onClick={onReapply} disabled={busy} data-testid="census-conflict-reapply">
            {t('census.conflict.reapply', { v: conflict.theirs.version })}
          </button>
        )}
      </div>
    </section>
  )
}
