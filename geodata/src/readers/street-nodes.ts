/**
 * Reads the official street graph's nodes (`stradario_nodi.geojson`): one record per node, id =
 * `codice` (the code the arcs name in `cod_nodo1`/`cod_nodo2`). The 2024 file has no other field;
 * any other property a city's export carries is kept in props under its source name.
 */
import type { LonLat } from '../../../contracts/schemas/device'
import { keyedFeatures, propText, readFeatureCollection, type GeoJsonReadOptions } from './geojson-features'
import { ProblemLog, type ReadResult } from './read-result'
import { BOLOGNA_ENVELOPE } from './row-checks'

export interface StreetNodeRecord {
  row: number
  id: string
  position: LonLat
  props: Record<string, unknown>
}

export function readStreetNodes(file: string, opts: GeoJsonReadOptions = {}): ReadResult<StreetNodeRecord> {
  const { features, sourceCrs } = readFeatureCollection(file, opts.envelope ?? BOLOGNA_ENVELOPE, opts.crs)
  const log = new ProblemLog()
  const nodes = keyedFeatures(features, log, {
    id: (p) => propText(p, 'codice'),
    noId: 'no node code ("codice")',
    idName: 'codice',
    types: ['Point'],
    expected: 'a street node is a Point',
  })
  const records = nodes.map(({ row, id, properties, geometry }): StreetNodeRecord => {
    const { codice: _code, ...props } = properties
    return { row, id, position: [geometry.coordinates[0] as number, geometry.coordinates[1] as number], props }
  })
  return { ...log.result(records, features.length), sourceCrs }
}
