/**
 * Reads a dataset's CSV (docs/dashboards.md "Loading a dataset"): UTF-8, a BOM dropped, RFC 4180
 * quotes, separated by `;` or `,` — whichever splits the header line into more cells — and the first
 * line the header. Cells are kept as text (trimmed); numbers are read by the measures (./number-cell.ts).
 * Refused as a whole, naming the line: quotes that do not close, a row with more or fewer cells than
 * the header, a header naming a column twice or with an empty name, a file without data rows.
 */
import { parse } from 'csv-parse/sync'
import { sniffDelimiter } from '../../census/files/csv-reader'
import { dataInvalid, type DatasetFile, type DatasetFileRow } from './dataset-file'

interface ParsedRecord {
  record: string[]
  info: { lines: number }
}

export function readCsvDataset(text: string): DatasetFile {
  const body = text.replace(/^\uFEFF/, '')
  const delimiter = sniffDelimiter(body.slice(0, body.search(/\r?\n|$/)))
  let records: ParsedRecord[]
  try {
    records = parse(body, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as ParsedRecord[]
  } catch (err) {
    throw dataInvalid(`The CSV cannot be read (separator "${delimiter}"): ${(err as Error).message}. Check the quotes on that line: a quoted cell must end with a quote followed by the separator.`)
  }
  const head = records[0]
  if (!head) throw dataInvalid('The CSV is empty: expected a header line and one line per row.')
  const columns = head.record.map((h) => h.trim())
  const unnamed = columns.indexOf('')
  if (unnamed >= 0) throw dataInvalid(`The CSV header (line 1) has no name for column ${unnamed + 1}; name every column.`)
  const twice = columns.find((c, i) => columns.indexOf(c) !== i)
  if (twice !== undefined) throw dataInvalid(`The CSV header (line 1) names the column "${twice}" twice; every column needs its own name.`)
  if (records.length < 2) throw dataInvalid('The CSV has a header but no data rows.')
  const rows: DatasetFileRow[] = []
  for (let i = 1; i < records.length; i++) {
    const { record, info } = records[i]!
    const where = `row ${i} (line ${info.lines})`
    if (record.length !== columns.length) {
      throw dataInvalid(`The CSV's ${where} has ${record.length} cells where the header has ${columns.length} columns (separator "${delimiter}"); quote cells that contain the separator.`)
    }
    // fromEntries defines own properties: a column named __proto__ is a column like any other.
    rows.push({ row: i, where, cells: Object.fromEntries(columns.map((c, k) => [c, record[k]!.trim()])), geometry: null })
  }
  return { columns, rows }
}
