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
  | 'bologna-street-nodes'
  | 'osm-drive-edges'
  | 'osm-drive-nodes'
  | 'osm-landuse'
  | 'milan-buildings'
  | 'sumo-acosta'
  | 'sumo-pasubio'
  | 'sumo-joined'
  | 'bologna-signal-controllers'
  | 'bologna-signal-plans'

export type TargetTable =
  | 'device'
  | 'street_arc'
  | 'area'
  | 'street_node'
  | 'road_edge'
  | 'road_node'
  | 'land_use'
  | 'building'
  | 'sumo_network'
  | 'signal_controller'

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
  /** lon/lat WGS 84, or (SUMO) the network's own projection given by its <location> element. */
  sourceCrs: 'EPSG:4326' | 'SUMO <location> (UTM + netOffset)'
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

export const OSM_ATTRIBUTION = '© OpenStreetMap contributors, ODbL'
export const SUMO_ATTRIBUTION = 'Bologna SUMO scenarios © DLR / iTETRIS project contributors (github.com/DLR-TS/sumo-scenarios), EPL-2.0'
export const BUILDINGS_ATTRIBUTION = '© OpenStreetMap contributors; heights: URBAN GEO BIG DATA (PoliMi)'
const OSM_URL = 'https://www.openstreetmap.org/copyright'
const SUMO_URL = 'https://github.com/DLR-TS/sumo-scenarios'

const osm = { licence: 'ODbL 1.0', attribution: OSM_ATTRIBUTION, attributionUrl: OSM_URL, sourceCrs: 'EPSG:4326', alsoReads: [] } as const
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
  { id: 'bologna-street-nodes', title: 'Stradario — street graph nodes (Comune di Bologna)', file: `${OPEN}/stradario_nodi.geojson`, targetTables: ['street_node'], featureKind: 'street node', ...comune },
  { id: 'osm-drive-edges', title: 'OpenStreetMap drive graph — road edges (Bologna)', file: 'osm/bologna_osm_drive_edges.geojson', targetTables: ['road_edge'], featureKind: 'road edge', ...osm },
  { id: 'osm-drive-nodes', title: 'OpenStreetMap drive graph — nodes (Bologna)', file: 'osm/bologna_osm_drive_nodes.geojson', targetTables: ['road_node'], featureKind: 'road node', ...osm },
  { id: 'osm-landuse', title: 'OpenStreetMap land use (Bologna)', file: 'osm/bologna_osm_landuse.geojson', targetTables: ['land_use'], featureKind: 'land-use polygon', ...osm },
  {
    id: 'milan-buildings',
    title: 'Building footprints with LiDAR heights — Milan centre (OSM + URBAN GEO BIG DATA)',
    file: 'buildings/milan_centro_osm_footprints_lidar_height.geojson',
    alsoReads: [],
    licence: 'ODbL 1.0',
    attribution: BUILDINGS_ATTRIBUTION,
    attributionUrl: OSM_URL,
    sourceCrs: 'EPSG:4326',
    targetTables: ['building'],
    featureKind: 'building',
  },
  sumo('acosta', 'Andrea Costa'),
  sumo('pasubio', 'Pasubio'),
  sumo('joined', 'Andrea Costa + Pasubio joined'),
  {
    // One signal-controller device per tlLogic id of the imported SUMO networks (a Bologna intersection code).
    id: 'bologna-signal-controllers',
    title: 'Signal controllers — from the SUMO networks\' traffic-light programs (UTOPIA intersection codes)',
    file: 'sumo-bologna/joined/joined_tls.add.xml',
    alsoReads: [],
    licence: 'EPL-2.0',
    attribution: SUMO_ATTRIBUTION,
    attributionUrl: SUMO_URL,
    sourceCrs: 'SUMO <location> (UTM + netOffset)',
    targetTables: ['device'],
    featureKind: 'signal controller',
  },
  {
    // The signal workbench's controllers (groups, conflicts, intergreens) and plans, from the joined network's UTOPIA programs.
    id: 'bologna-signal-plans',
    title: 'Signal plans — the UTOPIA programs of the joined SUMO network, for the signal workbench',
    file: 'sumo-bologna/joined/joined_tls.add.xml',
    alsoReads: ['sumo-bologna/joined/joined_buslanes.net.xml'],
    licence: 'EPL-2.0',
    attribution: SUMO_ATTRIBUTION,
    attributionUrl: SUMO_URL,
    sourceCrs: 'SUMO <location> (UTM + netOffset)',
    targetTables: ['signal_controller'],
    featureKind: 'signal plan',
  },
]

function sumo(name: 'acosta' | 'pasubio' | 'joined', title: string): DatasetManifestEntry {
  const dir = `sumo-bologna/${name}`
  return {
    id: `sumo-${name}`,
    title: `SUMO network — ${title} (iTETRIS Bologna scenario)`,
    file: `${dir}/${name}_buslanes.net.xml`,
    alsoReads: [`${dir}/${name}_tls.add.xml`, `${dir}/${name}_detectors.add.xml`],
    licence: 'EPL-2.0',
    attribution: SUMO_ATTRIBUTION,
    attributionUrl: SUMO_URL,
    sourceCrs: 'SUMO <location> (UTM + netOffset)',
    targetTables: ['sumo_network'],
    featureKind: 'SUMO network element',
  }
}

/**
 * A dataset from a file the operator brought (`npm run import -- <kind> <path>`), read by the
 * loader of a manifest dataset. Recorded in `dataset_import` like the others (its report names the
 * kind and the loader), so the About page lists it.
 */
export interface AdHocDatasetEntry extends Omit<DatasetManifestEntry, 'id'> {
  id: string
  /** The import kind (buildings, osm-roads, sumo, …). */
  kind: string
  /** The manifest dataset whose loader reads the file. */
  loader: DatasetId
}

export type DatasetEntry = DatasetManifestEntry | AdHocDatasetEntry

const adHocDatasets = new Map<string, AdHocDatasetEntry>()

/** Makes an ad-hoc dataset known to `datasetById` in this process. */
export function registerAdHocDataset(entry: AdHocDatasetEntry): void {
  if (DATASETS.some((d) => d.id === entry.id)) throw new Error(`"${entry.id}" is a manifest dataset, not an ad-hoc one`)
  adHocDatasets.set(entry.id, entry)
}

export function datasetById(id: string): DatasetEntry | undefined {
  return DATASETS.find((d) => d.id === id) ?? adHocDatasets.get(id)
}

/** The manifest dataset whose loader reads this dataset's files. */
export function loaderOf(entry: DatasetEntry): DatasetId {
  return 'loader' in entry ? entry.loader : entry.id
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
