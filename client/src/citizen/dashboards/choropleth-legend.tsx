/**
 * A choropleth's legend: the measure with its unit, one swatch per class with its bounds, the hatched
 * swatch of the areas without data, how the classes are made (quantiles) and, when it applies, that a
 * higher value is the worse one. The same items go into the panel's image (legendItems).
 */
import { useTranslation } from 'react-i18next'
import type { Measure } from '../../../../contracts/theme-dashboard-api'
import { classLabels, type ClassBreaks } from './class-breaks'
import { formatNumber, measureHeading, type DashboardLang } from './format-value'
import type { ImageLegendItem } from './image-export'

export function legendItems(breaks: ClassBreaks | null, measure: Measure, lang: DashboardLang, noData: string): ImageLegendItem[] {
  const classes = breaks ? classLabels(breaks, (n) => formatNumber(n, measure.format, lang), measure.format === 'integer').map((label, i) => ({ swatch: breaks.colours[i]!, label })) : []
  return [...classes, { swatch: 'hatch', label: noData }]
}

export function ChoroplethLegend({ breaks, measure, lang }: { breaks: ClassBreaks | null; measure: Measure; lang: DashboardLang }) {
  const { t } = useTranslation()
  const items = legendItems(breaks, measure, lang, t('dashboards.noDataLegend'))
  const classes = breaks ? breaks.bounds.length - 1 : 0
  return (
    <div className="dashboard-legend" data-testid="choropleth-legend">
      <p className="dashboard-legend-title">{measureHeading(measure, lang)}</p>
      <ul className="list-unstyled dashboard-legend-items">
        {items.map((item) => (
          <li key={`${item.swatch}-${item.label}`}>
            <span className={`dashboard-swatch${item.swatch === 'hatch' ? ' dashboard-swatch-nodata' : ''}`} style={item.swatch === 'hatch' ? undefined : { backgroundColor: item.swatch }} aria-hidden="true" />
            {item.label}
          </li>
        ))}
      </ul>
      <p className="dashboard-legend-method">
        {classes > 0 ? t('dashboards.quantiles', { count: classes }) : t('dashboards.noValues')}
        {measure.higherIsWorse && ` ${t('dashboards.higherIsWorse')}`}
      </p>
    </div>
  )
}
