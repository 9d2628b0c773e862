/**
 * Reads the official street graph's nodes (`stradario_nodi.geojson`): one record per node, id =
 * `codice` (the code the arcs name in `cod_nodo1`/`cod_nodo2`). The 2024 file has no other field;
 * any other property a city's export carries is kept in props under its source name.
 */
import type { LonLat } from '../../../contracts/schemas/device'
import { propText, readFeatureCollection } from './geojson-features'
import { ProblemLog, type ReadResult } from './read-result'
import { BOLOGNA_ENVELOPE, type Envelope } from './row-checks'

export interface StreetNodeRecord {
  row: number
  id: string
  position: LonLat
  props: Record<string, unknown>
}

export function readStreetNodes(file: string, opts: { envelope?: Envelope } = {}): ReadResult<StreetNodeRecord> {
  const features = readFeatureCollection(file, opts.envelope ?? BOLOGNA_ENVELOPE)
  const log = new ProblemLog()
  const records: StreetNodeRecord[] = []
  const seen = new Map<string, number>()
  for (const f of features) {
    const { codice: _code, ...rest } = f.properties
    const id = propText(f.properties, 'codice')
    if (id === '') {
      log.reject(f.row, undefined, 'no node code ("codice")')
      continue
    }
    const earlier = seen.get(id)
    if (earlier !== undefined) {
      log.reject(f.row, id, `duplicate codice (first at feature ${earlier})`)
      continue
    }
    seen.set(id, f.row)
    if (f.problem || !f.geometry) {
      log.reject(f.row, id, f.problem ?? 'no geometry')
      continue
    }
    if (f.geometry.type !== 'Point') {
      log.reject(f.row, id, `geometry is a ${f.geometry.type}; a street node is a Point`)
      continue
    }
    records.push({ row: f.row, id, position: [f.geometry.coordinates[0] as number, f.geometry.coordinates[1] as number], props: rest })
  }
  return log.result(records, features.length)
}
