/**
 * The PMO portfolio sheet (docs/pmo.md, issue 11): the overview of the portfolio, one project in full,
 * the "New project" form for the PMO, and the progress report to download. It is bound to the map:
 * the sites layer is shown while the sheet is open, a click on a site opens its project here, and
 * opening a project flies the map to its site (state/pmo-map.ts carries both ways).
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { createPmoClient, type PmoClient, type Portfolio } from '../api/pmo-client'
import { SideSheet } from '../panels/side-sheet'
import { useFetched } from '../panels/use-fetched'
import { usePermission } from '../panels/use-permission'
import type { PmoMapStore } from '../state/pmo-map'
import { useStore } from '../state/store'
import '../panels/control-room.css'
import '../cases/cases.css'
import './pmo.css'
import { NewProjectFormView } from './pmo-new-project'
import { PortfolioOverview, type PortfolioFilter } from './pmo-overview'
import { PmoProjectView } from './pmo-project'

export interface PmoPanelProps {
  onClose(): void
  map: PmoMapStore
  client?: PmoClient
}

export function PmoPanel({ onClose, map, client }: PmoPanelProps) {
  const { t, i18n } = useTranslation()
  const lang = (i18n.resolvedLanguage ?? i18n.language).startsWith('it') ? 'it' : 'en'
  const api = useMemo(() => client ?? createPmoClient(), [client])
  const write = usePermission('pmo:write')
  const portfolioFetch = useCallback((signal?: AbortSignal) => api.portfolio(signal), [api])
  const portfolio = useFetched<Portfolio>(portfolioFetch)
  const [filter, setFilter] = useState<PortfolioFilter>({ line: '', health: '' })
  const [creating, setCreating] = useState(false)
  const selected = useStore(map, (s) => s.selected)
  const clicked = useStore(map, (s) => s.clicked)
  const { reload } = portfolio

  // The sites are shown while the sheet is open, as the person had them once it closes.
  useEffect(() => {
    const before = map.get().shown
    map.set((s) => ({ ...s, shown: true }))
    return () => map.set((s) => ({ ...s, shown: before, selected: null, clicked: null }))
  }, [map])
  // A click on a site opens its project.
  useEffect(() => {
    if (clicked === null) return
    map.set((s) => ({ ...s, selected: clicked, clicked: null }))
    setCreating(false)
  }, [clicked, map])

  const open = (id: string | null) => {
    setCreating(false)
    map.set((s) => ({ ...s, selected: id }))
  }
  const saved = () => {
    reload()
    map.set((s) => ({ ...s, revision: s.revision + 1 }))
  }
  const today = portfolio.data?.today ?? new Date().toISOString().slice(0, 10)
  const back = (
    <p>
      <button type="button" className="text-button" onClick={() => open(null)}>
        ← {t('pmo.back')}
      </button>
    </p>
  )

  return (
    <SideSheet title={t('pmo.title')} closeLabel={t('pmo.close')} onClose={onClose} side="right" wide className="pmo-panel">
      <p className="form-actions pmo-actions">
        <a className="primary-button" href={api.reportUrl(lang, filter.line || null)} download data-testid="pmo-report">
          {filter.line ? t('pmo.reportLine') : t('pmo.report')}
        </a>
        {write.allowed && !creating && (
          <button type="button" className="primary-button" onClick={() => setCreating(true)}>
            {t('pmo.new.open')}
          </button>
        )}
      </p>
      {creating ? (
        <>
          {back}
          <NewProjectFormView
            client={api}
            onCreated={(d) => {
              saved()
              open(d.project.id)
            }}
          />
        </>
      ) : selected !== null ? (
        <>
          {back}
          <PmoProjectView key={selected} id={selected} client={api} today={today} mayWrite={write.allowed} onSaved={saved} />
        </>
      ) : (
        <>
          {portfolio.error && (
            <p className="error-text" role="alert">
              {t('pmo.loadFailed', { message: portfolio.error })}{' '}
              <button type="button" className="text-button" onClick={reload}>
                {t('pmo.reload')}
              </button>
            </p>
          )}
          {!portfolio.data && !portfolio.error && <p className="muted">{t('pmo.loading')}</p>}
          {portfolio.data && <PortfolioOverview portfolio={portfolio.data} filter={filter} onFilter={setFilter} onOpen={open} />}
        </>
      )}
    </SideSheet>
  )
}
