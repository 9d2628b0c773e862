/**
 * Reads the administrative and statistical areas and the ZTL polygons. One reader per file
 * layout; all return area records (id, kind, code, name, props, geometry).
 *
 *   quartieri.geojson                   kind quartiere        id quartiere-<cod_quartiere>
 *   zone.geojson                        kind zona             id zona-<codzona>
 *   aree_statistiche.geojson            kind area_statistica  id area-statistica-<codice_area_statistica>
 *   ztl_zona_traffico_limitato.geojson  kind ztl              id ztl-<codice>
 */
import { propNumber, propText, readFeatureCollection, type GeoJsonReadOptions, type Geometry, type RawFeature } from './geojson-features'
import { ProblemLog, type ReadResult } from './read-result'
import { BOLOGNA_ENVELOPE, slugify } from './row-checks'

export type AreaKind = 'quartiere' | 'zona' | 'area_statistica' | 'ztl'

export interface AreaRecord {
  row: number
  id: string
  kind: AreaKind
  code: string
  name: string
  geometry: Geometry
  props: Record<string, unknown>
}

interface AreaLayout {
  kind: AreaKind
  idPrefix: string
  /** Property holding the code. */
  codeKey: string
  /** The area's name, or '' when the feature has none. */
  name(p: Record<string, unknown>, code: string): string
  nameKey: string
  props(p: Record<string, unknown>): Record<string, unknown>
}

export const AREA_LAYOUTS: Record<AreaKind, AreaLayout> = {
  quartiere: {
    kind: 'quartiere',
    idPrefix: 'quartiere-',
    codeKey: 'cod_quartiere',
    nameKey: 'quartiere',
    name: (p) => propText(p, 'quartiere'),
    props: (p) => ({ nZone: propNumber(p, 'n_zone'), areaKm2: propNumber(p, 'area_km2') }),
  },
  zona: {
    kind: 'zona',
    idPrefix: 'zona-',
    codeKey: 'codzona',
    nameKey: 'nomezona',
    name: (p) => propText(p, 'nomezona'),
    props: (p) => ({ numquart: propText(p, 'numquart'), areaM2: propNumber(p, 'area'), perimeterM: propNumber(p, 'perimeter') }),
  },
  area_statistica: {
    kind: 'area_statistica',
    idPrefix: 'area-statistica-',
    codeKey: 'codice_area_statistica',
    nameKey: 'area_statistica',
    name: (p) => propText(p, 'area_statistica'),
    props: (p) => ({
      codQuartiere: propText(p, 'cod_quartiere'),
      quartiere: propText(p, 'quartiere'),
      codZona: propText(p, 'cod_zona'),
      zona: propText(p, 'zona'),
    }),
  },
  ztl: {
    kind: 'ztl',
    idPrefix: 'ztl-',
    codeKey: 'codice',
    nameKey: 'codice',
    // The ZTL layer has no name field: "ZTL 26 — VIA GIOVANNI BRUGNOLI" (first bounding street, when given).
    name: (p, code) => {
      const street = propText(p, 'nomevia1')
      return street === '' ? `ZTL ${code}` : `ZTL ${code} — ${street}`
    },
    props: (p) => ({
      ente: propText(p, 'ente'),
      ordinanza: propText(p, 'ordinanza'),
      stato: propText(p, 'stato'),
      areaM2: propNumber(p, 'area'),
      streets: [1, 2, 3, 4, 5, 6, 7]
        .map((i) => ({ codarco: propText(p, `codarco${i}`), nomevia: propText(p, `nomevia${i}`) }))
        .filter((s) => s.codarco !== '' || s.nomevia !== ''),
      // The publisher's own geometry check ("Risultato non valido", "Auto intersezione"); PostGIS re-checks at import.
      sourceCheck: propText(p, '_errors') === '' ? propText(p, 'layer') : `${propText(p, 'layer')}: ${propText(p, '_errors')}`,
    }),
  },
}

export function readAreas(file: string, kind: AreaKind, opts: GeoJsonReadOptions = {}): ReadResult<AreaRecord> {
  const env = opts.envelope ?? BOLOGNA_ENVELOPE
  const layout = AREA_LAYOUTS[kind]
  const { features, sourceCrs } = readFeatureCollection(file, env, opts.crs)
  const log = new ProblemLog()
  const records: AreaRecord[] = []
  const seen = new Map<string, number>()
  for (const f of features) {
    const r = toArea(f, layout, log, seen)
    if (r) records.push(r)
  }
  return { ...log.result(records, features.length), sourceCrs }
}

function toArea(f: RawFeature, layout: AreaLayout, log: ProblemLog, seen: Map<string, number>): AreaRecord | null {
  const code = propText(f.properties, layout.codeKey)
  if (code === '' || slugify(code) === '') {
    log.reject(f.row, undefined, `no code ("${layout.codeKey}")`)
    return null
  }
  const id = `${layout.idPrefix}${slugify(code)}`
  const earlier = seen.get(id)
  if (earlier !== undefined) {
    log.reject(f.row, code, `duplicate ${layout.codeKey} (first at feature ${earlier})`)
    return null
  }
  seen.set(id, f.row)
  const name = layout.name(f.properties, code)
  if (name === '') {
    log.reject(f.row, code, `no name ("${layout.nameKey}")`)
    return null
  }
  if (f.problem || !f.geometry) {
    log.reject(f.row, code, f.problem ?? 'no geometry')
    return null
  }
  if (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon') {
    log.reject(f.row, code, `geometry is a ${f.geometry.type}; an area is a Polygon or MultiPolygon`)
    return null
  }
  return { row: f.row, id, kind: layout.kind, code, name, geometry: f.geometry, props: layout.props(f.properties) }
}
