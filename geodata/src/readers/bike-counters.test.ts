import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { makeTempDir, removeTempDirs, writeCsv } from '../testing/edge-case-files'
import { bikeCounterName, readBikeCounters } from './bike-counters'

afterAll(removeTempDirs)

const BIKES = path.join(CITY_DATA_DIR, 'bologna-opendata/contabici_colonnine.csv')

describe.skipIf(!existsSync(BIKES))('readBikeCounters on the counter registry', () => {
  it('reads 24 bike counters with slug ids', () => {
    const bikes = readBikeCounters(BIKES)
    expect(bikes.records).toHaveLength(24)
    const b = bikes.records.find((r) => r.deviceId === 'bike-laura-bassi')
    expect(b?.position).toEqual([11.36916189698496, 44.4855095914257])
    expect(b?.props).toEqual({ colonnina: 'Laura_Bassi', quartiere: 'Santo Stefano', zona: 'Murri', via: 'VIA GIUSEPPE MAZZINI', civico: '93' })
  })
})

describe('readBikeCounters on a generated file', () => {
  const header = ['colonnina', 'lon', 'lat', 'quartiere', 'zona', 'via', 'civico', 'distanza_m']
  const row = (colonnina: string, lon = '11.35') => ({ colonnina, lon, lat: '44.49', quartiere: 'Q', zona: 'Z', via: 'VIA PROVA', civico: '7.0', distanza_m: '1' })
  const file = writeCsv(path.join(makeTempDir(), 'contabici.csv'), header, [row('Massarenti_I'), row('Massarenti I'), row('_'), row('Lontano', '13.0')], ',')
  const result = readBikeCounters(file)

  it('refuses a counter whose id collides with an earlier one, a nameless one and one outside the city', () => {
    expect(result.records.map((r) => r.deviceId)).toEqual(['bike-massarenti-i'])
    expect(result.problems.map((p) => [p.row, p.problem])).toEqual([
      [3, 'rejected: its id bike-massarenti-i is already taken by "Massarenti_I" (line 2)'],
      [4, 'rejected: no counter name ("colonnina")'],
      [5, expect.stringContaining('outside the city envelope')],
    ])
  })

  it('writes the house number without the trailing .0 and names the counter after its street', () => {
    expect(result.records[0]?.props.civico).toBe('7')
    expect(bikeCounterName('Laura_Bassi', 'VIA GIUSEPPE MAZZINI')).toBe('Laura Bassi (VIA GIUSEPPE MAZZINI)')
  })
})
