import { createContext, useContext, type ReactNode } from 'react'
import type { MySession } from '../../../contracts/my-api'
import type { MyClient } from '../api/my-client'
import type { CitizenRoute } from './citizen-route'

/** What the citizen pages share: the REST client, the session, and navigation. */
export interface CitizenServices {
  api: MyClient
  session: MySession
  go(route: CitizenRoute): void
  /** Asks the session again (after sign-out). */
  refreshSession(): void
}

const Ctx = createContext<CitizenServices | null>(null)

export function CitizenServicesProvider({ value, children }: { value: CitizenServices; children: ReactNode }) {
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>
}

export function useCitizen(): CitizenServices {
  const s = useContext(Ctx)
  if (!s) throw new Error('useCitizen() outside <CitizenServicesProvider>')
  return s
}
