/**
 * What every reader returns: typed records plus the rows it refused or noted, with the reason.
 * Readers are pure (files in, values out): no database, no logging.
 */
import type { SourceCrsUsed } from './source-crs'

/** One problem with one row. `row` is the line number in a CSV file (header = line 1) or the 1-based feature number in a GeoJSON file. */
export interface RowProblem {
  row: number
  id?: string
  problem: string
}

export interface ReadResult<T> {
  records: T[]
  /** Every problem found, for rejected and for kept rows (the message says which). */
  problems: RowProblem[]
  /** Data rows (or features) in the file. */
  rows: number
  /** Rows not turned into a record. */
  rejected: number
  /** GeoJSON readers: the CRS the file was read in ('EPSG:3003') and where that came from. */
  sourceCrs?: SourceCrsUsed
}

/** The file as a whole cannot be used (missing, unreadable, wrong columns, not GeoJSON): nothing of it is imported. */
export class DatasetFileError extends Error {
  constructor(
    message: string,
    public readonly file: string,
  ) {
    super(message)
    this.name = 'DatasetFileError'
  }
}

/** Collects problems and counts rejected rows while a reader walks a file. */
export class ProblemLog {
  readonly problems: RowProblem[] = []
  private readonly rejectedRows = new Set<number>()

  /** The row is not imported. */
  reject(row: number, id: string | undefined, problem: string): void {
    this.problems.push(id === undefined ? { row, problem: `rejected: ${problem}` } : { row, id, problem: `rejected: ${problem}` })
    this.rejectedRows.add(row)
  }

  /** The row is imported; the note says what was odd and what was done about it. */
  note(row: number, id: string | undefined, problem: string): void {
    this.problems.push(id === undefined ? { row, problem: `kept: ${problem}` } : { row, id, problem: `kept: ${problem}` })
  }

  isRejected(row: number): boolean {
    return this.rejectedRows.has(row)
  }

  get rejected(): number {
    return this.rejectedRows.size
  }

  /** The records and the problems in file order (a reader may check a row in several passes). */
  result<T>(records: T[], rows: number): ReadResult<T> {
    // Array sort is stable: a row's problems keep the order they were found in.
    return { records, problems: [...this.problems].sort((a, b) => a.row - b.row), rows, rejected: this.rejectedRows.size }
  }
}
