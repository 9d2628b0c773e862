import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { makeTempDir, removeTempDirs, writeFeatureCollection } from '../testing/edge-case-files'
import { readStreetArcs } from './street-arcs'

afterAll(removeTempDirs)

const ARCS = path.join(CITY_DATA_DIR, 'bologna-opendata/stradario_archi.geojson')

describe.skipIf(!existsSync(ARCS))('readStreetArcs on the stradario', () => {
  const result = readStreetArcs(ARCS)

  it('reads all 8,004 arcs', () => {
    expect(result.records).toHaveLength(8004)
    expect(result.rejected).toBe(0)
  })

  it('keeps codarco as id, nomevia as name and the street attributes in props', () => {
    expect(result.records.find((r) => r.id === '4237')).toMatchObject({
      name: 'VIA SABOTINO',
      props: {
        codvia: '52300',
        codNodo1: '4711',
        codNodo2: '15767',
        lunghez: 122,
        da: 'VIA DEL CARSO',
        a: 'VIA LUIGI BUSI',
        civici: [
          { min: '12', max: '16/E' },
          { min: '21', max: '27/3' },
        ],
        numquart: '13',
        nomequart: 'Porto - Saragozza',
      },
    })
  })
})

describe('readStreetArcs on a generated file', () => {
  const dir = makeTempDir()
  const line = (coords: number[][]) => ({ type: 'LineString', coordinates: coords })
  const file = writeFeatureCollection(path.join(dir, 'archi.geojson'), [
    { properties: { codarco: '1', nomevia: 'VIA UNO' }, geometry: line([[11.34, 44.49], [11.341, 44.491]]) },
    { properties: { codarco: '2', nomevia: 'VIA DUE' }, geometry: line([[11.34, 44.49]]) },
    { properties: { codarco: 3, nomevia: 'VIA TRE', lunghez: '40.5' }, geometry: line([[11.34, 44.49], [11.341, 44.491]]) },
    { properties: { codarco: '1', nomevia: 'VIA UNO BIS' }, geometry: line([[11.34, 44.49], [11.341, 44.491]]) },
    { properties: { codarco: '4', nomevia: null }, geometry: line([[11.34, 44.49], [11.341, 44.491]]) },
    { properties: { codarco: '5', nomevia: 'VIA CINQUE' }, geometry: line([[11.34, 44.49], [Number.NaN, 44.491]]) },
    { properties: { nomevia: 'VIA SENZA CODICE' }, geometry: line([[11.34, 44.49], [11.341, 44.491]]) },
  ])
  const result = readStreetArcs(file)
  const problemAt = (row: number) => result.problems.filter((p) => p.row === row).map((p) => p.problem)

  it('keeps the sound arcs, numeric codes read as text', () => {
    expect(result.records.map((r) => r.id)).toEqual(['1', '3'])
    expect(result.records[1]?.props.lunghez).toBe(40.5)
  })

  it('reports each refused arc', () => {
    expect(problemAt(2)).toEqual(['rejected: a line has 1 position(s); at least 2 are needed'])
    expect(problemAt(4)).toEqual(['rejected: duplicate codarco (first at feature 1)'])
    expect(problemAt(5)).toEqual(['rejected: no street name ("nomevia")'])
    // JSON has no NaN: it is written as null, which is not a coordinate.
    expect(problemAt(6)).toEqual([expect.stringMatching(/^rejected: unsupported or malformed geometry/)])
    expect(problemAt(7)).toEqual(['rejected: no arc code ("codarco")'])
  })
})
