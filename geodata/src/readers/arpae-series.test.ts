import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { makeTempDir, removeTempDirs } from '../testing/edge-case-files'
import { classifyArpaeFile, listArpaeStreams, parseSolarTime, readArpaeSeries } from './arpae-series'

afterAll(removeTempDirs)

const ARPAE = path.join(CITY_DATA_DIR, 'bologna-opendata/arpae_qualita_aria_2024')

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

describe('classifyArpaeFile', () => {
  it('maps each file to its stream, unit and averaging period', () => {
    expect(classifyArpaeFile('NO2_hourly.csv')).toEqual({ stream: 'no2', unit: 'ug/m3', averagingS: 3600 })
    expect(classifyArpaeFile('Ozone_hourly.csv')).toEqual({ stream: 'o3', unit: 'ug/m3', averagingS: 3600 })
    expect(classifyArpaeFile('CO_hourly.csv')).toEqual({ stream: 'co', unit: 'mg/m3', averagingS: 3600 })
    expect(classifyArpaeFile('methane_hourly.csv')).toEqual({ stream: 'ch4', unit: 'mg/m3', averagingS: 3600 })
    expect(classifyArpaeFile('PM10_daily.csv')).toEqual({ stream: 'pm10', unit: 'ug/m3', averagingS: 86_400 })
    expect(classifyArpaeFile('PM25_daily.csv')).toEqual({ stream: 'pm25', unit: 'ug/m3', averagingS: 86_400 })
    expect(classifyArpaeFile('stazioni.geojson')).toBeNull()
  })
})

describe('parseSolarTime', () => {
  it('reads ARPAE solar time (UTC+1 all year)', () => {
    expect(new Date(parseSolarTime('2024-01-01 00:00')).toISOString()).toBe('2023-12-31T23:00:00.000Z')
    expect(new Date(parseSolarTime('2024-07-01 12:00')).toISOString()).toBe('2024-07-01T11:00:00.000Z')
    expect(parseSolarTime('2024-02-30 00:00')).toBeNaN()
  })
})

describe.skipIf(!existsSync(ARPAE))('readArpaeSeries on the 2024 files', () => {
  const result = readArpaeSeries(ARPAE)
  const series = (stream: string, station: string) => result.records.find((s) => s.stream === stream && s.station === station)

  it('reads 16 station series from the 6 files without refusing a row', () => {
    expect(result.records).toHaveLength(16)
    expect(result.rejected).toBe(0)
    expect(result.problems).toEqual([])
  })

  it('finds the flags S, M, G and empty, and maps them', () => {
    expect(result.flagsFound).toEqual([
      { flag: '', count: 69, validity: 'provisional' },
      { flag: 'G', count: 22, validity: 'provisional' },
      { flag: 'M', count: 4401, validity: 'provisional' },
      { flag: 'S', count: 75_916, validity: 'valid' },
    ])
  })

  it('gives CO and methane in mg/m3 and the others in ug/m3, at plausible magnitudes', () => {
    const co = series('co', 'PORTA SAN FELICE')
    const ch4 = series('ch4', 'PORTA SAN FELICE')
    const no2 = series('no2', 'DE AMICIS')
    expect(co?.unit).toBe('mg/m3')
    expect(ch4?.unit).toBe('mg/m3')
    expect(no2?.unit).toBe('ug/m3')
    // 2024 medians: CO 0.4 mg/m3, methane 0.8 mg/m3, NO2 14 µg/m3.
    expect(median(co?.points.map((p) => p.value) ?? [])).toBeGreaterThan(0.1)
    expect(median(co?.points.map((p) => p.value) ?? [])).toBeLessThan(3)
    expect(median(ch4?.points.map((p) => p.value) ?? [])).toBeGreaterThan(0.5)
    expect(median(ch4?.points.map((p) => p.value) ?? [])).toBeLessThan(5)
    expect(median(no2?.points.map((p) => p.value) ?? [])).toBeGreaterThan(5)
  })

  it('keeps hourly and daily periods and counts missing values', () => {
    const no2 = series('no2', 'SAN LAZZARO')
    expect(no2?.averagingS).toBe(3600)
    expect((no2?.points.length ?? 0) + (no2?.missing ?? 0)).toBe(8784)
    expect(no2?.missing).toBe(93)
    expect(series('pm10', 'VIA CHIARINI')?.averagingS).toBe(86_400)
    expect(series('pm25', 'GIARDINI MARGHERITA')?.flags).toEqual({ G: 22, '': 69, S: 264 })
  })

  it('names the device of each series as the station importer does', () => {
    expect(series('no2', 'GIARDINI MARGHERITA')?.deviceId).toBe('aq-giardini-margherita')
  })

  it('lists the streams of each station from the header lines', () => {
    expect(listArpaeStreams(ARPAE)).toEqual(
      new Map([
        ['porta-san-felice', ['no2', 'co', 'ch4', 'pm10', 'pm25']],
        ['de-amicis', ['no2', 'pm10']],
        ['giardini-margherita', ['no2', 'o3', 'pm10', 'pm25']],
        ['san-lazzaro', ['no2', 'pm10']],
        ['via-chiarini', ['no2', 'o3', 'pm10']],
      ]),
    )
  })
})

describe('readArpaeSeries on a generated directory', () => {
  const dir = makeTempDir()
  writeFileSync(
    path.join(dir, 'NO2_hourly.csv'),
    [
      '"data","ALFA","v_ALFA","BETA","v_BETA"',
      '"2024-01-01 00:00","20","S","5","S"',
      '"2024-01-01 01:00","21","X","","S"', // unknown flag; missing value
      '"2024-01-01 02:00","n/d","S","6","M"', // not a number
      '"2024-13-01 00:00","1","S","1","S"', // not a time
      '"2024-01-01 00:00","9","S","9","S"', // repeated time
    ].join('\n'),
  )
  writeFileSync(path.join(dir, 'notes.txt'), 'not a series')
  const result = readArpaeSeries(dir)
  const alfa = result.records.find((s) => s.station === 'ALFA')
  const beta = result.records.find((s) => s.station === 'BETA')

  it('maps an unknown flag to invalid and reports it', () => {
    expect(alfa?.points.map((p) => [p.value, p.validity])).toEqual([
      [20, 'valid'],
      [21, 'invalid'],
    ])
    expect(result.problems).toContainEqual({ row: 3, id: 'NO2_hourly.csv#ALFA', problem: expect.stringMatching(/^kept: unknown validity flag "X"/) })
  })

  it('skips values that are not numbers, reporting them', () => {
    expect(result.problems).toContainEqual({ row: 4, id: 'NO2_hourly.csv#ALFA', problem: 'kept: value "n/d" is not a number; skipped' })
    expect(alfa?.missing).toBe(1)
    expect(beta?.missing).toBe(1)
    expect(beta?.points.map((p) => p.validity)).toEqual(['valid', 'provisional'])
  })

  it('refuses rows with a bad or repeated time', () => {
    expect(result.rejected).toBe(2)
    expect(result.problems).toContainEqual({ row: 5, id: 'NO2_hourly.csv', problem: 'rejected: "2024-13-01 00:00" is not a time (YYYY-MM-DD HH:MM)' })
    expect(result.problems).toContainEqual({ row: 6, id: 'NO2_hourly.csv', problem: 'rejected: second row for 2024-01-01 00:00 (first at line 2)' })
  })
})
