import { useEffect, useRef, useState } from 'react'
import type { Bbox } from '../../../contracts/events'
import type { CollectionId } from '../../../contracts/schemas/census'
import type { CensusFeature } from '../api/census-client'
import { errorMessage } from '../panels/action-error'
import type { CensusMapState, MapLayerData } from '../state/census-map'
import { useStore } from '../state/store'
import { useCensusServices } from './census-services'
import { featureLabel } from './feature-label'
import { FEATURE_CAP, covers, fetchBox, needsFetch, pageSummary, type Fetched, type PageSummary } from './viewport-paging'

export interface ViewportFeatures {
  /** The features of the first collection (the list), in the fetched box. */
  features: readonly CensusFeature[]
  summary: PageSummary | null
  loading: boolean
  error: string | null
  /** No 2D map: nothing to fetch by (the 3D view). */
  noMap: boolean
}

const selectViewport = (s: CensusMapState) => s.viewport
const selectBound = (s: CensusMapState) => s.mapBound

export const mapLayerOf = (collection: CollectionId, features: readonly CensusFeature[]): MapLayerData => ({
  collection,
  features: features.map((f) => ({ id: f.id, geometry: f.geometry, label: featureLabel(f) })),
})

/**
 * The features of collections in the map's viewport (padded), at most FEATURE_CAP each, fetched when
 * the map stops moving outside what was fetched, or when `revision` moves (after a save). `publish`
 * hands them to the map. An answer still on its way for a box that covers the view is not cancelled.
 */
export function useViewportFeatures(collections: readonly CollectionId[], revision: number, publish: (layers: MapLayerData[]) => void): ViewportFeatures {
  const { client, channel } = useCensusServices()
  const viewport = useStore(channel, selectViewport)
  const bound = useStore(channel, selectBound)
  const [state, setState] = useState<Omit<ViewportFeatures, 'noMap'>>({ features: [], summary: null, loading: false, error: null })
  const last = useRef<Fetched | null>(null)
  const inflight = useRef<{ key: string; box: Bbox; ac: AbortController } | null>(null)
  const publishRef = useRef(publish)
  publishRef.current = publish
  const key = `${collections.join('+')}@${revision}`

  useEffect(() => {
    if (collections.length === 0 || !viewport) return
    if (!needsFetch(last.current, key, viewport.bbox)) return
    const going = inflight.current
    if (going && going.key === key && covers(going.box, viewport.bbox)) return
    going?.ac.abort()
    const box = fetchBox(viewport.bbox)
    const ac = new AbortController()
    inflight.current = { key, box, ac }
    setState((s) => ({ ...s, loading: true }))
    Promise.all(collections.map((c) => client.items(c, { bbox: box, limit: FEATURE_CAP }, ac.signal))).then(
      (pages) => {
        if (ac.signal.aborted) return
        inflight.current = null
        last.current = { key, box, complete: pages.every((p) => p.numberMatched <= p.features.length) }
        const first = pages[0]!
        setState({ features: first.features, summary: pageSummary(first.numberMatched, first.features.length), loading: false, error: null })
        publishRef.current(pages.map((p, i) => mapLayerOf(collections[i]!, p.features)))
      },
      (err: unknown) => {
        if (ac.signal.aborted) return
        inflight.current = null
        setState((s) => ({ ...s, loading: false, error: errorMessage(err) }))
      },
    )
  }, [client, key, viewport])

  useEffect(() => () => inflight.current?.ac.abort(), [])
  return { ...state, noMap: !bound }
}
