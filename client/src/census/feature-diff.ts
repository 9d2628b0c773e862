/**
 * What changed between two versions of a census feature (GET /api/census/:collection/:id/history):
 * the attributes before → after, whether the geometry changed and how far a point moved, and a
 * deletion or a restoration. Also what each version changed from the one before, for the timeline's
 * "who changed what". Pure.
 */
import type { FeatureVersionDto } from '../../../contracts/census-api'
import type { PropertyValue } from '../../../contracts/schemas/census'
import type { AnyGeometry, Position } from '../state/census-map'
import { distanceM, sameGeometry } from './census-geometry'

export interface AttributeChange {
  name: string
  before: PropertyValue
  after: PropertyValue
}

export interface VersionDiff {
  from: number | null
  to: number
  attributes: AttributeChange[]
  geometryChanged: boolean
  /** Metres a point moved; null for lines and polygons or when it did not move. */
  movedM: number | null
  /** The later version deletes the feature (a tombstone), or follows a deletion. */
  tombstone: 'deleted' | 'restored' | null
}

const GEOMETRY = 'geometry'

/** Attribute names in the asset type's order, then any other, alphabetically. */
function orderedNames(keys: Iterable<string>, order: readonly string[]): string[] {
  const all = new Set(keys)
  const known = order.filter((n) => all.has(n))
  const rest = [...all].filter((n) => !order.includes(n)).sort()
  return [...known, ...rest]
}

export function diffVersions(before: FeatureVersionDto | null, after: FeatureVersionDto, order: readonly string[]): VersionDiff {
  const a = before?.properties ?? {}
  const b = after.properties
  const attributes: AttributeChange[] = []
  for (const name of orderedNames([...Object.keys(a), ...Object.keys(b)], order)) {
    const x = a[name] ?? null
    const y = b[name] ?? null
    if (x !== y) attributes.push({ name, before: x, after: y })
  }
  const geometryChanged = before !== null && !sameGeometry(before.geometry as AnyGeometry, after.geometry as AnyGeometry)
  let movedM: number | null = null
  if (geometryChanged && before && before.geometry.type === 'Point' && after.geometry.type === 'Point') {
    movedM = distanceM(before.geometry.coordinates as Position, after.geometry.coordinates as Position)
  }
  const tombstone = after.deleted && !before?.deleted ? 'deleted' : !after.deleted && before?.deleted ? 'restored' : null
  return { from: before?.version ?? null, to: after.version, attributes, geometryChanged, movedM, tombstone }
}

/** The names a version changed from the one before it ('geometry' for the geometry); a first version changed nothing. */
export function changedNames(previous: FeatureVersionDto | null, version: FeatureVersionDto, order: readonly string[]): string[] {
  if (!previous) return []
  const d = diffVersions(previous, version, order)
  return [...d.attributes.map((c) => c.name), ...(d.geometryChanged ? [GEOMETRY] : [])]
}

/** The history newest first, each version with the one it followed. */
export function timelineOf(versions: readonly FeatureVersionDto[]): Array<{ version: FeatureVersionDto; previous: FeatureVersionDto | null }> {
  const sorted = [...versions].sort((x, y) => x.version - y.version)
  return sorted.map((version, i) => ({ version, previous: sorted[i - 1] ?? null })).reverse()
}
