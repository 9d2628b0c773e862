import type { CensusGeometryType } from '../../../contracts/schemas/census'

/** A small shape beside the geometry type's word: a dot, a polyline, a polygon. */
export function GeometryGlyph({ type }: { type: CensusGeometryType }) {
  return (
    <svg className="census-glyph" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
      {type === 'Point' && <circle cx="7" cy="7" r="3.5" />}
      {type === 'LineString' && <polyline points="1,12 5,5 9,9 13,2" />}
      {type === 'Polygon' && <polygon points="2,11 4,2 12,4 11,12" />}
    </svg>
  )
}
