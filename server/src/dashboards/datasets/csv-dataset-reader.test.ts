import { describe, expect, it } from 'vitest'
import { ApiError } from '../../http/api-error'
import { readCsvDataset } from './csv-dataset-reader'

const refusal = (text: string): ApiError => {
  try {
    readCsvDataset(text)
  } catch (err) {
    if (err instanceof ApiError) return err
    throw err
  }
  throw new Error('the CSV was read')
}

describe('readCsvDataset', () => {
  it('reads a comma-separated file with RFC 4180 quotes: separators, quotes and line breaks inside cells', () => {
    const f = readCsvDataset('nome,quartiere,addetti\n"Bar ""Centrale"", snc","Santo Stefano",12\n"Forno\nBianchi",Navile,3\n')
    expect(f.columns).toEqual(['nome', 'quartiere', 'addetti'])
    expect(f.rows.map((r) => r.cells)).toEqual([
      { nome: 'Bar "Centrale", snc', quartiere: 'Santo Stefano', addetti: '12' },
      { nome: 'Forno\nBianchi', quartiere: 'Navile', addetti: '3' },
    ])
    expect(f.rows.map((r) => r.row)).toEqual([1, 2])
  })

  it('takes the separator from the header: a semicolon file keeps decimal commas inside its cells', () => {
    const f = readCsvDataset('quartiere;importo\nSavena;1.234,5\nNavile;12,5\n')
    expect(f.columns).toEqual(['quartiere', 'importo'])
    expect(f.rows.map((r) => r.cells.importo)).toEqual(['1.234,5', '12,5'])
  })

  it('drops a byte-order mark, so the first column keeps its plain name', () => {
    const f = readCsvDataset('\uFEFFquartiere;n\r\nSavena;1\r\n')
    expect(f.columns).toEqual(['quartiere', 'n'])
    expect(f.rows[0]!.cells.quartiere).toBe('Savena')
  })

  it('skips blank lines and trims cells, and names rows by their line in the file', () => {
    const f = readCsvDataset('a;b\n\n 1 ; x \n\n2;y\n')
    expect(f.rows.map((r) => [r.cells.a, r.cells.b])).toEqual([['1', 'x'], ['2', 'y']])
    expect(f.rows[1]!.where).toBe('row 2 (line 5)')
  })

  it('refuses a row with more cells than the header, naming its row and line', () => {
    const e = refusal('quartiere,importo\nNavile,10\nSavena,1,5\n')
    expect(e.code).toBe('DASHBOARD_DATA_INVALID')
    expect(e.message).toContain('row 2 (line 3) has 3 cells where the header has 2 columns')
  })

  it('refuses a quote that does not close properly, naming the line', () => {
    const e = refusal('a,b\n1,"x"y\n')
    expect(e.code).toBe('DASHBOARD_DATA_INVALID')
    expect(e.message).toMatch(/line 2/)
  })

  it('refuses a header that names a column twice or leaves one unnamed, and a file without rows', () => {
    expect(refusal('a,b,a\n1,2,3\n').message).toContain('"a" twice')
    expect(refusal('a,,c\n1,2,3\n').message).toContain('no name for column 2')
    expect(refusal('a,b\n').message).toContain('no data rows')
    expect(refusal('\n').message).toContain('empty')
  })
})
