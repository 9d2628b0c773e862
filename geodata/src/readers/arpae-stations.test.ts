import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { readArpaeStations } from './arpae-stations'

const STATIONS = path.join(CITY_DATA_DIR, 'bologna-opendata/arpae_qualita_aria_2024/stazioni.geojson')

describe.skipIf(!existsSync(STATIONS))('readArpaeStations on the ARPAE stations', () => {
  it('reads 5 ARPAE stations with the pollutants of the series files', () => {
    const aq = readArpaeStations(STATIONS)
    expect(aq.records.map((r) => [r.deviceId, r.props.pollutants])).toEqual([
      ['aq-de-amicis', ['no2', 'pm10']],
      ['aq-giardini-margherita', ['no2', 'o3', 'pm10', 'pm25']],
      ['aq-porta-san-felice', ['no2', 'co', 'ch4', 'pm10', 'pm25']],
      ['aq-san-lazzaro', ['no2', 'pm10']],
      ['aq-via-chiarini', ['no2', 'o3', 'pm10']],
    ])
    expect(aq.records[0]?.props).toMatchObject({ station: 'DE AMICIS', positionApproximate: true })
    expect(aq.records[0]?.name).toBe('ARPAE De Amicis')
  })
})
