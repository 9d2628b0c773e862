import { createContext, useContext, type ReactNode } from 'react'
import type { ScenarioClient } from '../api/scenario-client'
import type { SignalClient } from '../api/signal-client'
import type { ScenarioMapStore } from '../state/scenario-map'

/** What the scenario explorer's parts share: the REST clients and the map state. */
export interface ScenarioServices {
  client: ScenarioClient
  /** The signal controllers and their plan versions (the signal-plan edit). */
  signals: SignalClient
  /** The scenario map state the maps follow (state/scenario-map.ts). */
  channel: ScenarioMapStore
  /** District (quartiere) names, for demand scaled by district. */
  districts(signal?: AbortSignal): Promise<string[]>
}

const ScenarioServicesContext = createContext<ScenarioServices | null>(null)

export function ScenarioServicesProvider({ services, children }: { services: ScenarioServices; children: ReactNode }) {
  return <ScenarioServicesContext.Provider value={services}>{children}</ScenarioServicesContext.Provider>
}

export function useScenarioServices(): ScenarioServices {
  const s = useContext(ScenarioServicesContext)
  if (!s) throw new Error('useScenarioServices() outside <ScenarioServicesProvider>')
  return s
}
