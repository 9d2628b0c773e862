/**
 * The network of the fast estimate (ADR 0009): a directed graph in typed arrays (links sorted by their
 * tail node, CSR), each link with its free-flow time, capacity, BPR parameters and — on a signalised
 * approach — the cycle and green ratio of its signal (Webster's uniform delay), and the zones: centroid
 * nodes that trips start and end at and that no path passes through.
 *
 * Pure: no SQL, no I/O. Builders (server/src/scenarios/) read the city's graph or a SUMO network into it.
 */

export interface LinkInput {
  /** The source network's id (road_edge.id, a SUMO edge id, or a connector's made-up id). */
  id: string
  from: string
  to: string
  /** Free-flow travel time, seconds. */
  t0S: number
  /** Capacity, vehicles per hour (already reduced by the green ratio on a signalised approach). */
  capacityVehH: number
  lengthM: number
  /** Lanes for general traffic (edits that close or take lanes scale the capacity by them). */
  lanes?: number
  /** BPR: t = t0 (1 + α (v/c)^β). Defaults 0.15 and 4 (Bureau of Public Roads, 1964). */
  alpha?: number
  beta?: number
  /** A signalised approach: cycle (s) and effective green ratio g/C; adds Webster's uniform delay. */
  signal?: { cycleS: number; greenRatio: number }
  /** A centroid connector (reported apart; its flow is not road traffic). */
  connector?: boolean
  /** Closed to general traffic (a scenario's closure): no route may use it. Kept so link indices stay those of the base. */
  closed?: boolean
}

export interface ZoneInput {
  id: string
  /** The centroid node (must be a node of the links). */
  node: string
}

export interface AssignmentNetwork {
  nodeCount: number
  linkCount: number
  nodeIds: string[]
  linkIds: string[]
  from: Int32Array
  to: Int32Array
  t0: Float64Array
  capacity: Float64Array
  alpha: Float64Array
  beta: Float64Array
  lengthM: Float64Array
  cycleS: Float64Array
  /** 0 where the link has no signal. */
  greenRatio: Float64Array
  connector: Uint8Array
  /** 1 for a closed link: infinite time. */
  closed: Uint8Array
  /** CSR: the links leaving node n are outLinks[outStart[n] … outStart[n + 1]). */
  outStart: Int32Array
  outLinks: Int32Array
  zoneIds: string[]
  /** The node of each zone's centroid. */
  zoneNode: Int32Array
  /** 1 for centroid nodes: paths start and end there, never pass through. */
  isCentroid: Uint8Array
}

export class NetworkError extends Error {}

export function buildNetwork(links: readonly LinkInput[], zones: readonly ZoneInput[]): AssignmentNetwork {
  const nodeIndex = new Map<string, number>()
  const nodeIds: string[] = []
  const node = (id: string) => {
    let n = nodeIndex.get(id)
    if (n === undefined) {
      n = nodeIds.length
      nodeIndex.set(id, n)
      nodeIds.push(id)
    }
    return n
  }
  const L = links.length
  const from = new Int32Array(L)
  const to = new Int32Array(L)
  const t0 = new Float64Array(L)
  const capacity = new Float64Array(L)
  const alpha = new Float64Array(L)
  const beta = new Float64Array(L)
  const lengthM = new Float64Array(L)
  const cycleS = new Float64Array(L)
  const greenRatio = new Float64Array(L)
  const connector = new Uint8Array(L)
  const closed = new Uint8Array(L)
  links.forEach((l, i) => {
    if (!(l.t0S >= 0) || !Number.isFinite(l.t0S)) throw new NetworkError(`link ${l.id}: free-flow time ${l.t0S} s`)
    if (!(l.capacityVehH > 0) && !l.closed) throw new NetworkError(`link ${l.id}: capacity ${l.capacityVehH} veh/h`)
    from[i] = node(l.from)
    to[i] = node(l.to)
    t0[i] = l.t0S
    capacity[i] = l.capacityVehH
    alpha[i] = l.alpha ?? 0.15
    beta[i] = l.beta ?? 4
    lengthM[i] = l.lengthM
    if (l.signal) {
      if (!(l.signal.greenRatio > 0 && l.signal.greenRatio <= 1) || !(l.signal.cycleS > 0)) throw new NetworkError(`link ${l.id}: signal ${JSON.stringify(l.signal)}`)
      cycleS[i] = l.signal.cycleS
      greenRatio[i] = l.signal.greenRatio
    }
    connector[i] = l.connector ? 1 : 0
    closed[i] = l.closed ? 1 : 0
  })
  const N = nodeIds.length
  const zoneNode = new Int32Array(zones.length)
  const isCentroid = new Uint8Array(N)
  zones.forEach((z, i) => {
    const n = nodeIndex.get(z.node)
    if (n === undefined) throw new NetworkError(`zone ${z.id}: its centroid node ${z.node} is not in the network`)
    zoneNode[i] = n
    isCentroid[n] = 1
  })
  const outStart = new Int32Array(N + 1)
  for (let i = 0; i < L; i++) outStart[from[i]! + 1]!++
  for (let n = 0; n < N; n++) outStart[n + 1]! += outStart[n]!
  const fill = outStart.slice(0, N)
  const outLinks = new Int32Array(L)
  for (let i = 0; i < L; i++) outLinks[fill[from[i]!]!++] = i
  return {
    nodeCount: N, linkCount: L, nodeIds, linkIds: links.map((l) => l.id), from, to, t0, capacity, alpha, beta, lengthM, cycleS, greenRatio, connector, closed,
    outStart, outLinks, zoneIds: zones.map((z) => z.id), zoneNode, isCentroid,
  }
}

/** The degree of saturation at which the uniform delay stops growing (Webster's formula diverges at 1; BPR carries the rest). */
const X_MAX = 0.98

/** Travel time of link i at flow v (veh/h), seconds: BPR plus the signal's uniform delay. */
export function linkTime(net: AssignmentNetwork, i: number, v: number): number {
  if (net.closed[i] === 1) return Infinity
  const x = v / net.capacity[i]!
  let t = net.t0[i]! * (1 + net.alpha[i]! * Math.pow(x, net.beta[i]!))
  const g = net.greenRatio[i]!
  if (g > 0) {
    const xs = Math.min(x, X_MAX)
    const r = 1 - g
    t += (0.5 * net.cycleS[i]! * r * r) / (1 - xs * g)
  }
  return t
}

/** d t / d v of link i at flow v (for the conjugate direction). */
export function linkTimeDerivative(net: AssignmentNetwork, i: number, v: number): number {
  if (net.closed[i] === 1) return 0
  const c = net.capacity[i]!
  const x = v / c
  const b = net.beta[i]!
  let d = x > 0 ? (net.t0[i]! * net.alpha[i]! * b * Math.pow(x, b - 1)) / c : b === 1 ? (net.t0[i]! * net.alpha[i]!) / c : 0
  const g = net.greenRatio[i]!
  if (g > 0 && x < X_MAX) {
    const r = 1 - g
    const den = 1 - x * g
    d += (0.5 * net.cycleS[i]! * r * r * g) / (den * den * c)
  }
  return d
}
