/**
 * What a dataset of the open-data catalogue is (docs/opendata.md "Datasets"): its DCAT-AP_IT metadata,
 * the columns it publishes (each one declared, described and typed — the privacy guard refuses any
 * other), and how its rows are read from the twin. A definition is code, reviewed like code; what a
 * refresh produced from it is stored in opendata_dataset / opendata_file.
 */
import type { DatasetColumn, DataTheme, Frequency, LicenceKey, OpenDataset } from '../../../../contracts/opendata-api'
import type { DeviceKind } from '../../../../contracts/schemas/device'
import type { Queryable } from '../../db/adapter'
import type { Geometry } from '../../census/files/uploaded-features'

export type CellValue = string | number | boolean | null

export interface DatasetRow {
  properties: Record<string, CellValue>
  /** lon/lat EPSG:4326; null for a table without geometry. */
  geometry: Geometry | null
}

export interface DatasetRead {
  rows: DatasetRow[]
  /** The period the rows cover (dct:temporal); null when they are a state, not a history. */
  temporal: { startMs: number; endMs: number } | null
}

export interface ReadContext {
  nowMs: number
  /** Days of hourly history a file holds (OPENDATA_HISTORY_DAYS). */
  historyDays: number
}

const col = (name: string, type: DatasetColumn['type'], en: string, it: string, unit: string | null = null): DatasetColumn => ({ name, type, description: { en, it }, unit })
export { col }

export interface DatasetDefinition {
  id: string
  title: { it: string; en: string }
  description: { it: string; en: string }
  keywords: string[]
  themes: DataTheme[]
  frequency: Frequency
  licence: LicenceKey
  /** The credits the sources' licences ask for (shown in the portal and written as dct:source notes). */
  sources: string[]
  geometry: OpenDataset['geometry']
  columns: DatasetColumn[]
  /** The OGC API Features collection serving the same data live, when there is one. */
  ogcCollection?: string
  read(q: Queryable, ctx: ReadContext): Promise<DatasetRead>
}

export const SOURCE_COMUNE = 'Fonte: Comune di Bologna – opendata.comune.bologna.it, CC BY 4.0'
export const SOURCE_ARPAE = 'Fonte: ARPAE Emilia-Romagna, CC BY 4.0'
export const SOURCE_TWIN = 'Gemello, gemello digitale del Comune di Bologna (misure dei dispositivi in campo)'

/** The hour window a history dataset covers: the last `historyDays` whole hours up to the current hour. */
export function historyWindow(ctx: ReadContext): { fromMs: number; toMs: number } {
  const toMs = Math.floor(ctx.nowMs / 3_600_000) * 3_600_000
  return { fromMs: toMs - ctx.historyDays * 86_400_000, toMs }
}

export const isoHour = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** The temporal coverage of rows keyed by an hour start: [first hour, last hour + 1 h); null without rows. */
export function hoursCovered(hoursMs: readonly number[]): DatasetRead['temporal'] {
  if (hoursMs.length === 0) return null
  let min = Infinity
  let max = -Infinity
  for (const h of hoursMs) {
    if (h < min) min = h
    if (h > max) max = h
  }
  return { startMs: min, endMs: max + 3_600_000 }
}

/** The hour column of every hourly dataset. */
export const HOUR_START = col('hour_start', 'datetime', 'Start of the hour, UTC', 'Inizio dell’ora, UTC')

export interface PublishedDevice {
  id: string
  kind: DeviceKind
  name: string
  lon: number
  lat: number
  dataset: string | null
}

/** The city's devices of these kinds, by kind and id: generated ones (the demo district, synthetic devices) are not the city's data. */
export async function publishedDevices(q: Queryable, kinds: readonly DeviceKind[]): Promise<PublishedDevice[]> {
  const r = await q.query<PublishedDevice>(
    `SELECT id, kind, name, ST_X(geom)::float8 AS lon, ST_Y(geom)::float8 AS lat, dataset
     FROM device WHERE kind = ANY($1::text[]) AND source <> 'generated' ORDER BY kind, id`,
    [kinds],
  )
  return r.rows.map((d) => ({ ...d, lon: Number(d.lon), lat: Number(d.lat) }))
}
