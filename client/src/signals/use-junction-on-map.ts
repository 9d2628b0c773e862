import { useEffect, useMemo, useState } from 'react'
import type { SignalGeometry } from '../../../contracts/signal-api'
import type { SignalState } from '../../../contracts/schemas/signal-plan'
import { useServices } from '../app/services'
import { clearSignalJunction, intervalStates, setSignalJunction } from '../state/signal-junction'
import { useSignalServices } from './signal-services'

export interface JunctionOnMap {
  controllerId: string
  /** The controller's detail is loaded: its position (or that it has none) is known. */
  ready: boolean
  position: [number, number] | null
  groupIds: readonly string[]
  /** The states of the interval selected in the bar chart, in group order; undefined when none is selected. */
  selectedStates: readonly SignalState[] | undefined
}

/**
 * Publishes the open controller to the page's store for the map (state/signal-junction.ts): its
 * geometry, fetched once (getSignalGeometry), its position, and its groups' states in the selected
 * interval, updated as the selection or the plan changes; cleared when the workbench closes or
 * another controller opens. A geometry that cannot be fetched leaves the map without the lanes.
 */
export function useJunctionOnMap({ controllerId, ready, position, groupIds, selectedStates }: JunctionOnMap): void {
  const { store } = useServices()
  const { client } = useSignalServices()
  const [geometry, setGeometry] = useState<SignalGeometry | null>(null)

  useEffect(() => {
    const ac = new AbortController()
    client.getGeometry(controllerId, ac.signal).then(setGeometry, () => setGeometry(null))
    return () => ac.abort()
  }, [client, controllerId])

  const states = useMemo(() => intervalStates(groupIds, selectedStates), [groupIds, selectedStates])
  const lon = position?.[0]
  const lat = position?.[1]
  useEffect(() => {
    if (!ready) return
    store.set((s) => setSignalJunction(s, { controllerId, position: lon !== undefined && lat !== undefined ? [lon, lat] : null, geometry, states }))
  }, [store, controllerId, ready, lon, lat, geometry, states])

  useEffect(() => () => store.set((s) => clearSignalJunction(s, controllerId)), [store, controllerId])
}
