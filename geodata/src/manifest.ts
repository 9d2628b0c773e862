/**
 * The dataset manifest: every dataset Gemello imports for a city, where its file lives (relative
 * to the city data directory), its licence and the attribution the product must show, exactly as
 * the data bundle's README states them. The checksum is not declared here: it is the sha256 of
 * the file, computed at import and recorded in `dataset_import`.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

export type DatasetId =
  | 'bologna-loops'
  | 'bologna-ztl-gates'
  | 'bologna-bike-counters'
  | 'arpae-stations'
  | 'bologna-streets'
  | 'bologna-quartieri'
  | 'bologna-zone'
  | 'bologna-aree-statistiche'
  | 'bologna-ztl'
  | 'generated-connectivity'

export type TargetTable = 'device' | 'street_arc' | 'area'

export interface DatasetManifestEntry {
  id: DatasetId
  title: string
  /** Relative to the city data directory. */
  file: string
  /** Other files the import reads; they are part of the checksum. Relative to the city data directory. */
  alsoReads: readonly string[]
  licence: string
  /** Shown by the product (About / data sources), verbatim. */
  attribution: string
  attributionUrl: string | null
  /** Every source here is lon/lat WGS 84. */
  sourceCrs: 'EPSG:4326'
  targetTables: readonly TargetTable[]
  /** What one imported row is. */
  featureKind: string
}

export const COMUNE_ATTRIBUTION = 'Fonte: Comune di Bologna – opendata.comune.bologna.it, CC BY 4.0'
export const ARPAE_ATTRIBUTION = 'Fonte: ARPAE Emilia-Romagna'
const COMUNE_URL = 'https://opendata.comune.bologna.it'
const ARPAE_URL = 'https://www.arpae.it'
const OPEN = 'bologna-opendata'
const ARPAE_DIR = `${OPEN}/arpae_qualita_aria_2024`

/** Series files whose header lines decide each station's `pollutants`. */
export const ARPAE_SERIES_FILES = ['CO_hourly.csv', 'NO2_hourly.csv', 'Ozone_hourly.csv', 'PM10_daily.csv', 'PM25_daily.csv', 'methane_hourly.csv'].map(
  (f) => `${ARPAE_DIR}/${f}`,
)

const comune = { licence: 'CC BY 4.0', attribution: COMUNE_ATTRIBUTION, attributionUrl: COMUNE_URL, sourceCrs: 'EPSG:4326', alsoReads: [] } as const

/** In import order: the gates come before the connectivity devices generated from them. */
export const DATASETS: readonly DatasetManifestEntry[] = [
  { id: 'bologna-streets', title: 'Stradario — street graph arcs (Comune di Bologna)', file: `${OPEN}/stradario_archi.geojson`, targetTables: ['street_arc'], featureKind: 'street arc', ...comune },
  { id: 'bologna-quartieri', title: 'Quartieri — city districts (Comune di Bologna)', file: `${OPEN}/quartieri.geojson`, targetTables: ['area'], featureKind: 'quartiere', ...comune },
  { id: 'bologna-zone', title: 'Zone — city zones (Comune di Bologna)', file: `${OPEN}/zone.geojson`, targetTables: ['area'], featureKind: 'zona', ...comune },
  { id: 'bologna-aree-statistiche', title: 'Aree statistiche — statistical areas (Comune di Bologna)', file: `${OPEN}/aree_statistiche.geojson`, targetTables: ['area'], featureKind: 'area statistica', ...comune },
  { id: 'bologna-ztl', title: 'ZTL — limited-traffic zones (Comune di Bologna)', file: `${OPEN}/ztl_zona_traffico_limitato.geojson`, targetTables: ['area'], featureKind: 'ZTL polygon', ...comune },
  { id: 'bologna-loops', title: 'Spire — traffic loop registry 2024 (Comune di Bologna)', file: `${OPEN}/spire_anagrafica_2024.csv`, targetTables: ['device'], featureKind: 'traffic loop', ...comune },
  { id: 'bologna-ztl-gates', title: 'Varchi ZTL — ZTL camera gates (Comune di Bologna)', file: `${OPEN}/varchi_ztl_telecamere.csv`, targetTables: ['device'], featureKind: 'ZTL gate', ...comune },
  { id: 'bologna-bike-counters', title: 'Contabici — bicycle counters (Comune di Bologna)', file: `${OPEN}/contabici_colonnine.csv`, targetTables: ['device'], featureKind: 'bike counter', ...comune },
  {
    id: 'arpae-stations',
    title: 'Air-quality stations 2024 (ARPAE Emilia-Romagna)',
    file: `${ARPAE_DIR}/stazioni.geojson`,
    alsoReads: ARPAE_SERIES_FILES,
    licence: 'CC BY 4.0',
    attribution: ARPAE_ATTRIBUTION,
    attributionUrl: ARPAE_URL,
    sourceCrs: 'EPSG:4326',
    targetTables: ['device'],
    featureKind: 'air-quality station',
  },
  {
    id: 'generated-connectivity',
    title: 'Connectivity devices — generated, one field router per ZTL gate (not real data)',
    // Positions derive from the gate registry, so its licence and attribution carry over.
    file: `${OPEN}/varchi_ztl_telecamere.csv`,
    targetTables: ['device'],
    featureKind: 'connectivity device',
    ...comune,
  },
]

export function datasetById(id: string): DatasetManifestEntry | undefined {
  return DATASETS.find((d) => d.id === id)
}

/** Files that must all exist for the city to count as present (the real-data mode). */
export function requiredFiles(): string[] {
  return [...new Set(DATASETS.flatMap((d) => [d.file, ...d.alsoReads]))]
}

/** Required files missing under `cityDataDir` (all of them when the directory does not exist). */
export function missingFiles(cityDataDir: string): string[] {
  return requiredFiles().filter((f) => !existsSync(path.join(cityDataDir, f)))
}

/**
 * sha256 of the file, hex. With related files, the sha256 of the lines "<sha256>  <name>" of all
 * of them (main file first), so a change in any one is a change of the dataset.
 */
export function fileChecksum(file: string, related: readonly string[] = []): string {
  const one = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex')
  if (related.length === 0) return one(file)
  const lines = [file, ...related].map((f) => `${one(f)}  ${path.basename(f)}`)
  return createHash('sha256').update(lines.join('\n')).digest('hex')
}
