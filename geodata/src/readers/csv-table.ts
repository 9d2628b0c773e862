/**
 * Reads a delimited text file into rows of named cells. The separator is taken from the header
 * line (the Comune writes `;`, a few files use `,`), so a city can bring its own export as is.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { DatasetFileError } from './read-result'
import { hasNul } from './row-checks'

export interface CsvRow {
  /** Line number in the file (the header is line 1). */
  line: number
  /** The cell of a column, trimmed; '' when empty. */
  get(column: string): string
  /** Whether the file has this (optional) column. */
  has(column: string): boolean
}

export interface CsvTable {
  file: string
  delimiter: string
  header: string[]
  rows: CsvRow[]
  /** Lines that cannot be rows (wrong number of cells, NUL): the reader refuses them. */
  refused: Array<{ line: number; reason: string }>
  /** Data rows in the file, including refused ones. */
  dataRows: number
}

const CANDIDATES = [';', ',', '\t'] as const

/** The candidate separator that splits the header line into the most cells (quotes respected). */
export function sniffDelimiter(headerLine: string): string {
  let best: string = ','
  let bestCount = 0
  for (const d of CANDIDATES) {
    let inQuotes = false
    let count = 0
    for (const ch of headerLine) {
      if (ch === '"') inQuotes = !inQuotes
      else if (ch === d && !inQuotes) count++
    }
    if (count > bestCount) {
      best = d
      bestCount = count
    }
  }
  return best
}

export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const why = e.code === 'ENOENT' ? 'the file does not exist' : e.code === 'EISDIR' ? 'it is a directory' : (e.message ?? String(err))
    throw new DatasetFileError(`Cannot read ${file}: ${why}.`, file)
  }
}

/**
 * Parses a CSV file. Missing required columns, or a file that is not CSV at all, throw a
 * DatasetFileError; a row with the wrong number of cells is refused and reported.
 */
export function readCsvTable(file: string, requiredColumns: readonly string[]): CsvTable {
  const text = readTextFile(file).replace(/^\uFEFF/, '')
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  const delimiter = sniffDelimiter(firstLine)
  let parsed: Array<{ record: string[]; info: { lines: number } }>
  try {
    parsed = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof parsed
  } catch (err) {
    throw new DatasetFileError(`Cannot parse ${file} as CSV (separator "${delimiter}"): ${(err as Error).message}`, file)
  }
  const head = parsed[0]
  if (!head) throw new DatasetFileError(`${file} is empty: expected a header line with ${requiredColumns.join(', ')}.`, file)
  const header = head.record.map((h) => h.trim())
  const missing = requiredColumns.filter((c) => !header.includes(c))
  if (missing.length > 0) {
    throw new DatasetFileError(
      `${file} lacks the column(s) ${missing.map((m) => `"${m}"`).join(', ')} (separator "${delimiter}"; found: ${header.join(', ')}).`,
      file,
    )
  }
  const index = new Map(header.map((h, i) => [h, i]))
  const rows: CsvRow[] = []
  const refused: CsvTable['refused'] = []
  for (const { record, info } of parsed.slice(1)) {
    if (record.length !== header.length) {
      refused.push({ line: info.lines, reason: `${record.length} cells where the header has ${header.length}` })
      continue
    }
    const cells = record.map((c) => c.trim())
    if (cells.some(hasNul)) {
      refused.push({ line: info.lines, reason: 'a cell contains a NUL character (binary or damaged file)' })
      continue
    }
    rows.push({
      line: info.lines,
      get: (column: string) => {
        const i = index.get(column)
        if (i === undefined) throw new Error(`Column "${column}" is not in the header of ${file}; list it in requiredColumns`)
        return cells[i] ?? ''
      },
      has: (column: string) => index.has(column),
    })
  }
  return { file, delimiter, header, rows, refused, dataRows: parsed.length - 1 }
}
