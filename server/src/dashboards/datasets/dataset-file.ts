/**
 * A loaded dataset's file as the readers give it (./csv-dataset-reader.ts, ./geojson-dataset-reader.ts),
 * whatever the format: its columns and its rows, each row numbered for the messages that name it. A
 * file that cannot be read as declared is refused as a whole (DASHBOARD_DATA_INVALID, naming the line
 * or feature): nothing of it is aggregated.
 */
import type { Geometry } from '../../census/files/uploaded-features'
import { ApiError } from '../../http/api-error'

export type { Geometry }

export interface DatasetFileRow {
  /** 1-based data row (CSV, the header not counted) or feature (GeoJSON). */
  row: number
  /** How messages name it: 'row 3 (line 4)', 'feature 3'. */
  where: string
  /** Cells by column: CSV text ('' when empty), GeoJSON property values as parsed. */
  cells: Readonly<Record<string, unknown>>
  /** GeoJSON: the feature's geometry (lon/lat, checked); null for none, and for every CSV row. */
  geometry: Geometry | null
}

export interface DatasetFile {
  /** The CSV header, or every property name of the GeoJSON's features in the order first met. */
  columns: string[]
  rows: DatasetFileRow[]
}

/** A load refused: the message names the rows, features or columns; nothing is written. */
export const dataInvalid = (message: string) => new ApiError('DASHBOARD_DATA_INVALID', message)

/** A value as messages quote it: at most 40 characters. */
export function quoteCell(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 39)}…` : s)
}
