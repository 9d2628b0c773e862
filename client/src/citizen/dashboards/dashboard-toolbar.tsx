/**
 * Above a dashboard: the period (when the dashboard has one to choose), "Share" — the address of this
 * view, copied — and "Embed" — the <iframe> code of the embeddable view (?embed=1) to paste into a
 * web page. When the clipboard is not available the address or code stays shown, selected, to copy.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import type { DashboardLang } from './format-value'
import { dayOptions, writeUrlState, type DashboardUrlState } from './url-state'

/** The page's address for the view: this origin and path with the state, in a language. */
export function viewUrl(state: DashboardUrlState, lang: DashboardLang, embed: boolean): string {
  return `${window.location.origin}${window.location.pathname}${writeUrlState({ ...state, embed }, `?lang=${lang}`)}`
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/** The <iframe> code of a dashboard's (or a panel's) embeddable view; `height` in CSS px. */
export function iframeCode(src: string, title: string, height = 900): string {
  return `<iframe src="${escapeAttr(src)}" title="${escapeAttr(title)}" width="100%" height="${height}" style="border:0" loading="lazy"></iframe>`
}

export function PeriodSelect({ dashboard, onDays }: { dashboard: ThemeDashboard; onDays(days: number): void }) {
  const { t } = useTranslation()
  if (!dashboard.days) return null
  const current = dashboard.window?.days ?? dashboard.days.default
  const options = dayOptions(dashboard.days)
  if (!options.includes(current)) options.push(current)
  return (
    <div className="dashboard-period">
      <label htmlFor="dashboard-days">{t('dashboards.period')}</label>
      <select id="dashboard-days" className="form-select form-select-sm" value={current} onChange={(e) => onDays(Number(e.target.value))}>
        {options
          .sort((a, b) => a - b)
          .map((d) => (
            <option key={d} value={d}>
              {t('dashboards.lastDays', { count: d })}
            </option>
          ))}
      </select>
    </div>
  )
}

export function ShareEmbed({ dashboard, state, lang }: { dashboard: ThemeDashboard; state: DashboardUrlState; lang: DashboardLang }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState<'share' | 'embed' | null>(null)
  const [said, setSaid] = useState('')
  const link = viewUrl(state, lang, false)
  const code = iframeCode(viewUrl(state, lang, true), `${dashboard.title[lang]} — ${t('owner')}`)
  const copy = (text: string, done: string) => {
    if (!navigator.clipboard) return setSaid(t('dashboards.copyYourself'))
    navigator.clipboard.writeText(text).then(
      () => setSaid(done),
      () => setSaid(t('dashboards.copyYourself')),
    )
  }
  const toggle = (which: 'share' | 'embed') => {
    setSaid('')
    setOpen((o) => (o === which ? null : which))
    if (which === 'share' && open !== 'share') copy(link, t('dashboards.linkCopied'))
  }
  return (
    <div className="dashboard-share">
      <div className="dashboard-share-buttons">
        <button type="button" className="btn btn-primary btn-sm" aria-expanded={open === 'share'} aria-controls={open === 'share' ? 'dashboard-share-box' : undefined} onClick={() => toggle('share')} data-testid="dashboard-share">
          {t('dashboards.share')}
        </button>
        <button type="button" className="btn btn-outline-primary btn-sm" aria-expanded={open === 'embed'} aria-controls={open === 'embed' ? 'dashboard-embed-box' : undefined} onClick={() => toggle('embed')} data-testid="dashboard-embed">
          {t('dashboards.embed')}
        </button>
      </div>
      {open === 'share' && (
        <div id="dashboard-share-box" className="dashboard-share-box">
          <label htmlFor="dashboard-share-url">{t('dashboards.shareLabel')}</label>
          <input id="dashboard-share-url" className="form-control form-control-sm" readOnly value={link} onFocus={(e) => e.target.select()} data-testid="dashboard-share-url" />
        </div>
      )}
      {open === 'embed' && (
        <div id="dashboard-embed-box" className="dashboard-share-box">
          <label htmlFor="dashboard-embed-code">{t('dashboards.embedLabel')}</label>
          <textarea id="dashboard-embed-code" className="form-control form-control-sm" readOnly rows={3} value={code} onFocus={(e) => e.target.select()} data-testid="dashboard-embed-code" />
          <p className="small mb-1">{t('dashboards.embedHelp')}</p>
          <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => copy(code, t('dashboards.codeCopied'))}>
            {t('dashboards.copyCode')}
          </button>
        </div>
      )}
      <p className="small mb-0" role="status">
        {said}
      </p>
    </div>
  )
}
