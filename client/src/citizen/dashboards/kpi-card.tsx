/** A key figure: its title, its value with the measure's format and unit, and its note (period, comparison, limit). */
import { useTranslation } from 'react-i18next'
import type { KpiPanel, Measure } from '../../../../contracts/theme-dashboard-api'
import { formatValue, type DashboardLang } from './format-value'

export function KpiCard({ panel, measure, lang }: { panel: KpiPanel; measure: Measure | undefined; lang: DashboardLang }) {
  const { t } = useTranslation()
  const value = measure ? formatValue(panel.value, measure, lang, t('dashboards.noData')) : panel.value === null ? t('dashboards.noData') : String(panel.value)
  return (
    <div className="card card-bg dashboard-kpi h-100" data-panel-id={panel.id} data-panel-kind="kpi">
      <div className="card-body">
        <h2 className="dashboard-kpi-title">{panel.title[lang]}</h2>
        <p className="dashboard-kpi-value" data-testid="kpi-value">
          {value}
        </p>
        {panel.note && <p className="dashboard-kpi-note">{panel.note[lang]}</p>}
      </div>
    </div>
  )
}
