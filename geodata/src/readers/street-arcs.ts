/**
 * Reads the official street graph's arcs (`stradario_archi.geojson`): one record per arc, id =
 * `codarco`, name = `nomevia`. The other attributes go to props under their source names
 * (camelCased): `codvia`, `codNodo1`, `codNodo2`, `lunghez` (m), `da`/`a` (cross streets),
 * `civici` (house-number ranges of both sides), `numquart`/`nomequart`.
 */
import { keyedFeatures, propNumber, propText, readFeatureCollection, type GeoJsonReadOptions, type Geometry } from './geojson-features'
import { ProblemLog, type ReadResult } from './read-result'
import { BOLOGNA_ENVELOPE } from './row-checks'

export interface StreetArcProps {
  codvia: string
  codNodo1: string
  codNodo2: string
  /** Length in metres as published. */
  lunghez: number | null
  /** Cross street at the start / end of the arc. */
  da: string
  a: string
  /** House numbers of each side, exponent after "/": [{ min: '12', max: '16/E' }, { min: '21', max: '27/3' }]. */
  civici: Array<{ min: string; max: string }>
  numquart: string
  nomequart: string
  dataIstit: string
  codiceAns: string
}

export interface StreetArcRecord {
  row: number
  id: string
  name: string
  geometry: Geometry
  props: StreetArcProps
}

/** "16" + "E" → "16/E"; "12" + null → "12"; null when there is no number. */
function houseNumber(props: Record<string, unknown>, numberKey: string, exponentKey: string): string | null {
  const n = propText(props, numberKey)
  if (n === '') return null
  const e = propText(props, exponentKey)
  return e === '' ? n : `${n}/${e}`
}

function range(props: Record<string, unknown>, minKey: string, minExp: string, maxKey: string, maxExp: string): { min: string; max: string } | null {
  const min = houseNumber(props, minKey, minExp)
  const max = houseNumber(props, maxKey, maxExp)
  if (min === null && max === null) return null
  return { min: min ?? (max as string), max: max ?? (min as string) }
}

export function readStreetArcs(file: string, opts: GeoJsonReadOptions = {}): ReadResult<StreetArcRecord> {
  const { features, sourceCrs } = readFeatureCollection(file, opts.envelope ?? BOLOGNA_ENVELOPE, opts.crs)
  const log = new ProblemLog()
  const arcs = keyedFeatures(features, log, {
    id: (p) => propText(p, 'codarco'),
    noId: 'no arc code ("codarco")',
    idName: 'codarco',
    types: ['LineString', 'MultiLineString'],
    expected: 'a street arc is a LineString',
  })
  const records: StreetArcRecord[] = []
  for (const { row, id, properties: p, geometry } of arcs) {
    const name = propText(p, 'nomevia')
    if (name === '') {
      log.reject(row, id, 'no street name ("nomevia")')
      continue
    }
    const civici = [range(p, 'civico_min', 'esponente', 'civico_mas', 'esponente0'), range(p, 'civico_mi0', 'esponente1', 'civico_ma0', 'esponente2')].filter(
      (r): r is { min: string; max: string } => r !== null,
    )
    records.push({
      row,
      id,
      name,
      geometry,
      props: {
        codvia: propText(p, 'codvia'),
        codNodo1: propText(p, 'cod_nodo1'),
        codNodo2: propText(p, 'cod_nodo2'),
        lunghez: propNumber(p, 'lunghez'),
        da: propText(p, 'da'),
        a: propText(p, 'a'),
        civici,
        numquart: propText(p, 'numquart'),
        nomequart: propText(p, 'nomequart'),
        dataIstit: propText(p, 'data_istit'),
        codiceAns: propText(p, 'codice_ans'),
      },
    })
  }
  return { ...log.result(records, features.length), sourceCrs }
}
