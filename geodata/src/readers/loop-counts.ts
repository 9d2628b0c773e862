/**
 * Reads real hourly vehicle counts (`spire_conteggi_2024-01_04_costa_pasubio.csv`): one row per
 * loop and day, 24 hourly columns. Returns, per loop (keyed by id_uni, with its codice spira),
 * each day's 24 counts. Days and hours are local Bologna time as written in the file
 * ("00:00-01:00" is index 0); on the DST days the file still has 24 columns.
 *
 * The file's `longitudine`/`latitudine` are corrupted by thousands separators; positions come
 * from `geopoint` and the corruption is reported once per loop.
 */
import type { LonLat } from '../../../contracts/schemas/device'
import { readCsvTable, type CsvRow } from './csv-table'
import { pickPerIdUni } from './loop-registry'
import { loopPosition } from './loop-position'
import { ProblemLog, type ReadResult } from './read-result'
import { BOLOGNA_ENVELOPE, parseDecimal, type Envelope } from './row-checks'

export interface LoopDayCounts {
  /** Local day, YYYY-MM-DD. */
  date: string
  /** ISO weekday of `date`: 1 = Monday … 7 = Sunday. */
  isoWeekday: number
  /** Vehicles per local hour, index 0 = 00:00–01:00. */
  counts: number[]
  total: number
}

export interface LoopCountSeries {
  idUni: string
  /** The device this series belongs to: `loop-<id_uni>`. */
  deviceId: string
  codiceSpira: string
  street: string
  /** From geopoint; null when no row of this loop had a usable one. */
  position: LonLat | null
  /** Sorted by date. */
  days: LoopDayCounts[]
}

export interface LoopCountsResult extends ReadResult<LoopCountSeries> {
  byIdUni: Map<string, LoopCountSeries>
  /** Rows whose longitudine/latitudine were not plain numbers (all of them, in the 2024 export). */
  corruptedLonLatRows: number
}

export const HOUR_COLUMNS: readonly string[] = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00-${String(h + 1).padStart(2, '0')}:00`)

const COLUMNS = ['data', 'codice_spira', ...HOUR_COLUMNS, 'id_uni', 'Livello', 'Nome via', 'longitudine', 'latitudine', 'geopoint'] as const
const WEEKDAYS_IT = ['domenica', 'lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato']

/** "01/02/2024" (dd/mm/yyyy) → "2024-02-01"; null when not a real date. */
export function parseItalianDate(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim())
  if (!m) return null
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const t = new Date(Date.UTC(y, mo - 1, d))
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null
  return t.toISOString().slice(0, 10)
}

interface CountRow {
  line: number
  idUni: string
  codiceSpira: string
  livello: number | null
  street: string
  day: LoopDayCounts
  position: LonLat | null
}

export function readLoopCounts(file: string, opts: { envelope?: Envelope } = {}): LoopCountsResult {
  const env = opts.envelope ?? BOLOGNA_ENVELOPE
  const table = readCsvTable(file, COLUMNS)
  const log = new ProblemLog()
  for (const r of table.refused) log.reject(r.line, undefined, r.reason)

  let corruptedLonLatRows = 0
  const corruptionNoted = new Set<string>()
  const rows: CountRow[] = []
  for (const row of table.rows) {
    const r = toCountRow(row, env, log)
    if (!r) continue
    if (r.corruptionNote) {
      corruptedLonLatRows++
      if (!corruptionNoted.has(r.row.idUni)) {
        corruptionNoted.add(r.row.idUni)
        log.note(row.line, r.row.idUni, `${r.corruptionNote} (reported on the first row of each loop)`)
      }
    }
    for (const n of r.notes) log.note(row.line, r.row.idUni, n)
    rows.push(r.row)
  }

  // One codice spira per id_uni, chosen as in the registry (lowest Livello, then first row).
  const firstLineOfCode = new Map<string, CountRow>()
  for (const r of rows) if (!firstLineOfCode.has(`${r.idUni}\u0000${r.codiceSpira}`)) firstLineOfCode.set(`${r.idUni}\u0000${r.codiceSpira}`, r)
  const chosenLine = pickPerIdUni([...firstLineOfCode.values()].map((r) => ({ line: r.line, idUni: r.idUni, livello: r.livello })))
  const chosenCode = new Map([...firstLineOfCode.values()].filter((r) => chosenLine.get(r.idUni) === r.line).map((r) => [r.idUni, r.codiceSpira]))

  const byIdUni = new Map<string, LoopCountSeries>()
  const seenDay = new Map<string, number>()
  for (const r of rows) {
    const code = chosenCode.get(r.idUni) as string
    if (r.codiceSpira !== code) {
      log.reject(r.line, r.idUni, `id_uni ${r.idUni} is loop "${code}"; counts of codice spira "${r.codiceSpira}" under the same id_uni are not merged into it`)
      continue
    }
    const dayKey = `${r.idUni}\u0000${r.day.date}`
    const earlier = seenDay.get(dayKey)
    if (earlier !== undefined) {
      log.reject(r.line, r.idUni, `second row for loop ${r.idUni} on ${r.day.date} (first at line ${earlier})`)
      continue
    }
    seenDay.set(dayKey, r.line)
    let s = byIdUni.get(r.idUni)
    if (!s) {
      s = { idUni: r.idUni, deviceId: `loop-${r.idUni}`, codiceSpira: r.codiceSpira, street: r.street, position: r.position, days: [] }
      byIdUni.set(r.idUni, s)
    }
    if (!s.position && r.position) s.position = r.position
    s.days.push(r.day)
  }
  for (const s of byIdUni.values()) s.days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  const records = [...byIdUni.values()]
  return { ...log.result(records, table.dataRows), byIdUni, corruptedLonLatRows }
}

function toCountRow(row: CsvRow, env: Envelope, log: ProblemLog): { row: CountRow; corruptionNote: string | null; notes: string[] } | null {
  const idUni = row.get('id_uni')
  const codiceSpira = row.get('codice_spira')
  if (idUni === '' || codiceSpira === '') {
    log.reject(row.line, idUni || undefined, idUni === '' ? 'no id_uni' : 'no codice_spira')
    return null
  }
  const date = parseItalianDate(row.get('data'))
  if (!date) {
    log.reject(row.line, idUni, `"${row.get('data')}" is not a date (dd/mm/yyyy)`)
    return null
  }
  const counts: number[] = []
  for (const col of HOUR_COLUMNS) {
    const text = row.get(col)
    if (!/^\d+$/.test(text)) {
      log.reject(row.line, idUni, `count ${col} is ${text === '' ? 'empty' : `"${text}"`}, not a whole number of vehicles`)
      return null
    }
    counts.push(Number(text))
  }
  const isoWeekday = ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1
  const notes: string[] = []
  const weekdayText = row.has('giorno settimana') ? row.get('giorno settimana') : ''
  const weekday = WEEKDAYS_IT[isoWeekday % 7] ?? ''
  if (weekdayText !== '' && weekdayText.toLowerCase() !== weekday) {
    notes.push(`"giorno settimana" says ${weekdayText} but ${date} is a ${weekday}; the date is used`)
  }
  const pos = loopPosition(row.get('longitudine'), row.get('latitudine'), row.get('geopoint'), env)
  const corruptionNote = pos.columnsCorrupted && pos.note ? pos.note : null
  if (pos.note && !corruptionNote) notes.push(pos.note)
  if (!pos.position) notes.push(`${pos.problem}; the counts are kept without a position`)
  const livelloText = row.get('Livello')
  const livello = Number.isFinite(parseDecimal(livelloText)) ? parseDecimal(livelloText) : null
  return {
    row: { line: row.line, idUni, codiceSpira, livello, street: row.get('Nome via'), position: pos.position, day: { date, isoWeekday, counts, total: counts.reduce((a, b) => a + b, 0) } },
    corruptionNote,
    notes,
  }
}
