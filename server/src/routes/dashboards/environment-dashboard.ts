/**
 * The environment dashboard (contracts/dashboard-api.ts): every air-quality station, per pollutant the
 * latest value with its age and validity, an hourly (or, for daily pollutants, daily) series, today's
 * figures and this calendar year's exceedances of the D.Lgs. 155/2010 values — days and years on the
 * Europe/Rome calendar, as the air-quality alarm rules count them.
 */
import {
  AIR_QUALITY_STANDARDS,
  POLLUTANT_UNITS,
  PollutantSchema,
  type AirQualityStandard,
  type EnvironmentDashboard,
  type Pollutant,
  type StandardFigure,
  type StationPollutant,
} from '../../../../contracts/dashboard-api'
import { RULE_TIME_ZONE } from '../../../../contracts/alarm-rules'
import { liveQuality, streamIntervalS } from '../../../../contracts/schemas/live-state'
import { streamSpec } from '../../../../contracts/schemas/reading'
import type { Queryable } from '../../db/adapter'
import { airQualityHourly, airQualityYear, devicesWithLatest, type AirQualityHour, type AirQualityYear, type DashboardDevice, type HourlyReadOptions } from '../../db/dashboards'

const HOUR_MS = 3_600_000

// ---------------------------------------------------------------------------------------------
// The Europe/Rome calendar
// ---------------------------------------------------------------------------------------------

const romeFormat = new Intl.DateTimeFormat('en-CA', { timeZone: RULE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })

function romeParts(ms: number): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const p = Object.fromEntries(romeFormat.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]))
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour!, mi: p.minute!, s: p.second! }
}

/** Rome's offset from UTC at an instant (+1 h or +2 h). */
function romeOffsetMs(ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000
  const p = romeParts(whole)
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - whole
}

/** The instant of local midnight of a Rome date (never inside a DST change: those happen at 02:00–03:00). */
function romeMidnight(y: number, m: number, d: number): number {
  const wall = Date.UTC(y, m - 1, d)
  return wall - romeOffsetMs(wall - romeOffsetMs(wall))
}

export function romeDayStart(ms: number): number {
  const p = romeParts(ms)
  return romeMidnight(p.y, p.m, p.d)
}

export function romeYearStart(ms: number): number {
  return romeMidnight(romeParts(ms).y, 1, 1)
}

/** YYYY-MM-DD of the Rome day of `ms`. */
export function romeDate(ms: number): string {
  const p = romeParts(ms)
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`
}

// ---------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------

/** µg/m³ → the pollutant's display unit, without binary noise (1.2 mg/m³, not 1.2000000000000002). */
const toUnit = (pollutant: Pollutant, ug: number) => Number((POLLUTANT_UNITS[pollutant] === 'mg/m3' ? ug / 1000 : ug).toPrecision(12))
const UG_PER: Record<string, number> = { 'ug/m3': 1, 'mg/m3': 1000 }
const sumMean = (hours: AirQualityHour[]) => {
  const n = hours.reduce((a, h) => a + h.n, 0)
  return n === 0 ? null : hours.reduce((a, h) => a + h.meanUg * h.n, 0) / n
}

/**
 * The maximum 8-hour running mean of a day so far: the periods whose last hour is an hour of the day
 * that has begun, over ≥ 6 valid hours of the 8 (Directive 2008/50/EC Annex VII; as airQualityYear counts).
 */
function maxEightHourMeanUg(valid: Map<number, number>, dayStartMs: number, dayEndMs: number): number | null {
  let best: number | null = null
  for (let end = dayStartMs; end < dayEndMs; end += HOUR_MS) {
    const xs: number[] = []
    for (let h = end - 7 * HOUR_MS; h <= end; h += HOUR_MS) {
      const v = valid.get(h)
      if (v !== undefined) xs.push(v)
    }
    if (xs.length >= 6) {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length
      if (best === null || m > best) best = m
    }
  }
  return best
}

interface Calendar {
  nowMs: number
  todayFromMs: number
  tomorrowFromMs: number
  hourlyFromMs: number
  hourStarts: number[]
  dayStarts: number[]
}

/**
 * One pollutant at one station. `past` holds this year's days before today (from airQualityYear);
 * today is counted here from the hourly series, by the same rules: hours above, the day's mean
 * (so far) above, the day's maximum 8-hour mean above — strictly, invalid hours left out.
 */
function pollutantFigures(station: DashboardDevice, pollutant: Pollutant, hours: AirQualityHour[], past: AirQualityYear, cal: Calendar): StationPollutant {
  const latestRow = station.latest.find((l) => l.stream === pollutant)
  const spec = streamSpec('air-quality', pollutant)
  const averagingS = typeof latestRow?.values.averagingS === 'number' ? latestRow.values.averagingS : (spec?.defaultIntervalS ?? 3600)
  const daily = averagingS >= 86_400
  const valid = hours.filter((h) => h.validity !== 'invalid')

  let latest: StationPollutant['latest'] = null
  if (latestRow) {
    const v = latestRow.values
    const factor = UG_PER[String(v.unit)]
    const reported = latestRow.quality === 'clock_skew_future' ? 'uncertain' : latestRow.quality
    latest = {
      value: typeof v.value === 'number' && factor !== undefined ? toUnit(pollutant, v.value * factor) : null,
      validity: v.validity === 'valid' || v.validity === 'provisional' ? v.validity : 'invalid',
      observedAtMs: latestRow.observedAtMs,
      dataAgeMs: cal.nowMs - latestRow.observedAtMs,
      quality: liveQuality(reported, latestRow.observedAtMs, streamIntervalS('air-quality', pollutant, station.expectedIntervalS), cal.nowMs),
    }
  }

  const point = (tMs: number, inPeriod: AirQualityHour[]) => {
    const ok = inPeriod.filter((h) => h.validity !== 'invalid')
    const m = sumMean(ok)
    return { tMs, value: m === null ? null : toUnit(pollutant, m), provisional: inPeriod.some((h) => h.validity === 'provisional') }
  }
  const byHour = groupBy(hours, (h) => h.tMs)
  const byDay = groupBy(hours, (h) => h.dayMs)
  const series = daily
    ? { stepS: 86_400, points: cal.dayStarts.map((d) => point(d, byDay.get(d) ?? [])) }
    : { stepS: 3600, points: cal.hourStarts.map((t) => point(t, byHour.get(t) ?? [])) }

  const today = valid.filter((h) => h.dayMs === cal.todayFromMs)
  const maxHour = daily ? null : today.reduce<AirQualityHour | null>((m, h) => (m === null || h.meanUg > m.meanUg ? h : m), null)
  const todayMean = sumMean(today)
  const eight = daily ? null : maxEightHourMeanUg(new Map(valid.map((h) => [h.tMs, h.meanUg])), cal.todayFromMs, Math.min(cal.tomorrowFromMs, cal.nowMs))
  const before = past.sums.get(`${station.id}/${pollutant}`) ?? { periods: 0, readings: 0, sumUg: 0 }
  const readings = before.readings + today.reduce((a, h) => a + h.n, 0)
  const ytdMeanUg = readings === 0 ? null : (before.sumUg + today.reduce((a, h) => a + h.meanUg * h.n, 0)) / readings

  const standards = AIR_QUALITY_STANDARDS.filter((s) => s.pollutant === pollutant).map((s): StandardFigure => {
    const valueUg = s.averaging === 'hour' ? (maxHour?.meanUg ?? null) : s.averaging === 'day' ? todayMean : s.averaging === '8h' ? eight : ytdMeanUg
    const value = valueUg === null ? null : toUnit(pollutant, valueUg)
    const limitUg = thresholdUg(s)
    const todayAbove = s.averaging === 'hour' ? today.filter((h) => h.meanUg > limitUg).length : valueUg !== null && valueUg > limitUg ? 1 : 0
    const exceedances = s.averaging === 'year' ? null : (past.exceedances.get(`${station.id}/${s.id}`) ?? 0) + todayAbove
    return {
      standardId: s.id,
      value,
      above: value === null ? null : value > s.value,
      exceedancesThisYear: exceedances,
      allowedPerYear: s.allowedPerYear,
      breached: exceedances === null || s.allowedPerYear === null ? null : exceedances > s.allowedPerYear,
    }
  })

  return {
    pollutant,
    unit: POLLUTANT_UNITS[pollutant],
    averagingS,
    latest,
    series,
    today: {
      maxHourlyMean: maxHour ? toUnit(pollutant, maxHour.meanUg) : null,
      maxHourlyMeanAtMs: maxHour?.tMs ?? null,
      mean: todayMean === null ? null : toUnit(pollutant, todayMean),
      maxEightHourMean: eight === null ? null : toUnit(pollutant, eight),
    },
    yearToDate: { mean: ytdMeanUg === null ? null : toUnit(pollutant, ytdMeanUg), validValues: before.periods + today.length },
    standards,
  }
}

function groupBy<K, T>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>()
  for (const x of xs) {
    const k = key(x)
    const list = m.get(k)
    if (list) list.push(x)
    else m.set(k, [x])
  }
  return m
}

const thresholdUg = (s: AirQualityStandard) => s.value * (s.unit === 'mg/m3' ? 1000 : 1)

/**
 * This year's days before today change only with late readings (ARPAE's validation of past days
 * among them), and reading them is the costly part — a year of seven stations is 200,000 station-
 * hours — so each dashboard keeps them for 10 minutes; today is always read afresh.
 */
export const PAST_DAYS_TTL_MS = 10 * 60_000

export class PastDaysCache {
  private entry: { key: string; atMs: number; value: Promise<AirQualityYear> } | null = null
  constructor(private readonly ttlMs = PAST_DAYS_TTL_MS) {}

  get(key: string, nowMs: number, load: () => Promise<AirQualityYear>): Promise<AirQualityYear> {
    const e = this.entry
    if (e && e.key === key && nowMs >= e.atMs && nowMs - e.atMs < this.ttlMs) return e.value
    const value = load()
    this.entry = { key, atMs: nowMs, value }
    // A failed read is not kept: the next request tries again.
    value.catch(() => {
      if (this.entry?.value === value) this.entry = null
    })
    return value
  }
}

export interface EnvironmentReadOptions extends HourlyReadOptions {
  pastDays?: PastDaysCache
}

export async function readEnvironmentDashboard(db: Queryable, days: number, nowMs: number, opts: EnvironmentReadOptions = {}): Promise<EnvironmentDashboard> {
  const todayFromMs = romeDayStart(nowMs)
  const dayStarts = [todayFromMs]
  while (dayStarts.length < days) dayStarts.unshift(romeDayStart(dayStarts[0]! - 1))
  const hourEnd = Math.floor((nowMs - 1) / HOUR_MS) * HOUR_MS
  const hourlyFromMs = hourEnd - (24 * days - 1) * HOUR_MS
  const cal: Calendar = {
    nowMs,
    todayFromMs,
    tomorrowFromMs: romeDayStart(todayFromMs + 26 * HOUR_MS),
    hourlyFromMs,
    hourStarts: Array.from({ length: 24 * days }, (_, i) => hourlyFromMs + i * HOUR_MS),
    dayStarts,
  }
  const yearFromMs = romeYearStart(nowMs)
  // Today's 8-hour means reach back to 17:00 of yesterday.
  const seriesFromMs = Math.min(hourlyFromMs, dayStarts[0]!, todayFromMs - 7 * HOUR_MS)

  const stations = await devicesWithLatest(db, ['air-quality'])
  const ids = stations.map((s) => s.id)
  const streams = PollutantSchema.options
  const exceedanceStandards = AIR_QUALITY_STANDARDS.flatMap((s) => (s.averaging === 'year' ? [] : [{ id: s.id, pollutant: s.pollutant, averaging: s.averaging, thresholdUg: thresholdUg(s) }]))
  const readPast = () => airQualityYear(db, ids, streams, exceedanceStandards, yearFromMs, todayFromMs, nowMs, opts)
  const [hours, past] = await Promise.all([
    airQualityHourly(db, ids, streams, seriesFromMs, nowMs, nowMs, opts),
    opts.pastDays ? opts.pastDays.get(`${todayFromMs}|${ids.join(',')}`, nowMs, readPast) : readPast(),
  ])

  const hoursOf = groupBy(hours, (h) => `${h.deviceId}/${h.stream}`)
  return {
    serverTimeMs: nowMs,
    window: { days, hourlyFromMs, dailyFromMs: dayStarts[0]!, toMs: nowMs },
    today: { date: romeDate(nowMs), fromMs: todayFromMs },
    year: { year: romeParts(nowMs).y, fromMs: yearFromMs },
    standards: [...AIR_QUALITY_STANDARDS],
    stations: stations.map((s) => {
      const declared = Array.isArray(s.props.pollutants) ? s.props.pollutants : []
      const present = new Set<unknown>([...declared, ...s.latest.map((l) => l.stream)])
      return {
        deviceId: s.id,
        name: s.name,
        position: s.position,
        district: s.district?.name ?? null,
        pollutants: streams.filter((p) => present.has(p) || hoursOf.has(`${s.id}/${p}`)).map((p) => pollutantFigures(s, p, hoursOf.get(`${s.id}/${p}`) ?? [], past, cal)),
      }
    }),
  }
}
