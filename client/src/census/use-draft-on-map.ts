import { useEffect, useRef } from 'react'
import type { CensusGeometryType, CollectionId } from '../../../contracts/schemas/census'
import { geometryBbox, replaceDraft, requestFocus, type CensusMapMode, type EditableGeometry } from '../state/census-map'
import { sameGeometry } from './census-geometry'
import { useCensusServices } from './census-services'

export interface DraftOnMap {
  /** The feature open (null: a new one). */
  id: number | null
  geometryType: CensusGeometryType
  geometry: EditableGeometry | null
  /** The person may change the geometry (census:write): terra-draw holds it; else it is only selected. */
  editable: boolean
  /** Drawing a new geometry even though there is one (Redraw). */
  redraw: boolean
  /** Picking a relation: a click on these collections' features fills it. */
  picking: readonly CollectionId[] | null
  /** Bring the geometry into view when it first arrives (opening a feature, e.g. from a link). */
  focusKey: string | null
  /** The geometry drawn, moved or reshaped on the map. */
  onMapGeometry(geometry: EditableGeometry): void
}

function modeOf(o: Pick<DraftOnMap, 'geometryType' | 'geometry' | 'editable' | 'redraw' | 'picking'>): CensusMapMode {
  if (o.picking) return { kind: 'pick', collections: o.picking }
  if (!o.editable) return { kind: 'browse' }
  if (o.redraw || !o.geometry) return { kind: 'draw', geometryType: o.geometryType }
  return { kind: 'edit' }
}

const sameMode = (a: CensusMapMode, b: CensusMapMode) => JSON.stringify(a) === JSON.stringify(b)

/**
 * The open feature on the map (state/census-map.ts): selected; its draft geometry drawn and edited by
 * terra-draw when the person may write (or drawn anew); the relation targets clickable while picking.
 * What the map draws or reshapes comes back through `onMapGeometry`.
 */
export function useDraftOnMap(o: DraftOnMap): void {
  const { channel } = useCensusServices()
  const onMapGeometry = useRef(o.onMapGeometry)
  onMapGeometry.current = o.onMapGeometry
  const geometry = useRef(o.geometry)
  geometry.current = o.geometry

  useEffect(() => {
    channel.set((s) => ({ ...s, selectedId: o.id, editingId: o.editable ? o.id : null }))
  }, [channel, o.id, o.editable])

  // The editor's geometry (loaded, typed, undone, repaired) goes to the map; the map's own report is not sent back.
  useEffect(() => {
    if (channel.get().draft.geometry !== o.geometry) channel.set((s) => replaceDraft(s, o.geometry))
  }, [channel, o.geometry])

  const mode = modeOf(o)
  const modeKey = JSON.stringify(mode)
  useEffect(() => {
    const next = JSON.parse(modeKey) as CensusMapMode
    channel.set((s) => (sameMode(s.mode, next) ? s : { ...s, mode: next }))
  }, [channel, modeKey])

  useEffect(() => {
    let seen = channel.get().draft.geometry
    return channel.subscribe(() => {
      const g = channel.get().draft.geometry
      if (g === seen) return
      seen = g
      if (g && g !== geometry.current && !sameGeometry(g, geometry.current)) onMapGeometry.current(g)
    })
  }, [channel])

  const focused = useRef<string | null>(null)
  useEffect(() => {
    if (!o.focusKey || focused.current === o.focusKey) return
    const box = geometryBbox(o.geometry)
    if (!box) return
    focused.current = o.focusKey
    channel.set((s) => requestFocus(s, box))
  }, [channel, o.focusKey, o.geometry])

  useEffect(
    () => () =>
      channel.set((s) => ({ ...replaceDraft(s, null), selectedId: null, editingId: null, mode: { kind: 'browse' }, overlay: null, targets: [] })),
    [channel],
  )
}
