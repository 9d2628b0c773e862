/**
 * Keeps the PMO sites layer fed (docs/pmo.md "On the map"): /api/pmo/sites.geojson when the layer is
 * shown and the user may read the portfolio, again after a save (the store's `revision`) and every few
 * minutes. Nothing is fetched while the layer is off.
 */
import { useEffect } from 'react'
import type { PmoClient } from '../api/pmo-client'
import { errorMessage } from '../panels/action-error'
import { pmoSiteOf, type PmoMapStore } from '../state/pmo-map'
import { useStore } from '../state/store'

const REFRESH_MS = 5 * 60_000

export function usePmoSites(client: PmoClient, map: PmoMapStore, enabled: boolean): void {
  const shown = useStore(map, (s) => s.shown)
  const revision = useStore(map, (s) => s.revision)
  useEffect(() => {
    if (!enabled || !shown) return
    const controller = new AbortController()
    const fetchAll = () =>
      client
        .sites(controller.signal)
        .then((fc) => map.set((s) => ({ ...s, sites: fc.features.map(pmoSiteOf), error: null })))
        .catch((err: unknown) => {
          if (!controller.signal.aborted) map.set((s) => ({ ...s, error: errorMessage(err) }))
        })
    void fetchAll()
    const timer = setInterval(() => void fetchAll(), REFRESH_MS)
    return () => {
      controller.abort()
      clearInterval(timer)
    }
  }, [client, map, enabled, shown, revision])
}
