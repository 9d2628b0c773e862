/**
 * The first records of a dataset's CSV for the portal's table preview: an RFC 4180 reader (`,`
 * separated, `"` quoted with `""` inside, CRLF or LF, line breaks inside quotes kept) that is fed
 * chunks as they arrive and stops once it has the records asked for, so a big file is never read
 * whole. Cells are shown as written: the server's CSV-injection guard (an apostrophe before a leading
 * =, +, -, @) stays, since removing it would hand the formula back to a spreadsheet.
 */

/** An incremental RFC 4180 reader: push text chunks, read `records`; it ignores anything after `max` records. */
export class CsvRecordReader {
  readonly records: string[][] = []
  private field = ''
  private fieldQuoted = false
  private record: string[] = []
  private inQuotes = false
  /** A quote seen inside a quoted field: either the first of `""` or the field's closing quote. */
  private quotePending = false
  private afterCr = false
  private started = false

  constructor(readonly max = Infinity) {}

  /** Whether `max` records are in: reading further is pointless. */
  get full(): boolean {
    return this.records.length >= this.max
  }

  push(chunk: string): void {
    let text = chunk
    if (!this.started && text.length > 0) {
      this.started = true
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    for (let i = 0; i < text.length && !this.full; i++) this.take(text[i]!)
  }

  /** The end of the input: the last record when it has no line break after it. */
  end(): void {
    if (this.full) return
    if (this.quotePending) {
      this.inQuotes = false
      this.quotePending = false
    }
    if (this.field !== '' || this.fieldQuoted || this.record.length > 0) this.endRecord()
  }

  private take(c: string): void {
    if (this.inQuotes) {
      if (this.quotePending) {
        this.quotePending = false
        if (c === '"') {
          this.field += '"'
          return
        }
        this.inQuotes = false
      } else {
        if (c === '"') this.quotePending = true
        else this.field += c
        return
      }
    }
    const afterCr = this.afterCr
    this.afterCr = false
    if (c === '"' && this.field === '' && !this.fieldQuoted) {
      this.inQuotes = true
      this.fieldQuoted = true
    } else if (c === ',') {
      this.endField()
    } else if (c === '\r') {
      this.endRecord()
      this.afterCr = true
    } else if (c === '\n') {
      if (!afterCr) this.endRecord()
    } else {
      this.field += c
    }
  }

  private endField(): void {
    this.record.push(this.field)
    this.field = ''
    this.fieldQuoted = false
  }

  private endRecord(): void {
    const blank = this.record.length === 0 && this.field === '' && !this.fieldQuoted
    this.endField()
    // A blank line is no record (RFC 4180 has none; a trailing one is common).
    if (!blank) this.records.push(this.record)
    this.record = []
  }
}

/** Reads `text` as CSV: every record, or the first `max`. */
export function parseCsv(text: string, max = Infinity): string[][] {
  const r = new CsvRecordReader(max)
  r.push(text)
  r.end()
  return r.records
}

export interface CsvHead {
  header: string[]
  rows: string[][]
  /** True when the reading stopped before the end of the file. */
  more: boolean
}

/**
 * The header and the first `rows` records of a CSV stream (UTF-8). Reading stops, and the stream is
 * cancelled, as soon as they are in.
 */
export async function readCsvHead(stream: ReadableStream<Uint8Array>, rows: number): Promise<CsvHead> {
  const reader = stream.getReader()
  const decoder = new TextDecoder('utf-8')
  const csv = new CsvRecordReader(rows + 1)
  let more = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) {
        csv.push(decoder.decode())
        csv.end()
        break
      }
      csv.push(decoder.decode(value, { stream: true }))
      if (csv.full) {
        more = true
        break
      }
    }
  } finally {
    if (more) await reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
  const [header = [], ...body] = csv.records
  return { header, rows: body, more }
}
