import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CollectionId } from '../../../contracts/schemas/census'
import { useCensusServices } from './census-services'
import { featureLabel } from './feature-label'
import { useLang } from './use-lang'

export interface RelationFieldProps {
  /** The input's id, name, ARIA and test id from the attribute field. */
  common: Record<string, unknown> & { id: string; disabled: boolean }
  value: string
  collections: readonly CollectionId[]
  editable: boolean
  picking: boolean
  onChange(text: string): void
  onPick(): void
  onCancelPick(): void
}

/** The name of the related feature, when the relation points into one collection and the id exists there. */
function useRelatedLabel(collections: readonly CollectionId[], value: string): string | null {
  const { client } = useCensusServices()
  const [label, setLabel] = useState<string | null>(null)
  const only = collections.length === 1 ? collections[0]! : null
  useEffect(() => {
    setLabel(null)
    if (!only || !/^[1-9]\d{0,14}$/.test(value.trim())) return
    const ac = new AbortController()
    client.feature(only, Number(value.trim()), ac.signal).then(
      (f) => setLabel(featureLabel(f.feature)),
      () => !ac.signal.aborted && setLabel(''),
    )
    return () => ac.abort()
  }, [client, only, value])
  return label
}

/** A relation to a census feature (a light's pole): its id, typed or picked on the map, and the related feature's name. */
export function RelationField({ common, value, collections, editable, picking, onChange, onPick, onCancelPick }: RelationFieldProps) {
  const { t } = useTranslation()
  const lang = useLang()
  const { model } = useCensusServices()
  const label = useRelatedLabel(collections, value)
  const targets = collections.map((c) => model.types.find((x) => x.id === c)?.title[lang] ?? c).join(', ')
  return (
    <span className="census-relation">
      <span className="census-relation-row">
        <input {...common} inputMode="numeric" value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" placeholder={t('census.relation.placeholder')} />
        {editable &&
          (picking ? (
            <button type="button" className="text-button is-active" onClick={onCancelPick} aria-pressed="true" data-testid={`census-pick-${String(common.name)}`}>
              {t('census.relation.cancel')}
            </button>
          ) : (
            <button type="button" className="text-button" onClick={onPick} title={t('census.relation.pickTitle', { targets })} data-testid={`census-pick-${String(common.name)}`}>
              ◎ {t('census.relation.pick')}
            </button>
          ))}
      </span>
      {picking && (
        <span className="census-note small" role="status">
          {t('census.relation.picking', { targets })}
        </span>
      )}
      {label !== null && value.trim() !== '' && <span className="muted small">{label === '' ? t('census.relation.notFound', { targets }) : `→ ${label}`}</span>}
    </span>
  )
}
