/**
 * Reads the ARPAE air-quality stations (`arpae_qualita_aria_2024/stazioni.geojson`, positions
 * approximate: geocoded from the station address) and lists, per station, the pollutant streams
 * it has in the series files next to it.
 */
import path from 'node:path'
import type { LonLat } from '../../../contracts/schemas/device'
import { listArpaeStreams, type AirQualityStream } from './arpae-series'
import { propText, readFeatureCollection, type GeoJsonReadOptions } from './geojson-features'
import { ProblemLog, type ReadResult } from './read-result'
import { BOLOGNA_ENVELOPE, slugify, titleCase } from './row-checks'

/** Props of an air-quality device. Other modules rely on these exact keys. */
export interface AirQualityStationProps {
  /** Station name as ARPAE writes it ("DE AMICIS"); the series files use it as column name. */
  station: string
  address: string
  positionApproximate: true
  /** Streams this station has in the ARPAE series files, canonical order. */
  pollutants: AirQualityStream[]
}

export interface AirQualityStationRecord {
  row: number
  /** `aq-<slug of station>`: "DE AMICIS" → `aq-de-amicis`. */
  deviceId: string
  name: string
  position: LonLat
  props: AirQualityStationProps
}

/** "DE AMICIS" → "ARPAE De Amicis". */
export function stationName(station: string): string {
  return `ARPAE ${titleCase(station)}`
}

/** `seriesDir` defaults to the stations file's directory. */
export function readArpaeStations(file: string, opts: GeoJsonReadOptions & { seriesDir?: string } = {}): ReadResult<AirQualityStationRecord> {
  const env = opts.envelope ?? BOLOGNA_ENVELOPE
  const { features, sourceCrs } = readFeatureCollection(file, env, opts.crs)
  const streams = listArpaeStreams(opts.seriesDir ?? path.dirname(file))
  const log = new ProblemLog()
  const records: AirQualityStationRecord[] = []
  const seen = new Map<string, number>()
  for (const f of features) {
    const station = propText(f.properties, 'station')
    if (station === '' || slugify(station) === '') {
      log.reject(f.row, undefined, 'no station name ("station")')
      continue
    }
    if (f.problem || !f.geometry) {
      log.reject(f.row, station, f.problem ?? 'no geometry')
      continue
    }
    if (f.geometry.type !== 'Point') {
      log.reject(f.row, station, `geometry is a ${f.geometry.type}; a station is a Point`)
      continue
    }
    const deviceId = `aq-${slugify(station)}`.slice(0, 80)
    const earlier = seen.get(deviceId)
    if (earlier !== undefined) {
      log.reject(f.row, station, `duplicate station (id ${deviceId}, first at feature ${earlier})`)
      continue
    }
    seen.set(deviceId, f.row)
    const pollutants = streams.get(slugify(station)) ?? []
    if (pollutants.length === 0) log.note(f.row, station, 'no series file has a column for this station: pollutants is empty')
    const [lon, lat] = f.geometry.coordinates as [number, number]
    records.push({
      row: f.row,
      deviceId,
      name: stationName(station),
      position: [lon, lat],
      props: { station, address: propText(f.properties, 'address'), positionApproximate: true, pollutants },
    })
  }
  return { ...log.result(records, features.length), sourceCrs }
}
