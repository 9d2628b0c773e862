/** Reads the bicycle counters (`contabici_colonnine.csv`, `,`-separated). */
import type { LonLat } from '../../../contracts/schemas/device'
import { readCsvTable } from './csv-table'
import { ProblemLog, type ReadResult } from './read-result'
import { BOLOGNA_ENVELOPE, checkLonLat, slugify, tidyNumberText, type Envelope } from './row-checks'

/** Props of a bike-counter device. Other modules rely on these exact keys. */
export interface BikeCounterProps {
  colonnina: string
  quartiere: string
  zona: string
  via: string
  /** House number as text ("93"; the file writes "93.0"). */
  civico: string
}

export interface BikeCounterRecord {
  row: number
  /** `bike-<slug of colonnina>`: "Laura_Bassi" → `bike-laura-bassi`. */
  deviceId: string
  name: string
  position: LonLat
  props: BikeCounterProps
}

const COLUMNS = ['colonnina', 'lon', 'lat', 'quartiere', 'zona', 'via', 'civico'] as const

/** "Laura_Bassi" on "VIA GIUSEPPE MAZZINI" → "Laura Bassi (VIA GIUSEPPE MAZZINI)". */
export function bikeCounterName(colonnina: string, via: string): string {
  const label = colonnina.replace(/_/g, ' ')
  return via === '' ? label : `${label} (${via})`
}

export function readBikeCounters(file: string, opts: { envelope?: Envelope } = {}): ReadResult<BikeCounterRecord> {
  const env = opts.envelope ?? BOLOGNA_ENVELOPE
  const table = readCsvTable(file, COLUMNS)
  const log = new ProblemLog()
  for (const r of table.refused) log.reject(r.line, undefined, r.reason)
  const records: BikeCounterRecord[] = []
  const seen = new Map<string, { line: number; colonnina: string }>()
  for (const row of table.rows) {
    const colonnina = row.get('colonnina')
    const slug = slugify(colonnina)
    if (colonnina === '' || slug === '') {
      log.reject(row.line, colonnina || undefined, 'no counter name ("colonnina")')
      continue
    }
    const deviceId = `bike-${slug}`.slice(0, 80)
    const earlier = seen.get(deviceId)
    if (earlier) {
      log.reject(row.line, colonnina, `its id ${deviceId} is already taken by "${earlier.colonnina}" (line ${earlier.line})`)
      continue
    }
    seen.set(deviceId, { line: row.line, colonnina })
    const pos = checkLonLat(row.get('lon'), row.get('lat'), env)
    if ('problem' in pos) {
      log.reject(row.line, colonnina, pos.problem)
      continue
    }
    const via = row.get('via')
    records.push({
      row: row.line,
      deviceId,
      name: bikeCounterName(colonnina, via),
      position: pos.position,
      props: { colonnina, quartiere: row.get('quartiere'), zona: row.get('zona'), via, civico: tidyNumberText(row.get('civico')) },
    })
  }
  return log.result(records, table.dataRows)
}
