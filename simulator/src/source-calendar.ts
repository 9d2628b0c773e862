/**
 * Time arithmetic of the simulator: Bologna civil time, and the deterministic mapping from a
 * simulated instant to the 2024 source day whose real data is replayed (see docs/simulator.md).
 * Pure functions on day numbers (days since 1970-01-01) so no time-zone database is needed.
 */

export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

/** Days since 1970-01-01 of a civil (proleptic Gregorian) date; month 1–12. */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS)
}

export interface CivilDate {
  year: number
  month: number
  day: number
}

export function civilDate(day: number): CivilDate {
  const d = new Date(day * DAY_MS)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** ISO weekday index, Monday = 0 … Sunday = 6. */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7
}

function lastSundayOf(year: number, month: number): number {
  const last = dayNumber(year, month + 1, 0)
  return last - ((weekdayOf(last) + 1) % 7)
}

/**
 * Offset of Europe/Rome from UTC at instant `t`: +2 h from the last Sunday of March 01:00 UTC to
 * the last Sunday of October 01:00 UTC (the EU rule, in force since 1996), +1 h otherwise.
 */
export function romeOffsetMs(t: number): number {
  const year = new Date(t).getUTCFullYear()
  const start = lastSundayOf(year, 3) * DAY_MS + HOUR_MS
  const end = lastSundayOf(year, 10) * DAY_MS + HOUR_MS
  return t >= start && t < end ? 2 * HOUR_MS : HOUR_MS
}

export interface LocalTime {
  /** Civil day number in Bologna. */
  day: number
  hour: number
  minute: number
  weekday: number
}

/** Bologna civil time (Europe/Rome) of instant `t`. */
export function bolognaLocal(t: number): LocalTime {
  const local = t + romeOffsetMs(t)
  const day = Math.floor(local / DAY_MS)
  const minuteOfDay = Math.floor((local - day * DAY_MS) / MINUTE_MS)
  return { day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60, weekday: weekdayOf(day) }
}

export type DayType = 'weekday' | 'saturday' | 'sunday'

// ---------------------------------------------------------------------------------------------
// Traffic counts: 2024-01-01 … 2024-04-30 (Comune di Bologna loop counts).
// ---------------------------------------------------------------------------------------------

/** Monday 2024-01-01: the first source day. */
export const TRAFFIC_SOURCE_FIRST_DAY = dayNumber(2024, 1, 1)
export const TRAFFIC_SOURCE_LAST_DAY = dayNumber(2024, 4, 30)
/** Whole Monday–Sunday weeks in the window: 2024-01-01 … 2024-04-28. */
export const TRAFFIC_SOURCE_WEEKS = 17

/** Italian public holidays inside the traffic window: traffic on them looks like a Sunday. */
export const SOURCE_HOLIDAYS: ReadonlySet<number> = new Set([
  dayNumber(2024, 1, 1), // Capodanno
  dayNumber(2024, 1, 6), // Epifania
  dayNumber(2024, 3, 31), // Pasqua
  dayNumber(2024, 4, 1), // Lunedì dell'Angelo
  dayNumber(2024, 4, 25), // Festa della Liberazione
])

/** Day type of a source day (holidays count as Sundays). */
export function sourceDayType(day: number): DayType {
  const w = weekdayOf(day)
  if (w === 6 || SOURCE_HOLIDAYS.has(day)) return 'sunday'
  return w === 5 ? 'saturday' : 'weekday'
}

/** Day type of a simulated civil day (simulated holidays are not modelled). */
export function simDayType(day: number): DayType {
  const w = weekdayOf(day)
  return w === 6 ? 'sunday' : w === 5 ? 'saturday' : 'weekday'
}

/**
 * The 2024 source day replayed for simulated civil day `simDay`: the same weekday, in the source
 * week `(weeks since Monday 1969-12-29) mod 17`. Consecutive simulated days map to consecutive source
 * days (the cycle wraps from Sunday 28 April to Monday 1 January, so midnight stays continuous).
 * A source holiday is replaced by the same weekday of the following source week.
 */
export function trafficSourceDay(simDay: number): number {
  const weekday = weekdayOf(simDay)
  const week = Math.floor((simDay + 3) / 7)
  const base = ((week % TRAFFIC_SOURCE_WEEKS) + TRAFFIC_SOURCE_WEEKS) % TRAFFIC_SOURCE_WEEKS
  for (let i = 0; i < TRAFFIC_SOURCE_WEEKS; i++) {
    const src = TRAFFIC_SOURCE_FIRST_DAY + ((base + i) % TRAFFIC_SOURCE_WEEKS) * 7 + weekday
    if (!SOURCE_HOLIDAYS.has(src)) return src
  }
  return TRAFFIC_SOURCE_FIRST_DAY + base * 7 + weekday
}

// ---------------------------------------------------------------------------------------------
// Air quality: ARPAE 2024 series. Its timestamps are in standard time, UTC+01:00, all year: the
// hourly files have 8,784 rows (366 × 24) with no gap or repeat at the DST changes.
// ---------------------------------------------------------------------------------------------

export const ARPAE_OFFSET_MS = HOUR_MS
export const ARPAE_FIRST_DAY = dayNumber(2024, 1, 1)
export const ARPAE_DAYS = 366

/**
 * The 2024 source day replayed for a simulated day (both in ARPAE time, UTC+01:00): the day with the
 * same weekday nearest to the same day of the year (at most 3 days away), so seasons are kept
 * (ozone peaks in summer, PM in winter) as well as the weekly rhythm.
 */
export function arpaeSourceDay(simDay: number): number {
  const { year } = civilDate(simDay)
  const dayOfYear = simDay - dayNumber(year, 1, 1)
  const candidate = ARPAE_FIRST_DAY + Math.min(dayOfYear, ARPAE_DAYS - 1)
  let delta = (((weekdayOf(simDay) - weekdayOf(candidate)) % 7) + 7) % 7
  if (delta > 3) delta -= 7
  let src = candidate + delta
  if (src < ARPAE_FIRST_DAY) src += 7
  if (src > ARPAE_FIRST_DAY + ARPAE_DAYS - 1) src -= 7
  return src
}

/** Row index in an hourly ARPAE file for the hour that starts at `hourStartMs`. */
export function arpaeHourIndex(hourStartMs: number): number {
  const local = hourStartMs + ARPAE_OFFSET_MS
  const day = Math.floor(local / DAY_MS)
  const hour = Math.floor((local - day * DAY_MS) / HOUR_MS)
  return (arpaeSourceDay(day) - ARPAE_FIRST_DAY) * 24 + hour
}

/** Row index in a daily ARPAE file for the ARPAE day that contains `t`. */
export function arpaeDayIndex(t: number): number {
  const day = Math.floor((t + ARPAE_OFFSET_MS) / DAY_MS)
  return arpaeSourceDay(day) - ARPAE_FIRST_DAY
}
