import { createContext, useContext, type ReactNode } from 'react'
import type { CensusClient, CensusModel } from '../api/census-client'
import type { TokenClient } from '../api/token-client'
import type { CensusMapStore } from '../state/census-map'

/** What the census editor's parts share: the REST clients, the map state, and the asset model. */
export interface CensusServices {
  client: CensusClient
  tokens: TokenClient
  /** The census map state the 2D map follows (state/census-map.ts). */
  channel: CensusMapStore
  model: CensusModel
}

const CensusServicesContext = createContext<CensusServices | null>(null)

export function CensusServicesProvider({ services, children }: { services: CensusServices; children: ReactNode }) {
  return <CensusServicesContext.Provider value={services}>{children}</CensusServicesContext.Provider>
}

export function useCensusServices(): CensusServices {
  const s = useContext(CensusServicesContext)
  if (!s) throw new Error('useCensusServices() outside <CensusServicesProvider>')
  return s
}
