import { createContext, useContext, type ReactNode } from 'react'
import type { RestClient } from '../api/rest-client'
import type { AppStore } from '../state/app-state'

export interface Services {
  api: RestClient
  store: AppStore
  wall: boolean
}

const ServicesContext = createContext<Services | null>(null)

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>
}

/** The REST client, the app store and the display mode, provided once by the composition root. */
export function useServices(): Services {
  const services = useContext(ServicesContext)
  if (!services) throw new Error('useServices() outside <ServicesProvider>')
  return services
}
