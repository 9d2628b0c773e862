/**
 * The portal's search and filters: a search box and two groups of checkboxes (themes, formats), each
 * option with the number of datasets it has. Everything applies as it changes; the result count
 * beside the list is announced to screen readers.
 */
import { useTranslation } from 'react-i18next'
import type { DataTheme, DistributionFormat } from '../../../../contracts/opendata-api'
import { EMPTY_FILTER, type CatalogueFilter } from './catalogue-search'

export interface CatalogueFiltersProps {
  filter: CatalogueFilter
  themes: Array<[DataTheme, number]>
  formats: Array<[DistributionFormat, number]>
  onChange(next: CatalogueFilter): void
}

const toggle = <T,>(list: readonly T[], x: T): T[] => (list.includes(x) ? list.filter((y) => y !== x) : [...list, x])

export function CatalogueFilters({ filter, themes, formats, onChange }: CatalogueFiltersProps) {
  const { t } = useTranslation()
  return (
    <form role="search" aria-labelledby="opendata-filters" onSubmit={(e) => e.preventDefault()} data-testid="opendata-filters">
      <h2 id="opendata-filters" className="h4">
        {t('opendata.filters')}
      </h2>
      <div className="form-group mt-5 mb-4">
        <label htmlFor="opendata-q" className="active">
          {t('opendata.search')}
        </label>
        <input id="opendata-q" type="search" className="form-control" autoComplete="off" value={filter.query} aria-describedby="opendata-q-help" onChange={(e) => onChange({ ...filter, query: e.target.value })} />
        <small id="opendata-q-help" className="form-text">
          {t('opendata.searchHelp')}
        </small>
      </div>
      <fieldset className="mb-4">
        <legend className="h6 opendata-legend">{t('opendata.themes')}</legend>
        {themes.map(([theme, n]) => (
          <div key={theme} className="form-check my-1">
            <input id={`opendata-theme-${theme}`} type="checkbox" checked={filter.themes.includes(theme)} onChange={() => onChange({ ...filter, themes: toggle(filter.themes, theme) })} />
            <label htmlFor={`opendata-theme-${theme}`}>
              {t(`themes.${theme}`)} <span className="opendata-facet-count">({n})</span>
            </label>
          </div>
        ))}
      </fieldset>
      <fieldset className="mb-4">
        <legend className="h6 opendata-legend">{t('opendata.formats')}</legend>
        {formats.map(([format, n]) => (
          <div key={format} className="form-check my-1">
            <input id={`opendata-format-${format}`} type="checkbox" checked={filter.formats.includes(format)} onChange={() => onChange({ ...filter, formats: toggle(filter.formats, format) })} />
            <label htmlFor={`opendata-format-${format}`}>
              {t(`formats.${format}`)} <span className="opendata-facet-count">({n})</span>
            </label>
          </div>
        ))}
      </fieldset>
      <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => onChange(EMPTY_FILTER)} disabled={filter.query === '' && filter.themes.length === 0 && filter.formats.length === 0}>
        {t('opendata.clear')}
      </button>
    </form>
  )
}
