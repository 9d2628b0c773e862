/**
 * A key figure: its title, its value with the measure's format and unit, and its note (period,
 * comparison, limit); under it "Embed", the <iframe> code of this figure alone (not inside an embedded view).
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { KpiPanel, Measure } from '../../../../contracts/theme-dashboard-api'
import { formatValue, type DashboardLang } from './format-value'
import { PanelEmbedBox } from './panel-embed'
import { domId } from './panel-frame'

export interface KpiCardProps {
  panel: KpiPanel
  measure: Measure | undefined
  lang: DashboardLang
  /** The <iframe> code of this figure alone; null: no "Embed" action. */
  embedCode: string | null
}

export function KpiCard({ panel, measure, lang, embedCode }: KpiCardProps) {
  const { t } = useTranslation()
  const [showEmbed, setShowEmbed] = useState(false)
  const value = measure ? formatValue(panel.value, measure, lang, t('dashboards.noData')) : panel.value === null ? t('dashboards.noData') : String(panel.value)
  const embedId = domId('embed', panel.id)
  const title = panel.title[lang]
  return (
    <div className="card card-bg dashboard-kpi h-100" data-panel-id={panel.id} data-panel-kind="kpi">
      <div className="card-body">
        <h2 className="dashboard-kpi-title">{title}</h2>
        <p className="dashboard-kpi-value" data-testid="kpi-value">
          {value}
        </p>
        {panel.note && <p className="dashboard-kpi-note">{panel.note[lang]}</p>}
        {embedCode !== null && (
          <>
            <button type="button" className="btn btn-link btn-sm p-0 mt-2" aria-expanded={showEmbed} aria-controls={showEmbed ? embedId : undefined} onClick={() => setShowEmbed((s) => !s)} data-testid="panel-embed">
              {t('dashboards.embed')}
              <span className="visually-hidden">: {title}</span>
            </button>
            {showEmbed && <PanelEmbedBox id={embedId} code={embedCode} />}
          </>
        )}
      </div>
    </div>
  )
}
