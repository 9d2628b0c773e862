import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AirQualityValuesSchema } from '../../contracts/schemas/reading'
import { airQualityPollutants, airQualityStream } from './air-quality-stream'
import { ARPAE_DIR, readArpaeSeries, validityOf } from './arpae-series'
import { ARPAE_FIRST_DAY, arpaeHourIndex, arpaeSourceDay, DAY_MS, dayNumber, HOUR_MS } from './source-calendar'
import { airStation, TEST_CITY_DATA_DIR } from './testing/sim-device-factory'

const hasData = existsSync(path.join(TEST_CITY_DATA_DIR, ARPAE_DIR))

/** The raw cells of one line of an ARPAE file, read without csv-parse. */
function rawCells(file: string, rowIndex: number): string[] {
  const lines = readFileSync(path.join(TEST_CITY_DATA_DIR, ARPAE_DIR, file), 'utf8').split(/\r?\n/)
  return (lines[rowIndex + 1] ?? '').slice(1, -1).split('","')
}

/** A simulated hour start (2025–2030) that replays ARPAE hourly row `index`. */
function hourReplaying(index: number): number {
  const srcDay = ARPAE_FIRST_DAY + Math.floor(index / 24)
  for (let d = dayNumber(2025, 1, 1); d < dayNumber(2031, 1, 1); d++) {
    if (arpaeSourceDay(d) === srcDay) return d * DAY_MS - HOUR_MS + (index % 24) * HOUR_MS
  }
  throw new Error(`no simulated day replays row ${index}`)
}

describe('ARPAE validity flags', () => {
  it('maps S to valid, the undocumented M, G and empty flags to provisional and any other flag to invalid', () => {
    expect(validityOf('S')).toBe('valid')
    expect(validityOf('M')).toBe('provisional')
    expect(validityOf('G')).toBe('provisional')
    expect(validityOf('')).toBe('provisional')
    expect(validityOf('X')).toBe('invalid')
  })
})

describe.skipIf(!hasData)('air-quality stations replaying ARPAE 2024', () => {
  const series = hasData ? readArpaeSeries(TEST_CITY_DATA_DIR) : null
  if (!series) return

  it('publishes the value of the mapped 2024 hour with unit, validity and averaging period', () => {
    const device = airStation('DE AMICIS', ['no2'])
    const stream = airQualityStream(device, 'no2', series)
    const t = Date.UTC(2026, 10, 26, 7) // Thu 26 Nov 2026, 08:00+01:00
    const index = arpaeHourIndex(t)
    const cells = rawCells('NO2_hourly.csv', index)
    expect(cells[0]).toMatch(/ 08:00$/)
    const v = stream.valuesAt(t)
    expect(AirQualityValuesSchema.safeParse(v).success).toBe(true)
    expect(v).toEqual({ value: Number(cells[1]), unit: 'ug/m3', validity: 'valid', averagingS: 3600 })
  })

  it('uses mg/m3 for CO and CH4 and daily averaging for PM', () => {
    const device = airStation('PORTA SAN FELICE', ['co', 'ch4', 'pm25'])
    const firstValue = (pollutant: 'co' | 'ch4' | 'pm25', step: number) => {
      const stream = airQualityStream(device, pollutant, series)
      for (let k = 0; k < 48; k++) {
        const v = stream.valuesAt(stream.offsetMs + Math.floor(Date.UTC(2026, 1, 10) / stream.intervalMs) * stream.intervalMs + k * step)
        if (v) return v
      }
      return null
    }
    expect(firstValue('co', HOUR_MS)).toMatchObject({ unit: 'mg/m3', averagingS: 3600 })
    expect(firstValue('ch4', HOUR_MS)).toMatchObject({ unit: 'mg/m3', averagingS: 3600 })
    expect(airQualityStream(device, 'pm25', series).intervalMs).toBe(DAY_MS)
    expect(firstValue('pm25', DAY_MS)).toMatchObject({ unit: 'ug/m3', averagingS: 86_400 })
  })

  it('publishes nothing for an empty cell, as a real station would', () => {
    const col = 'SAN LAZZARO'
    const header = rawCells('NO2_hourly.csv', -1)
    const c = header.indexOf(col)
    const lines = readFileSync(path.join(TEST_CITY_DATA_DIR, ARPAE_DIR, 'NO2_hourly.csv'), 'utf8').split(/\r?\n/)
    const emptyRow = lines.findIndex((l, i) => i > 0 && l.slice(1, -1).split('","')[c] === '') - 1
    expect(emptyRow).toBeGreaterThanOrEqual(0)
    const stream = airQualityStream(airStation(col, ['no2']), 'no2', series)
    expect(stream.valuesAt(hourReplaying(emptyRow))).toBeNull()
  })

  it('reports GIARDINI MARGHERITA NO2 from July as provisional (flag M)', () => {
    const stream = airQualityStream(airStation('GIARDINI MARGHERITA', ['no2']), 'no2', series)
    expect(stream.valuesAt(Date.UTC(2026, 7, 12, 10))).toMatchObject({ validity: 'provisional' })
  })

  it('skips pollutants a station does not measure and takes all it does when none are declared', () => {
    const declared = airQualityPollutants(airStation('DE AMICIS', ['no2', 'o3', 'so2']), series)
    expect(declared.pollutants).toEqual(['no2'])
    expect(declared.gaps.map((g) => [g.pollutant, g.reason])).toEqual([
      ['o3', 'no_station_column'],
      ['so2', 'unknown_pollutant'],
    ])
    const all = airQualityPollutants(airStation('PORTA SAN FELICE', [], { props: { station: 'PORTA SAN FELICE' } }), series)
    expect(all.pollutants.sort()).toEqual(['ch4', 'co', 'no2', 'pm10', 'pm25'])
  })
})
