import { useEffect } from 'react'
import type { CaseClient } from '../api/case-client'
import type { LiveConnection } from '../api/live-connection'
import { applyCaseChange, replaceCasePoints, startCaseFetch, type CaseMapStore } from '../state/case-map'
import { useStore } from '../state/store'
import { errorMessage } from '../panels/action-error'

/** The open cases are fetched whole this often while the layer is shown (the SLA flags age; a push missed while disconnected comes back). */
const REFRESH_MS = 60_000

/**
 * Keeps the case layer's points current while it is shown: /api/cases.geojson at once and every
 * minute, `case:changed` pushes in between. Nothing is fetched while the layer is off.
 */
export function useCaseFeed(client: CaseClient, map: CaseMapStore, live: Pick<LiveConnection, 'onCaseChanged'>, enabled: boolean): void {
  const shown = useStore(map, (s) => s.shown)
  useEffect(() => {
    if (!enabled || !shown) return
    const controller = new AbortController()
    const fetchAll = () => {
      map.set(startCaseFetch)
      client
        .geoJson(controller.signal)
        .then((fc) => map.set((s) => replaceCasePoints(s, fc, Date.now())))
        .catch((err: unknown) => {
          if (!controller.signal.aborted) map.set((s) => ({ ...s, error: errorMessage(err) }))
        })
    }
    const unsubscribe = live.onCaseChanged((c) => map.set((s) => applyCaseChange(s, c, Date.now())))
    fetchAll()
    const timer = setInterval(fetchAll, REFRESH_MS)
    return () => {
      controller.abort()
      clearInterval(timer)
      unsubscribe()
    }
  }, [client, map, live, enabled, shown])
}
