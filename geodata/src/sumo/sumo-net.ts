/**
 * A SUMO network and its additional elements as parsed from the files, in the network's own
 * Cartesian coordinates (metres; UTM minus netOffset). Georeferencing happens later, in one place
 * (`sumo-georef.ts`). Every element keeps the source line it came from and the attributes Gemello
 * has no column for (`attrs`), so nothing in the file is lost.
 */

/** A position in network coordinates (metres). */
export type NetXy = [number, number]

export interface SumoLocation {
  netOffset: NetXy
  convBoundary: [number, number, number, number]
  origBoundary: number[] | null
  projParameter: string
}

export interface SumoLane {
  line: number
  id: string
  index: number
  speedMs: number
  lengthM: number
  widthM: number | null
  allow: string | null
  disallow: string | null
  shape: NetXy[]
  attrs: Record<string, string>
}

export interface SumoEdge {
  line: number
  id: string
  from: string | null
  to: string | null
  name: string | null
  type: string | null
  priority: number | null
  /** `normal` when the attribute is absent; `internal` edges are the paths across junctions. */
  func: string
  shape: NetXy[] | null
  lanes: SumoLane[]
  attrs: Record<string, string>
}

export interface SumoRequest {
  index: number
  response: string
  foes: string
  cont: boolean
}

export interface SumoJunction {
  line: number
  id: string
  type: string
  x: number
  y: number
  incLanes: string[]
  intLanes: string[]
  shape: NetXy[] | null
  requests: SumoRequest[]
  attrs: Record<string, string>
}

export interface SumoConnection {
  line: number
  from: string
  to: string
  fromLane: number
  toLane: number
  via: string | null
  tl: string | null
  linkIndex: number | null
  dir: string | null
  state: string | null
  attrs: Record<string, string>
}

/** One phase, with the optional attributes only when the file has them (export writes back exactly these). */
export interface SumoPhase {
  duration: number
  state: string
  minDur?: number
  maxDur?: number
  name?: string
  /** Other phase attributes (next, earliestEnd, vehext, …), verbatim. */
  attrs?: Record<string, string>
}

export interface SumoTlLogic {
  line: number
  /** The file it was read from (basename). */
  file: string
  source: 'net' | 'additional'
  id: string
  type: string
  programId: string
  offsetS: number
  phases: SumoPhase[]
  params: Record<string, string>
}

export interface SumoDetector {
  line: number
  file: string
  id: string
  laneId: string
  posM: number
  freqS: number | null
  outputFile: string
  attrs: Record<string, string>
}

export interface SumoNet {
  file: string
  version: string | null
  location: SumoLocation
  edges: SumoEdge[]
  junctions: SumoJunction[]
  connections: SumoConnection[]
  tlLogics: SumoTlLogic[]
  roundabouts: Array<{ nodes: string[]; edges: string[] }>
  prohibitions: Array<{ prohibitor: string; prohibited: string }>
}

export interface SumoAdditional {
  file: string
  tlLogics: SumoTlLogic[]
  detectors: SumoDetector[]
}
