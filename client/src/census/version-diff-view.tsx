import { useTranslation } from 'react-i18next'
import type { PropertyValue } from '../../../contracts/schemas/census'
import { useFormatters } from '../panels/use-formatters'
import type { VersionDiff } from './feature-diff'
import type { Lang, ModelType } from './form-model'

/** Two versions' difference: the attributes before → after, the geometry (drawn on the map: old dashed, new solid). */
export function VersionDiffView({ type, lang, diff }: { type: ModelType; lang: Lang; diff: VersionDiff }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const attribute = (name: string) => type.attributes.find((a) => a.name === name)
  const shown = (name: string, v: PropertyValue) => {
    if (v === null) return '—'
    const a = attribute(name)
    if (typeof v === 'boolean') return v ? t('census.field.yes') : t('census.field.no')
    if (typeof v === 'number') return `${fmt.number(v, Number.isInteger(v) ? 0 : Math.min(6, String(v).split('.')[1]?.length ?? 0))}${a?.unit ? ` ${a.unit}` : ''}`
    if (a?.kind === 'code') return a.codes?.find((c) => c.code === v)?.label[lang] ?? v
    return v
  }
  const nothing = diff.attributes.length === 0 && !diff.geometryChanged && !diff.tombstone

  return (
    <div className="census-diff" data-testid="census-diff" data-from={diff.from ?? ''} data-to={diff.to}>
      <h4>
        {diff.from === null ? `v${diff.to}` : t('census.diff.title', { from: diff.from, to: diff.to })}
      </h4>
      {nothing && <p className="muted">{t('census.diff.none')}</p>}
      {diff.tombstone && <p>{t(`census.diff.${diff.tombstone}`)}</p>}
      {diff.geometryChanged && (
        <p data-testid="census-diff-geometry">
          {diff.movedM !== null ? t('census.diff.moved', { m: fmt.number(diff.movedM, diff.movedM < 10 ? 1 : 0) }) : t('census.diff.reshaped')} <span className="muted small">{t('census.diff.legend')}</span>
        </p>
      )}
      {diff.attributes.length > 0 && (
        <table className="data-table census-diff-table">
          <thead>
            <tr>
              <th scope="col">{t('census.conflict.attribute')}</th>
              <th scope="col">{t('census.diff.before')}</th>
              <th scope="col">{t('census.diff.after')}</th>
            </tr>
          </thead>
          <tbody>
            {diff.attributes.map((c) => (
              <tr key={c.name} data-testid={`census-diff-row-${c.name}`}>
                <th scope="row">{attribute(c.name)?.label[lang] ?? c.name}</th>
                <td>
                  <del>{shown(c.name, c.before)}</del>
                </td>
                <td>
                  <ins>{shown(c.name, c.after)}</ins>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
