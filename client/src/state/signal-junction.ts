/**
 * The junction the signal workbench has open, for the map: which controller, where it is, its approach
 * lanes and junction polygons (getSignalGeometry), and each signal group's state in the interval
 * selected in the bar chart. The workbench publishes it while a controller is open and clears it when
 * it closes; the 2D map flies to the junction and draws it (map2d/layers/signal-groups/).
 */
import type { SignalGeometry } from '../../../contracts/signal-api'
import type { SignalState } from '../../../contracts/schemas/signal-plan'
import type { AppState } from './app-state'

/** Group id → its state in the selected interval. */
export type GroupStates = Readonly<Record<string, SignalState>>

export interface SignalJunctionView {
  controllerId: string
  /** The controller's device position, when it has one. */
  position: [number, number] | null
  /** null until fetched (or when it could not be). */
  geometry: SignalGeometry | null
  /** null when no interval is selected. */
  states: GroupStates | null
}

/** The states of an interval by group id (the plan lists one state per group, in the controller's order). */
export function intervalStates(groupIds: readonly string[], states: readonly SignalState[] | undefined): GroupStates | null {
  if (!states) return null
  const out: Record<string, SignalState> = {}
  groupIds.forEach((id, i) => {
    const s = states[i]
    if (s) out[id] = s
  })
  return out
}

const sameStates = (a: GroupStates | null, b: GroupStates | null) => {
  if (a === b) return true
  if (!a || !b) return false
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])
}

const sameView = (a: SignalJunctionView | null, b: SignalJunctionView | null) =>
  a === b ||
  (!!a &&
    !!b &&
    a.controllerId === b.controllerId &&
    a.geometry === b.geometry &&
    a.position?.[0] === b.position?.[0] &&
    a.position?.[1] === b.position?.[1] &&
    sameStates(a.states, b.states))

/** Publishes (or clears, with null) the open junction; an equal view leaves the state as it is, so the map does not redraw. */
export function setSignalJunction(s: AppState, view: SignalJunctionView | null): AppState {
  return sameView(s.signalJunction, view) ? s : { ...s, signalJunction: view }
}

/** Clears the junction only when it is still this controller's (another workbench may have opened since). */
export function clearSignalJunction(s: AppState, controllerId: string): AppState {
  return s.signalJunction?.controllerId === controllerId ? { ...s, signalJunction: null } : s
}

/** Where the map goes: the device position, else the middle of the junction polygons' bounds, else of the lanes'. */
export function junctionFocus(view: SignalJunctionView): [number, number] | null {
  if (view.position) return view.position
  const features = view.geometry?.features ?? []
  const junctions = features.filter((f) => f.properties.kind === 'junction')
  const points = (junctions.length > 0 ? junctions : features).flatMap((f) => (f.geometry.type === 'Polygon' ? f.geometry.coordinates.flat() : f.geometry.coordinates))
  if (points.length === 0) return null
  const lons = points.map((p) => p[0])
  const lats = points.map((p) => p[1])
  return [(Math.min(...lons) + Math.max(...lons)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2]
}

/**
 * With a controller open, the workbench leaves a strip of the map at the left so the junction stays
 * in sight: its width in CSS pixels for a viewport width. The sheet's left edge and the map's fly-to
 * padding both come from here.
 */
export function junctionStripPx(viewportWidth: number): number {
  return Math.round(Math.min(900, Math.max(360, viewportWidth * 0.3)))
}
