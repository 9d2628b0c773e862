/**
 * Test data: SimDevice records shaped like the registry's, with partial overrides, and the real
 * loop registry read from the city bundle (for tests that need all 864 loops).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import type { DeviceKind } from '../../../contracts/schemas/device'
import { STREAMS } from '../../../contracts/schemas/reading'
import { parseGeopoint } from '../../../geodata/src/readers/loop-position'
import type { SimDevice } from '../stream-source'

export const TEST_CITY_DATA_DIR = process.env.CITY_DATA_DIR ?? new URL('../../../../shared/data', import.meta.url).pathname

export function simDevice(kind: DeviceKind, overrides: Partial<SimDevice> = {}): SimDevice {
  const first = Object.values(STREAMS[kind])[0]
  return {
    id: `${kind}-test-1`,
    kind,
    position: [11.3426, 44.4949],
    expectedIntervalS: first?.defaultIntervalS ?? 60,
    props: {},
    ...overrides,
  }
}

/** A loop of the registry: id `loop-<id_uni>`, `props.idUni`. */
export function trafficLoop(idUni: string, position: [number, number], overrides: Partial<SimDevice> = {}): SimDevice {
  return simDevice('traffic-loop', { id: `loop-${idUni}`, position, props: { idUni }, ...overrides })
}

/** An ARPAE station with the pollutants it measures in the 2024 files. */
export function airStation(station: string, pollutants: string[], overrides: Partial<SimDevice> = {}): SimDevice {
  return simDevice('air-quality', { id: `aq-${station.toLowerCase().replace(/\s+/g, '-')}`, expectedIntervalS: 3600, props: { station, pollutants }, ...overrides })
}

export const ARPAE_STATIONS: ReadonlyArray<{ station: string; pollutants: string[]; position: [number, number] }> = [
  { station: 'DE AMICIS', pollutants: ['no2', 'pm10'], position: [11.3632997, 44.4972784] },
  { station: 'GIARDINI MARGHERITA', pollutants: ['no2', 'o3', 'pm10', 'pm25'], position: [11.3526753, 44.4822118] },
  { station: 'PORTA SAN FELICE', pollutants: ['no2', 'co', 'ch4', 'pm10', 'pm25'], position: [11.3272349, 44.4992354] },
  { station: 'SAN LAZZARO', pollutants: ['no2', 'pm10'], position: [11.4048591, 44.4715668] },
  { station: 'VIA CHIARINI', pollutants: ['no2', 'o3', 'pm10'], position: [11.2862527, 44.4987196] },
]

/** Every loop of spire_anagrafica_2024.csv as the registry would hold it (a repeated id_uni gets a suffix). */
export function registryLoops(cityDataDir = TEST_CITY_DATA_DIR): SimDevice[] {
  const rows = parse(readFileSync(path.join(cityDataDir, 'bologna-opendata/spire_anagrafica_2024.csv')), {
    delimiter: ';',
    columns: true,
    bom: true,
    trim: true,
  }) as Array<Record<string, string>>
  const seen = new Map<string, number>()
  const out: SimDevice[] = []
  for (const row of rows) {
    const idUni = row.id_uni ?? ''
    const position = parseGeopoint(row.geopoint ?? '')
    if (!idUni || !position) continue
    const n = (seen.get(idUni) ?? 0) + 1
    seen.set(idUni, n)
    out.push(trafficLoop(idUni, position, { id: n === 1 ? `loop-${idUni}` : `loop-${idUni}-${n}`, props: { idUni, codiceSpira: row['codice spira'] ?? '' } }))
  }
  return out
}

/** A small mixed city: some loops (own and borrowing), every ARPAE station, and synthetic kinds. */
export function mixedCity(cityDataDir = TEST_CITY_DATA_DIR): SimDevice[] {
  const loops = registryLoops(cityDataDir)
  const pick = ['34', '166', '296', '450', '362', '614']
  return [
    ...loops.filter((l) => pick.includes(String(l.props.idUni))),
    ...ARPAE_STATIONS.map((s) => airStation(s.station, s.pollutants, { position: s.position })),
    simDevice('ztl-gate', { id: 'varco-n-78', position: [11.3488594, 44.4914149] }),
    simDevice('ztl-gate', { id: 'varco-n-3', position: [11.3387052, 44.4994318] }),
    simDevice('bike-counter', { id: 'bike-ercolani', position: [11.3571077, 44.4937814] }),
    simDevice('connectivity', { id: 'wifi-piazza-maggiore', position: [11.3426, 44.4937] }),
  ]
}
