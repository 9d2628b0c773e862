/**
 * Import kinds: `npm run import -- <kind> <path>` reads any file of a supported kind with the
 * loader of the manifest dataset of that format, so a city can bring its own files. The file
 * becomes an ad-hoc dataset `<kind>-<slug of the file name>` (or `--id`), recorded in
 * `dataset_import` with its kind and loader; re-running the same command re-imports it in place.
 *
 * A file imported without `--licence` is recorded as "licence not stated", which the About page
 * shows as is: the data is usable, and the missing licence is visible rather than invented.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Queryable } from '../../../server/src/db/adapter'
import { datasetById, DATASETS, registerAdHocDataset, type AdHocDatasetEntry, type DatasetEntry, type DatasetId } from '../manifest'
import { AREA_LAYOUTS, type AreaKind } from '../readers/areas'
import { DatasetFileError } from '../readers/read-result'
import { slugify } from '../readers/row-checks'
import { sumoSiblingNames } from '../sumo/sumo-network-loader'

export const LICENCE_NOT_STATED = 'licence not stated'

export interface DatasetKind {
  /** What the file holds, for the usage text. */
  about: string
  /** The manifest dataset whose loader reads the file (areas: decided from the file's properties). */
  loader: DatasetId | ((file: string) => DatasetId)
}

const AREA_LOADERS: Record<AreaKind, DatasetId> = {
  area_statistica: 'bologna-aree-statistiche',
  quartiere: 'bologna-quartieri',
  zona: 'bologna-zone',
  ztl: 'bologna-ztl',
}

/** The area layout whose code and name properties the file's first feature has (aree statistiche before quartieri: they carry both). */
function areaLoader(file: string): DatasetId {
  let props: Record<string, unknown> = {}
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { features?: Array<{ properties?: Record<string, unknown> | null }> }
    props = json.features?.[0]?.properties ?? {}
  } catch (err) {
    throw new DatasetFileError(`${file} is not a GeoJSON file: ${(err as Error).message}`, file)
  }
  const kind = (Object.keys(AREA_LOADERS) as AreaKind[]).find((k) => AREA_LAYOUTS[k].codeKey in props && AREA_LAYOUTS[k].nameKey in props)
  if (kind === undefined) {
    const expected = Object.values(AREA_LAYOUTS).map((l) => `${l.codeKey}+${l.nameKey}`)
    throw new DatasetFileError(`${file} is not an areas file: its features have none of the property pairs ${expected.join(', ')}.`, file)
  }
  return AREA_LOADERS[kind]
}

export const DATASET_KINDS: Readonly<Record<string, DatasetKind>> = {
  streets: { about: 'street arcs, Comune stradario GeoJSON (codarco, nomevia, …)', loader: 'bologna-streets' },
  'street-nodes': { about: 'street graph nodes, Comune stradario GeoJSON (codice)', loader: 'bologna-street-nodes' },
  areas: { about: 'quartieri, zone, aree statistiche or ZTL polygons (layout detected from the properties)', loader: areaLoader },
  loops: { about: 'traffic loop registry CSV (codice spira, id_uni, …)', loader: 'bologna-loops' },
  'ztl-gates': { about: 'ZTL camera gates CSV', loader: 'bologna-ztl-gates' },
  'bike-counters': { about: 'bicycle counters CSV', loader: 'bologna-bike-counters' },
  'osm-roads': { about: 'OSM drive graph edges, OSMnx GeoJSON (u, v, key, highway, lanes, maxspeed, …)', loader: 'osm-drive-edges' },
  'osm-nodes': { about: 'OSM drive graph nodes, OSMnx GeoJSON (osmid, highway)', loader: 'osm-drive-nodes' },
  landuse: { about: 'OSM land-use polygons GeoJSON (landuse/leisure/natural/amenity)', loader: 'osm-landuse' },
  buildings: { about: 'building footprints GeoJSON: Comune "edifici volumetrici", height_med, or OSM height/building:levels', loader: 'milan-buildings' },
  sumo: { about: 'SUMO network .net.xml (with its *_tls.add.xml / *_detectors.add.xml siblings)', loader: 'sumo-joined' },
}

export function isKind(name: string): boolean {
  return Object.hasOwn(DATASET_KINDS, name)
}

/** "Bologna Centro.net.xml" → "bologna-centro". */
export function fileSlug(file: string): string {
  const base = path.basename(file).replace(/\.(net\.xml|geojson|json|csv|xml)$/i, '')
  return slugify(base)
}

export interface AdHocOptions {
  id?: string
  licence?: string
  attribution?: string
  title?: string
}

/** Why an ad-hoc dataset id cannot be used, or null. */
export function adHocIdProblem(kind: string, id: string): string | null {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) return `dataset id "${id}" must be lowercase letters, digits and single "-"`
  if (DATASETS.some((d) => d.id === id)) return `"${id}" is a manifest dataset; import it with: npm run import -- ${id} <file>`
  if (!id.startsWith(`${kind}-`)) return `dataset id "${id}" must start with "${kind}-" (the kind tells how to read it again)`
  return null
}

/** The ad-hoc dataset for `file` of `kind` (registered, so `datasetById` knows it). Throws DatasetFileError when the file is not of the kind. */
export function adHocEntry(kind: string, file: string, opts: AdHocOptions = {}): AdHocDatasetEntry {
  const k = DATASET_KINDS[kind]
  if (!k) throw new Error(`Unknown kind "${kind}"`)
  const loader = typeof k.loader === 'function' ? k.loader(file) : k.loader
  const model = datasetById(loader)
  if (!model) throw new Error(`Kind ${kind}: loader ${loader} is not in the manifest`)
  const id = opts.id ?? `${kind}-${fileSlug(file)}`
  const problem = adHocIdProblem(kind, id)
  if (problem) throw new Error(problem)
  const licence = opts.licence?.trim() || LICENCE_NOT_STATED
  const title = opts.title?.trim() || `${path.basename(file)} — ${model.featureKind} (imported as ${kind})`
  const attribution = opts.attribution?.trim() || `Source: ${path.basename(file)}${licence === LICENCE_NOT_STATED ? ` (${LICENCE_NOT_STATED})` : ''}`
  return registeredEntry({ id, kind, loader: model.id as DatasetId, title, file, licence, attribution })
}

/** The ad-hoc entry, made known to `datasetById`; the rest of it comes from the loader's manifest dataset. */
function registeredEntry(e: Pick<AdHocDatasetEntry, 'id' | 'kind' | 'loader' | 'title' | 'file' | 'licence' | 'attribution'>): AdHocDatasetEntry {
  const model = datasetById(e.loader) as DatasetEntry
  const entry: AdHocDatasetEntry = {
    ...e,
    // A network's additional files are read with it: those found next to it are part of the checksum.
    alsoReads: e.kind === 'sumo' ? sumoSiblingNames(e.file) : [],
    attributionUrl: null,
    sourceCrs: model.sourceCrs,
    targetTables: model.targetTables,
    featureKind: model.featureKind,
  }
  registerAdHocDataset(entry)
  return entry
}

/**
 * An ad-hoc dataset recorded by an earlier import, from its `dataset_import` row (report.kind and
 * report.loader), with the file it was read from; null when the id is not one.
 */
export async function recordedAdHocDataset(q: Queryable, id: string): Promise<AdHocDatasetEntry | null> {
  const r = await q.query<{ title: string; licence: string; attribution: string; source: string; kind: string | null; loader: string | null }>(
    `SELECT title, licence, attribution, source, report->>'kind' AS kind, report->>'loader' AS loader FROM dataset_import WHERE dataset_id = $1`,
    [id],
  )
  const row = r.rows[0]
  const model = row?.loader ? datasetById(row.loader) : undefined
  if (!row || !row.kind || !model || !isKind(row.kind)) return null
  return registeredEntry({ id, kind: row.kind, loader: model.id as DatasetId, title: row.title, file: row.source, licence: row.licence, attribution: row.attribution })
}

/** The --crs an ad-hoc dataset was last imported with (report.sourceCrsFrom = 'option'), or null. */
export async function recordedCrsOption(q: Queryable, id: string): Promise<string | null> {
  const r = await q.query<{ crs: string | null }>(
    `SELECT report->>'sourceCrs' AS crs FROM dataset_import WHERE dataset_id = $1 AND report->>'sourceCrsFrom' = 'option'`,
    [id],
  )
  return r.rows[0]?.crs ?? null
}
