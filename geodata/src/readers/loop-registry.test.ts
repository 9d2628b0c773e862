import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { LOOP_REGISTRY_HEADER, loopRegistryRow, makeTempDir, removeTempDirs, writeCsv } from '../testing/edge-case-files'
import { pickPerIdUni, readLoopRegistry } from './loop-registry'
import { DatasetFileError } from './read-result'

afterAll(removeTempDirs)

const REGISTRY = path.join(CITY_DATA_DIR, 'bologna-opendata/spire_anagrafica_2024.csv')

describe.skipIf(!existsSync(REGISTRY))('readLoopRegistry on the 2024 registry', () => {
  const result = readLoopRegistry(REGISTRY)

  it('reads all 864 rows: 863 loops, id_uni 296 being one loop registered under two codes', () => {
    expect(result.rows).toBe(864)
    expect(result.records).toHaveLength(863)
    expect(result.rejected).toBe(0)
    expect(result.problems).toEqual([{ row: 544, id: '296', problem: expect.stringMatching(/^kept: id_uni 296 is also on line \d+ at the same place/) }])
    const codes = result.records.flatMap((r) => [r.props.codiceSpira, ...r.props.aliases.map((a) => a.codiceSpira)])
    expect(codes).toHaveLength(864)
  })

  it('makes the Livello 1 row of id_uni 296 the loop and keeps the other code as an alias', () => {
    expect(result.records.find((r) => r.idUni === '296')?.props).toMatchObject({
      codiceSpira: '2.30 2.30 6 1',
      livello: 1,
      stationId: '469',
      aliases: [{ codiceSpira: '0.127 2.30 6 1', stationId: '53', livello: 2 }],
    })
  })

  it('reads loop 450 with its position and props', () => {
    const loop = result.records.find((r) => r.idUni === '450')
    expect(loop?.position).toEqual([11.3462080467851, 44.508210897842])
    expect(loop?.name).toBe('VIA ALESSANDRO TIARINI (3.21 3.24 4 1)')
    expect(loop?.props).toEqual({
      codiceSpira: '3.21 3.24 4 1',
      idUni: '450',
      stationId: '551',
      street: 'VIA ALESSANDRO TIARINI',
      codiceVia: '57500',
      codiceArco: '3191',
      nodoDa: '10384',
      nodoA: '10360',
      direction: 'O',
      angle: 81,
      codimpsem: '260',
      livello: 1,
      tipologia: 'spira',
      stato: 'A',
      aliases: [],
    })
  })
})

describe('readLoopRegistry on a generated file with bad rows', () => {
  const dir = makeTempDir()
  const file = writeCsv(path.join(dir, 'loops.csv'), LOOP_REGISTRY_HEADER, [
    loopRegistryRow(1), // line 2: fine
    loopRegistryRow(2, { longitudine: '12.5', geopoint: '' }), // line 3: outside the envelope
    loopRegistryRow(3, { longitudine: 'abc', latitudine: '', geopoint: '' }), // line 4: no usable position
    loopRegistryRow(4, { 'Nome via': '' }), // line 5: no name
    loopRegistryRow(5, { id_uni: '9001', Livello: '2' }), // line 6: id of line 2, higher Livello
    loopRegistryRow(6, { id_uni: '' }), // line 7: no id
    '1;2;3', // line 8: wrong number of cells
    loopRegistryRow(8, { id_uni: 'a/b' }), // line 9: cannot be a device id
    loopRegistryRow(9, { longitudine: '', latitudine: '' }), // line 10: geopoint only: fine
    loopRegistryRow(10, { geopoint: '44.6, 11.0' }), // line 11: geopoint outside the envelope
    loopRegistryRow(11, { 'Nome via': 'VIA \u0000' }), // line 12: NUL
  ])
  const result = readLoopRegistry(file)
  const problemAt = (line: number) => result.problems.filter((p) => p.row === line).map((p) => p.problem)

  it('keeps only the good rows', () => {
    expect(result.records.map((r) => r.row)).toEqual([2, 10])
    expect(result.rows).toBe(11)
    expect(result.rejected).toBe(9)
  })

  it('says why each bad row was refused', () => {
    expect(problemAt(3)).toEqual([expect.stringMatching(/^rejected: position 12\.5, .* is outside the city envelope/)])
    expect(problemAt(4)).toEqual([expect.stringContaining('no usable position')])
    expect(problemAt(5)).toEqual(['rejected: no street name ("Nome via")'])
    expect(problemAt(6)).toEqual([expect.stringMatching(/^rejected: duplicate id_uni 9001 at another place than line 2/)])
    expect(problemAt(7)).toEqual(['rejected: no id_uni'])
    expect(problemAt(8)).toEqual(['rejected: 3 cells where the header has 20'])
    expect(problemAt(9)).toEqual([expect.stringContaining('cannot make a device id')])
    expect(problemAt(11)).toEqual([expect.stringMatching(/^rejected: geopoint 44\.6, 11 \(lat, lon\) is outside/)])
    expect(problemAt(12)).toEqual([expect.stringContaining('NUL')])
  })

  it('reads a comma-separated export of the same layout', () => {
    const comma = writeCsv(path.join(dir, 'loops-comma.csv'), LOOP_REGISTRY_HEADER, [loopRegistryRow(1)], ',')
    expect(readLoopRegistry(comma).records).toHaveLength(1)
  })

  it('refuses a file without the required columns as a whole', () => {
    const other = writeCsv(path.join(dir, 'other.csv'), ['a', 'b'], [{ a: '1', b: '2' }])
    expect(() => readLoopRegistry(other)).toThrow(DatasetFileError)
    expect(() => readLoopRegistry(other)).toThrow(/lacks the column\(s\) "codice spira", "id_uni"/)
  })

  it('refuses a missing file as a whole', () => {
    expect(() => readLoopRegistry(path.join(dir, 'nope.csv'))).toThrow(/does not exist/)
  })
})

describe('pickPerIdUni', () => {
  it('prefers the lowest Livello, then the first row', () => {
    const picked = pickPerIdUni([
      { line: 2, idUni: 'a', livello: 2 },
      { line: 3, idUni: 'a', livello: 1 },
      { line: 4, idUni: 'b', livello: null },
      { line: 5, idUni: 'b', livello: null },
    ])
    expect(picked).toEqual(
      new Map([
        ['a', 3],
        ['b', 4],
      ]),
    )
  })
})
