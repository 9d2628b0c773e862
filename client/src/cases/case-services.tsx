import { createContext, useContext, type ReactNode } from 'react'
import type { CaseCatalogue } from '../../../contracts/case-api'
import type { CaseClient } from '../api/case-client'
import type { CaseMapStore } from '../state/case-map'

/** What the case screens share: the REST client, the services and offices, and the case layer's state. */
export interface CaseServices {
  client: CaseClient
  /** null until it is loaded. */
  catalogue: CaseCatalogue | null
  map: CaseMapStore
}

const CaseServicesContext = createContext<CaseServices | null>(null)

export function CaseServicesProvider({ services, children }: { services: CaseServices; children: ReactNode }) {
  return <CaseServicesContext.Provider value={services}>{children}</CaseServicesContext.Provider>
}

export function useCaseServices(): CaseServices {
  const s = useContext(CaseServicesContext)
  if (!s) throw new Error('useCaseServices() outside <CaseServicesProvider>')
  return s
}
