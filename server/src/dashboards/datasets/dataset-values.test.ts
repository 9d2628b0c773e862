import { describe, expect, it } from 'vitest'
import type { DatasetLoad } from '../../../../contracts/theme-dashboard-api'
import { ApiError } from '../../http/api-error'
import { readCsvDataset } from './csv-dataset-reader'
import { areaKey } from './dataset-placement'
import { checkDefinition, MAX_CATEGORIES, readValues } from './dataset-values'

const count = { id: 'n', label: { it: 'N', en: 'N' }, agg: 'count', unit: null, format: 'integer', higherIsWorse: false } as const
const load = (o: Partial<DatasetLoad> = {}): DatasetLoad => ({
  id: 'prova',
  title: { it: 'Prova', en: 'Test' },
  description: { it: 'Prova', en: 'Test' },
  source: { title: 'Prova', licence: 'CC BY 4.0', attribution: 'Comune', url: null },
  format: 'csv',
  content: '',
  area: { by: 'column', column: 'quartiere', level: 'quartiere' },
  categoryColumn: null,
  measures: [count],
  ...o,
})
const refusal = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    if (err instanceof ApiError && err.code === 'DASHBOARD_DATA_INVALID') return err.message
    throw err
  }
  throw new Error('not refused')
}

describe('checkDefinition', () => {
  it('reserves the measure id "rows" and refuses a measure id used twice', () => {
    const f = readCsvDataset('quartiere\nNavile\n')
    expect(refusal(() => checkDefinition(load({ measures: [{ ...count, id: 'rows' }] }), f))).toContain('"rows" is reserved')
    expect(refusal(() => checkDefinition(load({ measures: [count, count] }), f))).toContain('Two measures have the id "n"')
  })

  it('refuses a sum or mean without a column, and a CSV placed by point without lon/lat columns', () => {
    const f = readCsvDataset('quartiere,x\nNavile,1\n')
    expect(refusal(() => checkDefinition(load({ measures: [{ ...count, agg: 'sum' }] }), f))).toContain('names no column')
    expect(refusal(() => checkDefinition(load({ area: { by: 'point' } }), f))).toContain('area.lonColumn and area.latColumn')
  })

  it('refuses a deny-listed area column', () => {
    const f = readCsvDataset('email\nx\n')
    expect(refusal(() => checkDefinition(load({ area: { by: 'column', column: 'email', level: 'quartiere' } }), f))).toContain('deny list')
  })
})

describe('readValues', () => {
  it('counts the rows, or with a column its non-empty cells; empty sum cells are no value', () => {
    const f = readCsvDataset('quartiere;addetti;sede\nNavile;3;x\nSavena;;\n')
    const v = readValues(load({ measures: [count, { ...count, id: 'sedi', column: 'sede' }, { ...count, id: 'addetti', agg: 'sum', column: 'addetti' }] }), f)
    expect(v.measures.map((m) => [...m])).toEqual([[1, 1], [1, NaN], [3, NaN]])
  })

  it('names the first rows of a sum column that are not numbers, and how many there are', () => {
    const lines = ['quartiere;addetti', 'Navile;1', ...Array.from({ length: 7 }, (_, i) => `Savena;n.d.${i}`)]
    const message = refusal(() => readValues(load({ measures: [{ ...count, agg: 'sum', column: 'addetti' }] }), readCsvDataset(lines.join('\n'))))
    expect(message).toContain('7 cells that are not a number')
    expect(message).toContain('row 2 (line 3): "n.d.0"')
    expect(message).not.toContain('n.d.6')
  })

  it(`refuses more than ${MAX_CATEGORIES} categories, naming how many`, () => {
    const f = readCsvDataset(['quartiere;tipo', ...Array.from({ length: 41 }, (_, i) => `Navile;t${i}`)].join('\n'))
    expect(refusal(() => readValues(load({ categoryColumn: 'tipo' }), f))).toContain('41 different values')
    expect(readValues(load({ categoryColumn: 'tipo' }), readCsvDataset('quartiere;tipo\nNavile;a\nSavena;\nNavile;a\n')).categoryKeys).toEqual(['a', ''])
  })

  it('refuses a category value that looks like an e-mail address, naming the row', () => {
    const f = readCsvDataset('quartiere;tipo\nNavile;bar\nSavena;mario.rossi@example.it\n')
    expect(refusal(() => readValues(load({ categoryColumn: 'tipo' }), f))).toMatch(/row 2, column tipo .*e-mail/)
  })
})

describe('areaKey', () => {
  it('matches names whatever their case, accents, spaces and punctuation, and codes without leading zeros', () => {
    expect(new Set(['Santo Stefano', 'SANTO STEFANO', ' santo-stefano ', 'Sànto  Stéfano'].map(areaKey)).size).toBe(1)
    expect(areaKey('San Donato-San Vitale')).toBe(areaKey('San Donato - San Vitale'))
    expect(areaKey('007')).toBe('7')
    expect(areaKey('0')).toBe('0')
  })
})
