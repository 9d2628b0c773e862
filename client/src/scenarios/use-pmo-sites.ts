import { useEffect, useState } from 'react'
import { ApiError } from '../api/api-error'
import { createPmoClient, type PmoClient, type PmoSiteFeature } from '../api/pmo-client'

/** Why the sites did not come, in the few words the edits tab shows. */
export type PmoSitesFailure = 'forbidden' | 'network' | 'failed'

export interface PmoSites {
  /** The portfolio's work sites; null while they load, when not asked for, or after a failure. */
  sites: PmoSiteFeature[] | null
  failure: PmoSitesFailure | null
}

const PMO = createPmoClient()

export function pmoSitesFailure(err: unknown): PmoSitesFailure {
  if (err instanceof ApiError && (err.code === 'FORBIDDEN' || err.code === 'UNAUTHENTICATED')) return 'forbidden'
  return err instanceof ApiError && err.code === 'NETWORK' ? 'network' : 'failed'
}

/**
 * The PMO work sites (GET /api/pmo/sites.geojson, through the PMO client), fetched once when `enabled`
 * (the user holds pmo:read and may edit) and cancelled on leaving; a failure is a value, never a thrown error.
 */
export function usePmoSites(enabled: boolean, client: PmoClient = PMO): PmoSites {
  const [state, setState] = useState<PmoSites>({ sites: null, failure: null })
  useEffect(() => {
    if (!enabled) return
    const controller = new AbortController()
    client
      .sites(controller.signal)
      .then((c) => setState({ sites: c.features, failure: null }))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setState({ sites: null, failure: pmoSitesFailure(err) })
      })
    return () => controller.abort()
  }, [enabled, client])
  return enabled ? state : { sites: null, failure: null }
}
