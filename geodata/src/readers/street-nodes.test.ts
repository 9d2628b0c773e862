import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { makeTempDir, removeTempDirs, writeFeatureCollection } from '../testing/edge-case-files'
import { readStreetNodes } from './street-nodes'

afterAll(removeTempDirs)

const NODES = path.join(CITY_DATA_DIR, 'bologna-opendata/stradario_nodi.geojson')
const pt = (lon: number, lat = 44.49) => ({ type: 'Point', coordinates: [lon, lat] })

describe('readStreetNodes on a generated file', () => {
  const file = writeFeatureCollection(path.join(makeTempDir(), 'nodi.geojson'), [
    { properties: { codice: '5772', tipo: 'incrocio' }, geometry: pt(11.3554582, 44.4771777) },
    { properties: { codice: 5773 }, geometry: pt(11.35) },
    { properties: { codice: '5772' }, geometry: pt(11.36) },
    { properties: { codice: '' }, geometry: pt(11.36) },
    { properties: { codice: '9' }, geometry: { type: 'Point', coordinates: [686000, 4929000] } },
  ])
  const r = readStreetNodes(file)

  it('keys nodes by codice and keeps the other properties', () => {
    expect(r.records).toEqual([
      { row: 1, id: '5772', position: [11.3554582, 44.4771777], props: { tipo: 'incrocio' } },
      { row: 2, id: '5773', position: [11.35, 44.49], props: {} },
    ])
  })

  it('refuses duplicates, missing codes and projected coordinates (suggesting --crs)', () => {
    expect(r.problems.map((p) => [p.row, p.problem])).toEqual([
      [3, 'rejected: duplicate codice (first at feature 1)'],
      [4, 'rejected: no node code ("codice")'],
      [5, 'rejected: vertex 686000, 4929000 is not lon/lat (projected metres?); the file declares no CRS: give it with --crs EPSG:<code>'],
    ])
  })
})

describe.skipIf(!existsSync(NODES))('the stradario nodes of Bologna', () => {
  it('reads all 6,064 nodes', () => {
    const r = readStreetNodes(NODES)
    expect([r.records.length, r.rejected]).toEqual([6064, 0])
  })
})
