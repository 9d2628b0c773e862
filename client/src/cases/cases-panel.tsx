import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseCatalogue, CaseSummary } from '../../../contracts/case-api'
import { createCaseClient, type CaseClient, type CaseListFilter } from '../api/case-client'
import type { LiveConnection } from '../api/live-connection'
import { useServices } from '../app/services'
import { SideSheet } from '../panels/side-sheet'
import { useFetched } from '../panels/use-fetched'
import { usePermission } from '../panels/use-permission'
import type { CaseMapStore } from '../state/case-map'
import { useStore } from '../state/store'
import '../panels/control-room.css'
import './cases.css'
import { CaseDetailView } from './case-detail'
import { CaseFilters, type CaseFilterState } from './case-filters'
import { CaseRow } from './case-row'
import { CaseServicesProvider, type CaseServices } from './case-services'
import { CaseStatsView } from './case-stats'

export interface CasesPanelProps {
  onClose(): void
  map: CaseMapStore
  live: Pick<LiveConnection, 'onCaseChanged'>
  client?: CaseClient
}

/** A list refresh after pushes waits this long, so a burst of changes is one fetch. */
const PUSH_DEBOUNCE_MS = 800

const filterOf = (f: CaseFilterState, me: string): CaseListFilter => ({
  state: f.state,
  service: f.service ? [f.service] : undefined,
  office: f.office ? [f.office] : undefined,
  assignee: f.assignee === 'me' ? me : f.assignee === 'none' ? 'none' : undefined,
  limit: 500,
})

/**
 * The offices' citizen cases (docs/cases.md "The office screens") in a sheet on the right that leaves
 * the map usable: the list with its filters (state, service, office, assignee), one case in full with
 * its history, photos, duplicate suggestions and the office's actions, and the statistics with the CSV.
 * The case layer is shown while the panel is open; a click on a case point opens that case. Changes
 * pushed by other offices refresh the list and warn on the open case.
 */
export function CasesPanel({ onClose, map, live, client }: CasesPanelProps) {
  const { t } = useTranslation()
  const { session } = useServices()
  const api = useMemo(() => client ?? createCaseClient(), [client])
  const stats = usePermission('case:stats')
  const catalogueFetch = useCallback((signal?: AbortSignal) => api.catalogue(signal), [api])
  const catalogue = useFetched<CaseCatalogue>(catalogueFetch)
  const services = useMemo<CaseServices>(() => ({ client: api, catalogue: catalogue.data, map }), [api, catalogue.data, map])
  const [filter, setFilter] = useState<CaseFilterState>({ state: 'open', service: '', office: '', assignee: 'any' })
  const [view, setView] = useState<'list' | 'stats'>('list')
  const selected = useStore(map, (s) => s.selected)
  const clicked = useStore(map, (s) => s.clicked)
  const me = session.user?.username ?? ''
  const listFetch = useCallback((signal?: AbortSignal) => api.list(filterOf(filter, me), signal), [api, filter, me])
  const list = useFetched(listFetch)
  const { reload } = list

  // The layer is shown while the panel is open, as the person had it before once it closes.
  useEffect(() => {
    const before = map.get().shown
    map.set((s) => ({ ...s, shown: true }))
    return () => map.set((s) => ({ ...s, shown: before, selected: null, clicked: null }))
  }, [map])
  // A click on a case point opens it here.
  useEffect(() => {
    if (clicked === null) return
    map.set((s) => ({ ...s, selected: clicked, clicked: null }))
    setView('list')
  }, [clicked, map])
  // Pushed changes refresh the list (debounced).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const off = live.onCaseChanged(() => {
      clearTimeout(timer)
      timer = setTimeout(reload, PUSH_DEBOUNCE_MS)
    })
    return () => {
      clearTimeout(timer)
      off()
    }
  }, [live, reload])

  const open = (id: number | null) => map.set((s) => ({ ...s, selected: id }))
  const rows: readonly CaseSummary[] = list.data?.cases ?? []

  return (
    <CaseServicesProvider services={services}>
      <SideSheet title={t('cases.title')} closeLabel={t('cases.close')} onClose={onClose} side="right" wide className="cases-panel">
        {selected !== null ? (
          <>
            <p>
              <button type="button" className="text-button" onClick={() => open(null)}>
                ← {t('cases.back')}
              </button>
            </p>
            <CaseDetailView key={selected} id={selected} onOpenCase={open} />
          </>
        ) : view === 'stats' ? (
          <>
            <p>
              <button type="button" className="text-button" onClick={() => setView('list')}>
                ← {t('cases.back')}
              </button>
            </p>
            <CaseStatsView />
          </>
        ) : (
          <>
            <CaseFilters value={filter} onChange={setFilter} />
            {stats.allowed && (
              <p>
                <button type="button" className="text-button" onClick={() => setView('stats')}>
                  {t('cases.stats.open')}
                </button>
              </p>
            )}
            {list.error && (
              <p className="error-text" role="alert">
                {t('cases.loadFailed', { message: list.error })}{' '}
                <button type="button" className="text-button" onClick={reload}>
                  {t('cases.reload')}
                </button>
              </p>
            )}
            {!list.data && !list.error && <p className="muted">{t('cases.loading')}</p>}
            {list.data && (
              <>
                <h3 className="case-count" aria-live="polite">
                  {t('cases.count', { count: rows.length })}
                </h3>
                {list.data.truncated && <p className="muted">{t('cases.truncated', { count: rows.length })}</p>}
                {rows.length === 0 ? (
                  <p className="muted">{t('cases.empty')}</p>
                ) : (
                  <ul className="case-list" data-testid="case-list">
                    {rows.map((c) => (
                      <li key={c.id}>
                        <CaseRow summary={c} onOpen={() => open(c.id)} />
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
          </>
        )}
      </SideSheet>
    </CaseServicesProvider>
  )
}
