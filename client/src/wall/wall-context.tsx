import { createContext, useContext, type ReactNode } from 'react'
import type { AboutResponse } from '../../../contracts/api'
import type { LiveConnection } from '../api/live-connection'
import type { RestClient } from '../api/rest-client'
import type { AppStore } from '../state/app-state'
import type { TileRegistry } from './tile-registry'

/** What every tile of the wall may use: the API, the live store and connection, the city, the tile registry. */
export interface WallServices {
  api: RestClient
  store: AppStore
  live: LiveConnection
  about: AboutResponse
  /** The city's districts (quartieri) by name, empty until loaded. */
  districts: readonly string[]
  registry: TileRegistry
  /** Counts the live connections made so far: polled tiles ask again at once when it changes. */
  connections: number
  /** The tile that says who pushed what (the first map, else the first 3D view); null: the wall itself. */
  focusHost: string | null
}

const WallContext = createContext<WallServices | null>(null)

export function WallProvider({ services, children }: { services: WallServices; children: ReactNode }) {
  return <WallContext.Provider value={services}>{children}</WallContext.Provider>
}

export function useWall(): WallServices {
  const services = useContext(WallContext)
  if (!services) throw new Error('useWall() outside <WallProvider>')
  return services
}
