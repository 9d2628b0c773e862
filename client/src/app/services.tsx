import { createContext, useContext, type ReactNode } from 'react'
import type { Permission } from '../../../contracts/access'
import type { SessionInfo } from '../../../contracts/api'
import type { RestClient } from '../api/rest-client'
import type { AppStore } from '../state/app-state'

export interface Services {
  api: RestClient
  store: AppStore
  wall: boolean
  /** Who is signed in and what they may do (the server decides; the page only shows it). */
  session: SessionInfo
  signOut(): Promise<void>
}

/** Whether the signed-in user may do this: actions they may not are shown disabled, with the reason. */
export function allowed(session: SessionInfo, permission: Permission): boolean {
  return session.permissions.includes(permission)
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
