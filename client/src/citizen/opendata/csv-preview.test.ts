import { describe, expect, it } from 'vitest'
import { CsvRecordReader, parseCsv, readCsvHead } from './csv-preview'

/** A byte stream giving `chunks` one read at a time, counting how many were asked for. */
function chunked(chunks: string[]) {
  const enc = new TextEncoder()
  const seen = { pulls: 0, cancelled: false }
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      const next = chunks[seen.pulls++]
      if (next === undefined) c.close()
      else c.enqueue(enc.encode(next))
    },
    cancel() {
      seen.cancelled = true
    },
  })
  return { stream, seen }
}

describe('reading CSV (RFC 4180)', () => {
  it('reads plain cells, CRLF and LF line ends, and a last record without a line break', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\n4,5,6')).toEqual([['a', 'b', 'c'], ['1', '2', '3'], ['4', '5', '6']])
  })

  it('keeps commas, doubled quotes and line breaks inside quoted cells', () => {
    expect(parseCsv('name,note\r\n"Rossi, Anna","she said ""hi""\r\nthen left"\r\n')).toEqual([['name', 'note'], ['Rossi, Anna', 'she said "hi"\r\nthen left']])
  })

  it('keeps empty cells, quoted empty cells and a trailing empty cell', () => {
    expect(parseCsv('a,b,c\r\n,"",\r\n')).toEqual([['a', 'b', 'c'], ['', '', '']])
  })

  it('skips blank lines and a byte-order mark', () => {
    expect(parseCsv('\uFEFFa,b\r\n\r\n1,2\r\n\r\n')).toEqual([['a', 'b'], ['1', '2']])
  })

  it('shows the CSV-injection guard as written: the apostrophe stays', () => {
    expect(parseCsv("id,formula\r\n1,'=SUM(A1:A9)\r\n2,'@cmd\r\n3,-4.5\r\n")).toEqual([['id', 'formula'], ['1', "'=SUM(A1:A9)"], ['2', "'@cmd"], ['3', '-4.5']])
  })

  it('reads the same records whatever the chunks, even split inside a quote pair or a CRLF', () => {
    const text = 'a,b\r\n"x""y",2\r\n"multi\r\nline",3\r\n'
    for (let cut = 0; cut <= text.length; cut++) {
      const r = new CsvRecordReader()
      r.push(text.slice(0, cut))
      r.push(text.slice(cut))
      r.end()
      expect(r.records).toEqual([['a', 'b'], ['x"y', '2'], ['multi\r\nline', '3']])
    }
  })

  it('stops at the number of records asked for', () => {
    expect(parseCsv('h\r\n1\r\n2\r\n3\r\n', 3)).toEqual([['h'], ['1'], ['2']])
  })
})

describe('the head of a CSV stream', () => {
  it('returns the header and the first rows, and stops reading a big file once they are in', async () => {
    const lines = ['id,name\r\n', ...Array.from({ length: 1000 }, (_, i) => `${i},"row ${i}"\r\n`)]
    const { stream, seen } = chunked(lines)
    const head = await readCsvHead(stream, 20)
    expect(head.header).toEqual(['id', 'name'])
    expect(head.rows).toHaveLength(20)
    expect(head.rows[19]).toEqual(['19', 'row 19'])
    expect(head.more).toBe(true)
    expect(seen.pulls).toBeLessThan(30)
    expect(seen.cancelled).toBe(true)
  })

  it('reads a short file to its end, UTF-8 split across chunks included', async () => {
    const bytes = new TextEncoder().encode('città,µg/m³\r\nBologna,12.5\r\n')
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 3) c.enqueue(bytes.slice(i, i + 3))
        c.close()
      },
    })
    expect(await readCsvHead(stream, 20)).toEqual({ header: ['città', 'µg/m³'], rows: [['Bologna', '12.5']], more: false })
  })
})
