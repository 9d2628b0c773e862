import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { makeTempDir, removeTempDirs, writeCsv, ZTL_GATES_HEADER, ztlGateRow } from '../testing/edge-case-files'
import { readZtlGates } from './ztl-gates'

afterAll(removeTempDirs)

const GATES = path.join(CITY_DATA_DIR, 'bologna-opendata/varchi_ztl_telecamere.csv')

describe.skipIf(!existsSync(GATES))('readZtlGates on the gate registry', () => {
  it('reads 79 ZTL gates with ids ztl-<varco>', () => {
    const gates = readZtlGates(GATES)
    expect(gates.records).toHaveLength(79)
    expect(gates.problems).toEqual([])
    const g = gates.records.find((r) => r.deviceId === 'ztl-varco-n-78')
    expect(g?.name).toBe('Santo Stefano — via Farini via Santo Stefano')
    expect(g?.props).toEqual({
      varco: 'varco-n-78',
      nome: 'Santo Stefano',
      descrizione: 'via Farini via Santo Stefano',
      direzione: 'piazza Santo Stefano',
      quartiere: 'Santo Stefano',
      zona: 'Galvani',
      via: 'VIA SANTO STEFANO',
    })
    // One gate has no descrizione: its name is its nome.
    expect(gates.records.find((r) => r.props.varco === 'varco-n-66-viale-pietramellara-direzione-ovest')?.name).toBe('Viale Pietramellara')
  })
})

describe('readZtlGates on a generated file', () => {
  const dir = makeTempDir()
  const file = writeCsv(
    path.join(dir, 'varchi.csv'),
    ZTL_GATES_HEADER,
    [
      ztlGateRow(1),
      ztlGateRow(2, { varco: 'varco-t-1' }),
      ztlGateRow(3, { nome: '' }),
      ztlGateRow(4, { lat: '45.1' }),
      ztlGateRow(5, { varco: 'varco/5' }),
      ztlGateRow(6, { descrizione: 'via "Sei", angolo via Sette' }),
    ],
    ',',
  )
  const result = readZtlGates(file)

  it('keeps the good gates, quoted separators included', () => {
    expect(result.records.map((r) => r.deviceId)).toEqual(['ztl-varco-t-1', 'ztl-varco-t-6'])
    expect(result.records[1]?.props.descrizione).toBe('via "Sei", angolo via Sette')
  })

  it('reports duplicates, missing names, positions outside the city and unusable ids', () => {
    expect(result.problems.map((p) => [p.row, p.problem])).toEqual([
      [3, 'rejected: duplicate varco (first at line 2)'],
      [4, 'rejected: no name ("nome")'],
      [5, expect.stringMatching(/^rejected: position .* outside the city envelope/)],
      [6, expect.stringContaining('cannot make a device id')],
    ])
  })
})
