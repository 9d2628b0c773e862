import { describe, expect, it } from 'vitest'
import {
  ARPAE_DAYS,
  ARPAE_FIRST_DAY,
  arpaeDayIndex,
  arpaeHourIndex,
  arpaeSourceDay,
  bolognaLocal,
  civilDate,
  DAY_MS,
  dayNumber,
  HOUR_MS,
  romeOffsetMs,
  SOURCE_HOLIDAYS,
  TRAFFIC_SOURCE_FIRST_DAY,
  trafficSourceDay,
  weekdayOf,
} from './source-calendar'

const romeParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Rome',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

describe('Bologna civil time', () => {
  it('knows 1 January 1970 was a Thursday and 1 January 2024 a Monday', () => {
    expect(weekdayOf(0)).toBe(3)
    expect(weekdayOf(dayNumber(2024, 1, 1))).toBe(0)
    expect(civilDate(dayNumber(2024, 2, 29))).toEqual({ year: 2024, month: 2, day: 29 })
  })

  it('matches the Europe/Rome time zone of the ICU database, DST changes included', () => {
    const start = Date.UTC(2023, 0, 1)
    for (let t = start; t < Date.UTC(2028, 0, 1); t += 7 * HOUR_MS + 13 * 60_000) {
      const p = Object.fromEntries(romeParts.formatToParts(new Date(t)).map((x) => [x.type, x.value]))
      const local = bolognaLocal(t)
      expect(civilDate(local.day)).toEqual({ year: Number(p.year), month: Number(p.month), day: Number(p.day) })
      expect([local.hour, local.minute]).toEqual([Number(p.hour), Number(p.minute)])
    }
    expect(romeOffsetMs(Date.UTC(2026, 2, 29, 0, 59))).toBe(HOUR_MS)
    expect(romeOffsetMs(Date.UTC(2026, 2, 29, 1, 0))).toBe(2 * HOUR_MS)
    expect(romeOffsetMs(Date.UTC(2026, 9, 25, 1, 0))).toBe(HOUR_MS)
  })
})

describe('traffic source day', () => {
  const simDays = Array.from({ length: 3 * 365 }, (_, i) => dayNumber(2025, 1, 1) + i)

  it('keeps the weekday and stays inside 1 January – 28 April 2024', () => {
    for (const d of simDays) {
      const src = trafficSourceDay(d)
      expect(weekdayOf(src)).toBe(weekdayOf(d))
      expect(src).toBeGreaterThanOrEqual(TRAFFIC_SOURCE_FIRST_DAY)
      expect(src).toBeLessThanOrEqual(dayNumber(2024, 4, 28))
    }
  })

  it('never replays a public holiday', () => {
    for (const d of simDays) expect(SOURCE_HOLIDAYS.has(trafficSourceDay(d))).toBe(false)
  })

  it('walks the source days in order, so midnight is continuous', () => {
    let continuous = 0
    for (const d of simDays) if (trafficSourceDay(d + 1) === trafficSourceDay(d) + 1) continuous++
    // Breaks only at holiday substitutions and at the 17-week wrap.
    expect(continuous / simDays.length).toBeGreaterThan(0.9)
  })

  it('is deterministic', () => {
    expect(trafficSourceDay(dayNumber(2026, 11, 26))).toBe(trafficSourceDay(dayNumber(2026, 11, 26)))
  })
})

describe('ARPAE source time', () => {
  it('keeps the weekday and the season: same weekday, at most 3 days from the same day of the year', () => {
    for (let d = dayNumber(2025, 1, 1); d < dayNumber(2028, 1, 1); d++) {
      const src = arpaeSourceDay(d)
      expect(weekdayOf(src)).toBe(weekdayOf(d))
      expect(src).toBeGreaterThanOrEqual(ARPAE_FIRST_DAY)
      expect(src).toBeLessThan(ARPAE_FIRST_DAY + ARPAE_DAYS)
      const doy = d - dayNumber(civilDate(d).year, 1, 1)
      const srcDoy = src - ARPAE_FIRST_DAY
      expect(Math.min(Math.abs(srcDoy - doy), 366 - Math.abs(srcDoy - doy))).toBeLessThanOrEqual(7)
    }
  })

  it('indexes hours in UTC+01:00 and keeps the hour of day', () => {
    // Thursday 2026-11-26 08:00+01:00 → a Thursday of late November 2024, hour 8.
    const t = Date.UTC(2026, 10, 26, 7)
    const index = arpaeHourIndex(t)
    expect(index % 24).toBe(8)
    const srcDay = ARPAE_FIRST_DAY + Math.floor(index / 24)
    expect(weekdayOf(srcDay)).toBe(weekdayOf(dayNumber(2026, 11, 26)))
    expect(civilDate(srcDay).month).toBe(11)
  })

  it('starts ARPAE days at 23:00Z', () => {
    const t = Date.UTC(2026, 10, 25, 23)
    expect(arpaeDayIndex(t)).toBe(arpaeDayIndex(t + DAY_MS - 1))
    expect(arpaeDayIndex(t - 1)).not.toBe(arpaeDayIndex(t))
  })
})
