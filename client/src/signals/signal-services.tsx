import { createContext, useContext, type ReactNode } from 'react'
import type { Deployment } from '../../../contracts/signal-api'
import type { SignalClient } from '../api/signal-client'

/**
 * Deployment changes pushed by the server (Socket.IO `signal:deployment` in room 'signals'). The live
 * connection does not relay that event yet; without a feed the workbench polls while a deployment is
 * 'sending' (plan-versions.ts DEPLOYMENT_POLL_MS).
 */
export interface DeploymentFeed {
  subscribe(listener: (deployment: Deployment) => void): () => void
}

export interface SignalServices {
  client: SignalClient
  deployments: DeploymentFeed | null
}

const SignalServicesContext = createContext<SignalServices | null>(null)

export function SignalServicesProvider({ services, children }: { services: SignalServices; children: ReactNode }) {
  return <SignalServicesContext.Provider value={services}>{children}</SignalServicesContext.Provider>
}

export function useSignalServices(): SignalServices {
  const s = useContext(SignalServicesContext)
  if (!s) throw new Error('useSignalServices() outside <SignalServicesProvider>')
  return s
}
