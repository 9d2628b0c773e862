/**
 * The per-district KPI cards of the wall: open alarms on the operator's list, unacknowledged ones and
 * the highest priority, counted from the live alarms (so a new alarm shows at once), for every
 * district of the city, plus one card for alarms outside every district when there are any.
 */
import type { Alarm } from '../../../contracts/alarm-api'
import type { AlarmPriority } from '../../../contracts/alarms'
import { worstPriority } from './alarm-priority'

export interface DistrictAlarms {
  /** The district name; null: outside every district (or city-wide, e.g. the ingest). */
  district: string | null
  open: number
  unacknowledged: number
  highest: AlarmPriority | null
}

export function districtAlarms(listed: Iterable<Alarm>, districts: readonly string[]): DistrictAlarms[] {
  const rows = new Map<string | null, DistrictAlarms>(districts.map((d) => [d, { district: d, open: 0, unacknowledged: 0, highest: null }]))
  for (const a of listed) {
    let row = rows.get(a.district)
    if (!row) rows.set(a.district, (row = { district: a.district, open: 0, unacknowledged: 0, highest: null }))
    row.open += 1
    if (a.display === 'unacknowledged' || a.display === 'rtn-unacknowledged') row.unacknowledged += 1
    row.highest = worstPriority(row.highest, a.priority)
  }
  const known = districts.map((d) => rows.get(d)!)
  const others = [...rows.values()].filter((r) => r.district === null || !districts.includes(r.district))
  others.sort((a, b) => (a.district === null ? 1 : b.district === null ? -1 : a.district.localeCompare(b.district, 'it')))
  return [...known, ...others]
}
