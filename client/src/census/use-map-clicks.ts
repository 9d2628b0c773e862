import { useEffect, useRef } from 'react'
import type { CollectionId } from '../../../contracts/schemas/census'
import type { CensusMapMode } from '../state/census-map'
import { useCensusServices } from './census-services'

/** Calls `onClick` for each feature clicked on the map while the census map is in one of `modes`. */
export function useMapClicks(onClick: (collection: CollectionId, id: number) => void, modes: ReadonlyArray<CensusMapMode['kind']>): void {
  const { channel } = useCensusServices()
  const ref = useRef(onClick)
  ref.current = onClick
  const modesKey = modes.join(',')
  useEffect(() => {
    let seen = channel.get().clicked?.seq ?? 0
    return channel.subscribe(() => {
      const s = channel.get()
      if (!s.clicked || s.clicked.seq === seen) return
      seen = s.clicked.seq
      if (modesKey.split(',').includes(s.mode.kind)) ref.current(s.clicked.collection, s.clicked.id)
    })
  }, [channel, modesKey])
}
