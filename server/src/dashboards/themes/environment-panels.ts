/**
 * The environment theme's measures and panels (contracts/theme-dashboard-api.ts) from the environment
 * dashboard's figures (contracts/dashboard-api.ts EnvironmentDashboard), with the legal values of
 * AIR_QUALITY_STANDARDS as KPI notes and as the charts' reference lines.
 */
import { AIR_QUALITY_STANDARDS, type AirQualityStandard, type EnvironmentDashboard, type Pollutant, type Station } from '../../../../contracts/dashboard-api'
import type { Localised, Measure, Panel } from '../../../../contracts/theme-dashboard-api'
import { romeDayStart } from '../../routes/dashboards/environment-dashboard'

const UG = 'µg/m³'

export const ENVIRONMENT_MEASURES: Measure[] = [
  { id: 'stations', label: { it: 'Stazioni che trasmettono', en: 'Stations reporting' }, unit: null, format: 'integer', higherIsWorse: false },
  { id: 'pm10Days', label: { it: 'Giorni sopra il limite giornaliero del PM10', en: 'Days above the PM10 daily limit' }, unit: null, format: 'integer', higherIsWorse: true },
  { id: 'no2Hours', label: { it: 'Ore sopra il limite orario dell’NO₂', en: 'Hours above the NO₂ hourly limit' }, unit: null, format: 'integer', higherIsWorse: true },
  { id: 'pm10', label: { it: 'PM10, media giornaliera', en: 'PM10, daily mean' }, unit: UG, format: 'decimal', higherIsWorse: true },
  { id: 'no2', label: { it: 'NO₂, media oraria', en: 'NO₂, hourly mean' }, unit: UG, format: 'decimal', higherIsWorse: true },
  { id: 'exceedances', label: { it: 'Superamenti nell’anno', en: 'Exceedances this year' }, unit: null, format: 'integer', higherIsWorse: true },
  { id: 'annualMean', label: { it: 'Media dall’inizio dell’anno', en: 'Year-to-date mean' }, unit: UG, format: 'decimal', higherIsWorse: true },
]

const POLLUTANT_LABEL: Record<Pollutant, string> = { no2: 'NO₂', o3: 'O₃', pm10: 'PM10', pm25: 'PM2.5', co: 'CO', ch4: 'CH₄' }
const UNIT_LABEL = { 'ug/m3': UG, 'mg/m3': 'mg/m³' } as const

function standard(id: string): AirQualityStandard {
  const s = AIR_QUALITY_STANDARDS.find((x) => x.id === id)
  if (!s) throw new Error(`AIR_QUALITY_STANDARDS has no standard "${id}"`)
  return s
}
const PM10_DAY = standard('pm10-day')
const NO2_HOUR = standard('no2-hour')
/** Limit values with a number of periods allowed above them each year (the exceedances chart). */
const COUNTED = AIR_QUALITY_STANDARDS.filter((s) => s.kind === 'limit' && s.allowedPerYear !== null && s.allowedPerYear > 0)
/** Annual limit values (the year-to-date chart). */
const ANNUAL = AIR_QUALITY_STANDARDS.filter((s) => s.kind === 'limit' && s.averaging === 'year')

const valueText = (s: AirQualityStandard) => `${s.value} ${UNIT_LABEL[s.unit]}`
const periodOf = (s: AirQualityStandard): Localised => (s.averaging === 'hour' ? { it: 'ore', en: 'hours' } : { it: 'giorni', en: 'days' })

const pollutantOf = (st: Station, p: Pollutant) => st.pollutants.find((x) => x.pollutant === p) ?? null
const figureOf = (st: Station, s: AirQualityStandard) => pollutantOf(st, s.pollutant)?.standards.find((f) => f.standardId === s.id) ?? null

/** The station with the most exceedances of a standard this year (the first by name on a tie); null when none measures it. */
function worst(stations: readonly Station[], s: AirQualityStandard): { station: Station; count: number } | null {
  let best: { station: Station; count: number } | null = null
  for (const station of stations) {
    const count = figureOf(station, s)?.exceedancesThisYear
    if (count !== null && count !== undefined && (best === null || count > best.count)) best = { station, count }
  }
  return best
}

/** Daily points of a series: as they are for a daily pollutant; an hourly one averaged over its Rome days. */
function dailyPoints(series: { stepS: number; points: Array<{ tMs: number; value: number | null }> }): Array<{ x: number; y: number | null }> {
  if (series.stepS >= 86_400) return series.points.map((p) => ({ x: p.tMs, y: p.value }))
  const days = new Map<number, number[]>()
  for (const p of series.points) {
    const d = romeDayStart(p.tMs)
    const xs = days.get(d) ?? []
    days.set(d, xs)
    if (p.value !== null) xs.push(p.value)
  }
  return [...days].map(([d, xs]) => ({ x: d, y: xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length }))
}

function exceedanceKpi(id: string, measureId: string, title: Localised, stations: readonly Station[], s: AirQualityStandard): Panel {
  const w = worst(stations, s)
  const per = periodOf(s)
  const allowed = s.allowedPerYear ?? 0
  const note: Localised = w
    ? {
        it: `Stazione peggiore: ${w.station.name}. Consentiti ${allowed} ${per.it} all’anno sopra ${valueText(s)} (${s.source}).`,
        en: `Worst station: ${w.station.name}. ${allowed} ${per.en} a year above ${valueText(s)} allowed (${s.source}).`,
      }
    : { it: `Nessuna stazione misura il ${POLLUTANT_LABEL[s.pollutant]}.`, en: `No station measures ${POLLUTANT_LABEL[s.pollutant]}.` }
  return { kind: 'kpi', id, title, measureId, value: w?.count ?? null, note }
}

function stationSeriesChart(id: string, measureId: string, title: Localised, stations: readonly Station[], s: AirQualityStandard, points: (st: Station) => Array<{ x: number; y: number | null }> | null, note: Localised): Panel {
  return {
    kind: 'chart',
    id,
    title,
    chart: 'line',
    xKind: 'time',
    xLabel: s.averaging === 'hour' ? { it: 'Ora', en: 'Hour' } : { it: 'Giorno', en: 'Day' },
    measureId,
    series: stations.flatMap((st) => {
      const ps = points(st)
      return ps ? [{ id: st.deviceId, label: { it: st.name, en: st.name }, points: ps }] : []
    }),
    references: [{ label: { it: `Valore limite ${s.averaging === 'hour' ? 'orario' : 'giornaliero'} (${s.source})`, en: `${s.averaging === 'hour' ? 'Hourly' : 'Daily'} limit value (${s.source})` }, value: s.value }],
    note,
  }
}

export function environmentPanels(env: EnvironmentDashboard): Panel[] {
  const { stations } = env
  const reporting = stations.filter((st) => st.pollutants.some((p) => p.latest !== null && (p.latest.quality === 'good' || p.latest.quality === 'uncertain'))).length
  const categories = stations.map((st) => ({ key: st.deviceId, label: { it: st.name, en: st.name } }))
  const annualLimits = [...new Set(ANNUAL.map((s) => s.value))].map((value) => {
    const names = ANNUAL.filter((s) => s.value === value).map((s) => POLLUTANT_LABEL[s.pollutant]).join(', ')
    return { label: { it: `${names}: valore limite annuale`, en: `${names}: annual limit value` }, value }
  })

  return [
    {
      kind: 'kpi',
      id: 'stations',
      title: { it: 'Stazioni che trasmettono', en: 'Stations reporting' },
      measureId: 'stations',
      value: reporting,
      note: {
        it: `Su ${stations.length} stazioni, ora. Le stazioni sono punti: le misure valgono per la stazione, non per un quartiere o un’area statistica, quindi non c’è una mappa per area.`,
        en: `Of ${stations.length} stations, now. Stations are points: a measurement holds for the station, not for a district or a statistical area, so there is no map by area.`,
      },
    },
    exceedanceKpi('pm10-days', 'pm10Days', { it: 'PM10: giorni sopra il limite nell’anno', en: 'PM10: days above the limit this year' }, stations, PM10_DAY),
    exceedanceKpi('no2-hours', 'no2Hours', { it: 'NO₂: ore sopra il limite nell’anno', en: 'NO₂: hours above the limit this year' }, stations, NO2_HOUR),
    stationSeriesChart(
      'pm10-daily',
      'pm10',
      { it: 'PM10: media giornaliera per stazione', en: 'PM10: daily mean by station' },
      stations,
      PM10_DAY,
      (st) => {
        const p = pollutantOf(st, 'pm10')
        return p ? dailyPoints(p.series) : null
      },
      { it: 'Giorni di calendario (ora di Roma); dati non validi esclusi.', en: 'Calendar days (Rome time); invalid data left out.' },
    ),
    stationSeriesChart(
      'no2-hourly',
      'no2',
      { it: 'NO₂: media oraria per stazione', en: 'NO₂: hourly mean by station' },
      stations,
      NO2_HOUR,
      (st) => pollutantOf(st, 'no2')?.series.points.map((p) => ({ x: p.tMs, y: p.value })) ?? null,
      { it: 'Dati non validi esclusi.', en: 'Invalid data left out.' },
    ),
    {
      kind: 'chart',
      id: 'exceedances',
      title: { it: 'Superamenti nell’anno per stazione', en: 'Exceedances this year by station' },
      chart: 'bar',
      xKind: 'category',
      xLabel: { it: 'Stazione', en: 'Station' },
      categories,
      measureId: 'exceedances',
      series: COUNTED.map((s) => ({
        id: s.id,
        label: { it: `${POLLUTANT_LABEL[s.pollutant]}: ${periodOf(s).it} sopra ${valueText(s)}`, en: `${POLLUTANT_LABEL[s.pollutant]}: ${periodOf(s).en} above ${valueText(s)}` },
        points: stations.map((st) => ({ x: st.deviceId, y: figureOf(st, s)?.exceedancesThisYear ?? null })),
      })),
      references: COUNTED.map((s) => ({
        label: { it: `${POLLUTANT_LABEL[s.pollutant]}: ${s.allowedPerYear} ${periodOf(s).it} consentiti`, en: `${POLLUTANT_LABEL[s.pollutant]}: ${s.allowedPerYear} ${periodOf(s).en} allowed` },
        value: s.allowedPerYear!,
      })),
      note: {
        it: `Anno ${env.year.year} (calendario di Roma), oggi compreso; dati non validi esclusi (D.Lgs. 155/2010, Allegato XI).`,
        en: `Year ${env.year.year} (Rome calendar), today included; invalid data left out (D.Lgs. 155/2010, Annex XI).`,
      },
    },
    {
      kind: 'chart',
      id: 'annual-means',
      title: { it: 'Medie dall’inizio dell’anno e limiti annuali', en: 'Year-to-date means against the annual limits' },
      chart: 'bar',
      xKind: 'category',
      xLabel: { it: 'Stazione', en: 'Station' },
      categories,
      measureId: 'annualMean',
      series: ANNUAL.map((s) => ({
        id: s.id,
        label: { it: POLLUTANT_LABEL[s.pollutant], en: POLLUTANT_LABEL[s.pollutant] },
        points: stations.map((st) => ({ x: st.deviceId, y: figureOf(st, s)?.value ?? null })),
      })),
      references: annualLimits,
      note: {
        it: `Media di ${env.year.year} fin qui: indicativa finché l’anno non è chiuso.`,
        en: `Mean of ${env.year.year} so far: indicative until the year closes.`,
      },
    },
  ]
}
