/**
 * Where a traffic loop is. The loop files carry the position twice: `longitudine`/`latitudine`
 * and `geopoint` ("lat, lon"). In the 2024 counts export the two number columns were written with
 * thousands separators ("113.282.993.665.462" for 11.3282993665462), so `geopoint` is the source
 * of truth and the number columns are only cross-checked.
 */
import type { LonLat } from '../../../contracts/schemas/device'
import { describeEnvelope, inEnvelope, parseDecimal, type Envelope } from './row-checks'

export interface LoopPosition {
  /** Null when no usable position was found (the row is then rejected). */
  position: LonLat | null
  /** The number columns are not plain decimals (e.g. thousands separators). */
  columnsCorrupted: boolean
  /** Why there is no position. */
  problem: string | null
  /** Something odd that did not prevent using the position. */
  note: string | null
}

/** "44.508210897842, 11.3462080467851" → [11.3462080467851, 44.508210897842]; null if not two decimals. */
export function parseGeopoint(text: string): LonLat | null {
  const m = /^\s*([^,\s]+)\s*,\s*([^,\s]+)\s*$/.exec(text)
  if (!m) return null
  const lat = parseDecimal(m[1] ?? '')
  const lon = parseDecimal(m[2] ?? '')
  return Number.isFinite(lat) && Number.isFinite(lon) ? [lon, lat] : null
}

const digitsOf = (s: string) => s.replace(/[^0-9]/g, '')

/** Same digits, separators aside: "113.282.993.665.462" vs "11.3282993665462". */
function sameDigits(a: string, b: string): boolean {
  return digitsOf(a) === digitsOf(b)
}

const METRES_PER_DEGREE = 111_320

export function loopPosition(lonText: string, latText: string, geopointText: string, env: Envelope): LoopPosition {
  const gp = parseGeopoint(geopointText)
  const lon = parseDecimal(lonText)
  const lat = parseDecimal(latText)
  const columnsCorrupted = (lonText !== '' || latText !== '') && (!Number.isFinite(lon) || !Number.isFinite(lat))
  const columns: LonLat | null = columnsCorrupted || lonText === '' ? null : [lon, lat]

  if (gp) {
    if (!inEnvelope(gp, env)) {
      return { position: null, columnsCorrupted, problem: `geopoint ${gp[1]}, ${gp[0]} (lat, lon) is outside the city envelope (${describeEnvelope(env)})`, note: null }
    }
    let note: string | null = null
    if (columnsCorrupted) {
      const [gpLat = '', gpLon = ''] = geopointText.split(',').map((p) => p.trim())
      const why = sameDigits(lonText, gpLon) && sameDigits(latText, gpLat) ? 'the digits of geopoint with thousands separators inserted' : 'not numbers'
      note = `longitudine/latitudine are corrupted ("${lonText}", "${latText}": ${why}); position taken from geopoint`
    } else if (columns) {
      const dx = (columns[0] - gp[0]) * METRES_PER_DEGREE * Math.cos((gp[1] * Math.PI) / 180)
      const dy = (columns[1] - gp[1]) * METRES_PER_DEGREE
      const d = Math.hypot(dx, dy)
      if (d > 1) note = `longitudine/latitudine differ from geopoint by ${Math.round(d)} m; position taken from geopoint`
    }
    return { position: gp, columnsCorrupted, problem: null, note }
  }
  if (columns) {
    if (!inEnvelope(columns, env)) {
      return { position: null, columnsCorrupted, problem: `position ${columns[0]}, ${columns[1]} is outside the city envelope (${describeEnvelope(env)})`, note: null }
    }
    const note = geopointText === '' ? null : `geopoint "${geopointText}" is not "lat, lon"; position taken from longitudine/latitudine`
    return { position: columns, columnsCorrupted, problem: null, note }
  }
  const parts = [geopointText === '' ? 'no geopoint' : `geopoint "${geopointText}" is not "lat, lon"`]
  parts.push(columnsCorrupted ? `longitudine/latitudine are corrupted ("${lonText}", "${latText}")` : 'no longitudine/latitudine')
  return { position: null, columnsCorrupted, problem: `no usable position: ${parts.join(', ')}`, note: null }
}
