/**
 * Test support: do two decoded tiles say the same thing? Same layers, same features (by id and
 * geometry type), same attributes, and geometries within `tolerance` tile units of each other
 * (every vertex of one lies within tolerance of the other's lines or rings, both ways). Vertex
 * lists may differ: PostGIS drops collinear points that a snap-to-grid keeps.
 */
import type { DecodedFeature, DecodedTile } from './tile-dump'

type P = [number, number]

function segmentDistance(p: P, a: P, b: P): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2))
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))
}

/** Largest distance from a vertex of `from` to the parts of `to`. */
function directedDistance(from: DecodedFeature, to: DecodedFeature): number {
  const closed = to.type === 'Polygon'
  let worst = 0
  for (const part of from.geometry) {
    for (const p of part) {
      let best = Infinity
      for (const q of to.geometry) {
        if (q.length === 1) best = Math.min(best, Math.hypot(p[0] - q[0]![0], p[1] - q[0]![1]))
        for (let i = 1; i < q.length; i++) best = Math.min(best, segmentDistance(p, q[i - 1]!, q[i]!))
        if (closed && q.length > 2) best = Math.min(best, segmentDistance(p, q[q.length - 1]!, q[0]!))
        if (best === 0) break
      }
      worst = Math.max(worst, best)
    }
  }
  return worst
}

export function geometryDistance(a: DecodedFeature, b: DecodedFeature): number {
  return Math.max(directedDistance(a, b), directedDistance(b, a))
}

/**
 * Differences a person can read; empty when the tiles agree. polygonTolerance exists because
 * the two paths repair a self-touching polygon differently after the snap to the grid (PostGIS
 * uses wagyu, the embedded path GEOS ST_MakeValid): a sliver of one unit may end two units off.
 */
export function compareTiles(a: DecodedTile, b: DecodedTile, opts: { tolerance?: number; polygonTolerance?: number } = {}): string[] {
  const tolerance = opts.tolerance ?? 1
  const polygonTolerance = opts.polygonTolerance ?? tolerance
  const problems: string[] = []
  const layers = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const name of layers) {
    const la = a[name]?.features ?? []
    const lb = b[name]?.features ?? []
    if (la.length !== lb.length) problems.push(`${name}: ${la.length} features vs ${lb.length}`)
    const byId = new Map<string, DecodedFeature[]>()
    for (const f of lb) byId.set(String(f.properties.id), [...(byId.get(String(f.properties.id)) ?? []), f])
    for (const fa of la) {
      // Ids are unique per table, not per layer (two SUMO networks share lane ids): take the nearest.
      const candidates = byId.get(String(fa.properties.id)) ?? []
      const nearest = candidates.map((c, i) => ({ i, d: geometryDistance(fa, c) })).sort((x, y) => x.d - y.d)[0]
      const fb = nearest ? candidates.splice(nearest.i, 1)[0] : undefined
      if (!fb) {
        problems.push(`${name}/${String(fa.properties.id)}: missing in the second tile`)
        continue
      }
      if (fa.type !== fb.type) problems.push(`${name}/${String(fa.properties.id)}: ${fa.type} vs ${fb.type}`)
      if (JSON.stringify(sorted(fa.properties)) !== JSON.stringify(sorted(fb.properties))) {
        problems.push(`${name}/${String(fa.properties.id)}: attributes ${JSON.stringify(sorted(fa.properties))} vs ${JSON.stringify(sorted(fb.properties))}`)
      }
      const d = geometryDistance(fa, fb)
      if (d > (fa.type === 'Polygon' ? polygonTolerance : tolerance) + 1e-9) problems.push(`${name}/${String(fa.properties.id)}: geometries ${d.toFixed(2)} units apart`)
    }
  }
  return problems
}

const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]))
