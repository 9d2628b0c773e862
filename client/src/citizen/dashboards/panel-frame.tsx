/**
 * The frame of a choropleth or chart panel: its heading and note, its own controls, the drawing, the
 * table alternative behind a "show as table" toggle, the exports — CSV and PNG image, named
 * "<dashboard>-<panel>.csv|png" — and "Embed", the <iframe> code of this panel alone (panel-embed.tsx;
 * not offered inside an embedded view). The outcome of an export is said in a polite live region.
 */
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Localised } from '../../../../contracts/theme-dashboard-api'
import { exportFileName } from './csv-export'
import type { DashboardLang } from './format-value'
import { downloadBlob, panelPng, type PanelImage } from './image-export'
import { PanelEmbedBox } from './panel-embed'

export interface PanelFrameProps {
  dashboardId: string
  panel: { id: string; kind: 'choropleth' | 'chart'; title: Localised; note: Localised | null }
  lang: DashboardLang
  /** Level and measure switches. */
  controls?: ReactNode
  /** The table alternative (drawn only when asked for). */
  table: () => ReactNode
  csv: () => string
  /** What the image shows; null while the drawing is not ready. */
  image: () => Omit<PanelImage, 'title' | 'footer'> | null
  /** The sources and licences line of the image. */
  footer: string
  /** The <iframe> code of this panel's embeddable view; null: no "Embed" action. */
  embedCode: string | null
  children: ReactNode
}

/** An id fit for HTML ids built from a panel id. */
export const domId = (prefix: string, id: string) => `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`

export function PanelFrame({ dashboardId, panel, lang, controls, table, csv, image, footer, embedCode, children }: PanelFrameProps) {
  const { t } = useTranslation()
  const [showTable, setShowTable] = useState(false)
  const [showEmbed, setShowEmbed] = useState(false)
  const [said, setSaid] = useState('')
  const [busy, setBusy] = useState(false)
  const headingId = domId('panel', panel.id)
  const tableId = domId('table', panel.id)
  const embedId = domId('embed', panel.id)
  const title = panel.title[lang]

  const saveCsv = () => {
    const name = exportFileName(dashboardId, panel.id, 'csv')
    downloadBlob(new Blob([csv()], { type: 'text/csv;charset=utf-8' }), name)
    setSaid(t('dashboards.saved', { name }))
  }
  const savePng = async () => {
    const what = image()
    if (!what) return
    setBusy(true)
    try {
      const name = exportFileName(dashboardId, panel.id, 'png')
      downloadBlob(await panelPng({ ...what, title, footer }), name)
      setSaid(t('dashboards.saved', { name }))
    } catch (err) {
      setSaid(t('dashboards.imageFailed', { message: err instanceof Error ? err.message : String(err) }))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="dashboard-panel" aria-labelledby={headingId} data-panel-id={panel.id} data-panel-kind={panel.kind}>
      <h2 id={headingId} className="h4">
        {title}
      </h2>
      {panel.note && <p className="dashboard-note">{panel.note[lang]}</p>}
      {controls && <div className="dashboard-controls">{controls}</div>}
      {children}
      <div className="dashboard-panel-actions">
        <button type="button" className="btn btn-outline-primary btn-sm" aria-expanded={showTable} aria-controls={tableId} onClick={() => setShowTable((s) => !s)}>
          {showTable ? t('dashboards.hideTable') : t('dashboards.showTable')}
          <span className="visually-hidden">: {title}</span>
        </button>
        <button type="button" className="btn btn-outline-primary btn-sm" onClick={saveCsv} data-testid="export-csv">
          {t('dashboards.exportCsv')}
          <span className="visually-hidden">: {title}</span>
        </button>
        <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => void savePng()} disabled={busy} data-testid="export-png">
          {t('dashboards.exportPng')}
          <span className="visually-hidden">: {title}</span>
        </button>
        {embedCode !== null && (
          <button type="button" className="btn btn-outline-primary btn-sm" aria-expanded={showEmbed} aria-controls={showEmbed ? embedId : undefined} onClick={() => setShowEmbed((s) => !s)} data-testid="panel-embed">
            {t('dashboards.embed')}
            <span className="visually-hidden">: {title}</span>
          </button>
        )}
      </div>
      {embedCode !== null && showEmbed && <PanelEmbedBox id={embedId} code={embedCode} />}
      <p className="visually-hidden" role="status">
        {said}
      </p>
      <div id={tableId} hidden={!showTable}>
        {showTable && table()}
      </div>
    </section>
  )
}
