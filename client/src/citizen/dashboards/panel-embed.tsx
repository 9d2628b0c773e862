/**
 * Embedding one panel (a key figure, a map or a chart) in another site's page, as the best chart tools
 * do: the <iframe> code of the embeddable view of that panel alone (?embed=1&panel=<id>, with the
 * panel's level, measure and selected area, the period and the language as they are now), sized for
 * the kind of panel and titled for screen readers. The box shows the code selected, to copy.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Panel } from '../../../../contracts/theme-dashboard-api'
import { iframeCode } from './dashboard-toolbar'

/**
 * The iframe's height (CSS px) by panel kind, measured on the built-in themes in a 700–1260 px wide
 * frame: a key figure's card, or a panel with its controls, drawing, legend and actions — each under
 * the dashboard's name and period and over the sources line and the link here.
 */
export const EMBED_HEIGHT: Record<Panel['kind'], number> = { kpi: 480, chart: 900, choropleth: 1020 }

/** The <iframe> code of one panel's embeddable view. */
export function panelIframeCode(src: string, title: string, kind: Panel['kind']): string {
  return iframeCode(src, title, EMBED_HEIGHT[kind])
}

/** The code, selected when focused, its help and a copy button; the outcome of the copy is said politely. */
export function PanelEmbedBox({ id, code }: { id: string; code: string }) {
  const { t } = useTranslation()
  const [said, setSaid] = useState('')
  const copy = () => {
    if (!navigator.clipboard) return setSaid(t('dashboards.copyYourself'))
    navigator.clipboard.writeText(code).then(
      () => setSaid(t('dashboards.codeCopied')),
      () => setSaid(t('dashboards.copyYourself')),
    )
  }
  return (
    <div id={id} className="dashboard-share-box">
      <label htmlFor={`${id}-code`}>{t('dashboards.embedPanelLabel')}</label>
      <textarea id={`${id}-code`} className="form-control form-control-sm" readOnly rows={4} value={code} onFocus={(e) => e.target.select()} data-testid="panel-embed-code" />
      <p className="small mb-1">{t('dashboards.embedPanelHelp')}</p>
      <button type="button" className="btn btn-outline-primary btn-sm" onClick={copy}>
        {t('dashboards.copyCode')}
      </button>
      <p className="small mb-0" role="status">
        {said}
      </p>
    </div>
  )
}
