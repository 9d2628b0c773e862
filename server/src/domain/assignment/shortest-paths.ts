/**
 * One-to-all shortest paths (Dijkstra with a binary heap over typed arrays) and the all-or-nothing
 * loading of an origin's demand on its shortest-path tree. Centroid nodes other than the origin are
 * settled but never expanded: no path passes through a zone.
 */
import type { AssignmentNetwork } from './network'

export class ShortestPathTree {
  readonly dist: Float64Array
  /** The link that reaches each node on its shortest path, -1 for the origin and unreached nodes. */
  readonly predLink: Int32Array
  /** Nodes in the order they were settled (for accumulating demand back along the tree). */
  readonly order: Int32Array
  settled = 0
  private readonly heapNode: Int32Array
  private readonly heapKey: Float64Array
  private readonly pos: Int32Array

  constructor(private readonly net: AssignmentNetwork) {
    const N = net.nodeCount
    this.dist = new Float64Array(N)
    this.predLink = new Int32Array(N)
    this.order = new Int32Array(N)
    this.heapNode = new Int32Array(N)
    this.heapKey = new Float64Array(N)
    this.pos = new Int32Array(N)
  }

  /** Shortest paths from `origin` with link costs `cost` (seconds). The heap is inlined: this loop is most of an assignment's time. */
  run(origin: number, cost: Float64Array): void {
    const { net, dist, predLink, pos, heapNode, heapKey, order } = this
    const { outStart, outLinks, to, isCentroid } = net
    dist.fill(Infinity)
    predLink.fill(-1)
    pos.fill(-1)
    let settled = 0
    let size = 1
    dist[origin] = 0
    heapNode[0] = origin
    heapKey[0] = 0
    pos[origin] = 0
    while (size > 0) {
      // Pop the minimum.
      const u: number = heapNode[0]!
      pos[u] = -2
      size--
      if (size > 0) {
        const n = heapNode[size]!
        const key = heapKey[size]!
        let i = 0
        for (;;) {
          let c = 2 * i + 1
          if (c >= size) break
          if (c + 1 < size && heapKey[c + 1]! < heapKey[c]!) c++
          if (heapKey[c]! >= key) break
          heapNode[i] = heapNode[c]!
          heapKey[i] = heapKey[c]!
          pos[heapNode[i]!] = i
          i = c
        }
        heapNode[i] = n
        heapKey[i] = key
        pos[n] = i
      }
      order[settled++] = u
      if (u !== origin && isCentroid[u] === 1) continue
      const du = dist[u]!
      const end = outStart[u + 1]!
      for (let k: number = outStart[u]!; k < end; k++) {
        const l: number = outLinks[k]!
        const v = to[l]!
        const pv = pos[v]!
        if (pv === -2) continue
        const nd = du + cost[l]!
        if (nd < dist[v]!) {
          dist[v] = nd
          predLink[v] = l
          // Push or decrease: sift up from its place (or the end).
          let i = pv < 0 ? size++ : pv
          while (i > 0) {
            const p = (i - 1) >> 1
            if (heapKey[p]! <= nd) break
            heapNode[i] = heapNode[p]!
            heapKey[i] = heapKey[p]!
            pos[heapNode[i]!] = i
            i = p
          }
          heapNode[i] = v
          heapKey[i] = nd
          pos[v] = i
        }
      }
    }
    this.settled = settled
  }
}

/**
 * Loads `demand[d]` (veh/h from this origin to zone d) on the tree just computed, adding to `flow`;
 * returns the demand that has no path (unserved), per destination zone in `unservedOut`.
 */
export function loadTree(net: AssignmentNetwork, tree: ShortestPathTree, demand: Float64Array, flow: Float64Array, nodeLoad: Float64Array, unservedOut: Float64Array | null): number {
  nodeLoad.fill(0)
  let unserved = 0
  for (let d = 0; d < demand.length; d++) {
    const q = demand[d]!
    if (q <= 0) continue
    const n = net.zoneNode[d]!
    if (tree.dist[n] === Infinity) {
      unserved += q
      if (unservedOut) unservedOut[d]! += q
      continue
    }
    nodeLoad[n]! += q
  }
  // Walk the settled nodes backwards: each node passes its load to its predecessor link's tail.
  for (let k = tree.settled - 1; k > 0; k--) {
    const n = tree.order[k]!
    const q = nodeLoad[n]!
    if (q === 0) continue
    const l = tree.predLink[n]!
    if (l < 0) continue
    flow[l]! += q
    nodeLoad[net.from[l]!]! += q
  }
  return unserved
}
