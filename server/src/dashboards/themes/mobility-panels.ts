/**
 * The mobility theme's measures and panels (contracts/theme-dashboard-api.ts), from the figures
 * mobility-theme.ts reads: four KPIs for the city, one choropleth at both area levels, hourly flow and
 * speed, and ZTL accesses by district — by hour of the day and over the period.
 */
import { CONGESTION_DEFAULTS } from '../../../../contracts/dashboard-api'
import type { Localised, Measure, Panel } from '../../../../contracts/theme-dashboard-api'
import { areaRows, type AreaRef } from '../../db/dashboard-areas'

/** The group of every device (area ids never take this form). */
export const CITY = 'city:'

export interface AreaFigures {
  flow: number | null
  speed: number | null
  congestedShare: number | null
  ztlAccesses: number | null
  bikes: number | null
}

export interface MobilityFigures {
  nowMs: number
  days: number
  fromMs: number
  hourStarts: number[]
  quartieri: AreaRef[]
  aree: AreaRef[]
  city: AreaFigures
  devices: { loops: number; loopsWithData: number; counters: number; gates: number; districtsWithGates: ReadonlySet<string> }
  /** Area id (either level) → its figures; every area is there. */
  byArea: ReadonlyMap<string, AreaFigures>
  /** The city's hours with loop data: mean flow per loop, mean speed across the loops that measure it. */
  cityHours: Array<{ tMs: number; flowVehH: number | null; speedKmh: number | null }>
  /** District id → hour of the day (Europe/Rome) → vehicles through its gates over the period; hours without readings absent. */
  ztlByHourOfDay: ReadonlyMap<string, ReadonlyMap<number, number>>
  /** The datasets the devices were imported from (device.dataset). */
  datasets: Array<string | null>
}

export const MOBILITY_MEASURES: Measure[] = [
  { id: 'flow', label: { it: 'Flusso medio per spira', en: 'Mean flow per loop' }, unit: 'veh/h', format: 'decimal', higherIsWorse: false },
  { id: 'speed', label: { it: 'Velocità media', en: 'Mean speed' }, unit: 'km/h', format: 'decimal', higherIsWorse: false },
  {
    id: 'congestedShare',
    label: { it: 'Quota di ore congestionate', en: 'Share of congested hours' },
    unit: null,
    format: 'percent',
    higherIsWorse: true,
  },
  { id: 'ztlAccesses', label: { it: 'Accessi ZTL', en: 'ZTL accesses' }, unit: null, format: 'integer', higherIsWorse: false },
  { id: 'bikes', label: { it: 'Biciclette contate', en: 'Bicycles counted' }, unit: null, format: 'integer', higherIsWorse: false },
]
const MEASURE_IDS = MOBILITY_MEASURES.map((m) => m.id)

const round = (x: number | null, digits: number) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits)
/** Flows and speeds to 0.1, shares to 0.01 %: what a reader can tell apart. */
const presented = (f: AreaFigures): Record<string, number | null> => ({
  flow: round(f.flow, 1),
  speed: round(f.speed, 1),
  congestedShare: round(f.congestedShare, 4),
  ztlAccesses: f.ztlAccesses,
  bikes: f.bikes,
})

const period = (days: number): Localised => (days === 1 ? { it: 'ultime 24 ore', en: 'last 24 hours' } : { it: `ultimi ${days} giorni`, en: `last ${days} days` })
const ZTL_NOTE: Localised = {
  it: 'Veicoli contati dai varchi, con o senza permesso; i transiti non autorizzati non sono pubblicati (dati di controllo).',
  en: 'Vehicles counted by the gates, with or without a permit; unauthorised transits are not published (enforcement data).',
}
const HOURS_X: Localised = { it: 'Ora', en: 'Hour' }

export function mobilityPanels(f: MobilityFigures): Panel[] {
  const p = period(f.days)
  const city = presented(f.city)
  const kpi = (id: string, title: Localised, measureId: keyof AreaFigures, note: Localised): Panel => ({ kind: 'kpi', id, title, measureId, value: city[measureId] ?? null, note })
  const at = new Map(f.cityHours.map((h) => [h.tMs, h]))
  const hourly = (measureId: 'flow' | 'speed', pick: (h: MobilityFigures['cityHours'][number]) => number | null, title: Localised, note: Localised | null): Panel => ({
    kind: 'chart',
    id: `${measureId}-hourly`,
    title,
    chart: 'line',
    xKind: 'time',
    xLabel: HOURS_X,
    measureId,
    series: [{ id: 'city', label: { it: 'Città', en: 'City' }, points: f.hourStarts.map((tMs) => ({ x: tMs, y: round(at.has(tMs) ? pick(at.get(tMs)!) : null, 1) })) }],
    references: [],
    note,
  })
  const districtsWithGates = f.quartieri.filter((q) => f.devices.districtsWithGates.has(q.id))

  return [
    kpi('flow', { it: 'Flusso medio', en: 'Mean traffic flow' }, 'flow', {
      it: `Veicoli/ora per spira, media delle medie orarie di ${f.devices.loopsWithData} spire su ${f.devices.loops}, ${p.it}`,
      en: `Vehicles/hour per loop, mean of the hourly means of ${f.devices.loopsWithData} of ${f.devices.loops} loops, ${p.en}`,
    }),
    kpi('speed', { it: 'Velocità media', en: 'Mean speed' }, 'speed', {
      it: `Spire che misurano la velocità, ${p.it}`,
      en: `Loops that measure speed, ${p.en}`,
    }),
    kpi('ztl', { it: 'Accessi ai varchi ZTL', en: 'ZTL gate accesses' }, 'ztlAccesses', {
      it: `${f.devices.gates} varchi, ${p.it}. ${ZTL_NOTE.it}`,
      en: `${f.devices.gates} gates, ${p.en}. ${ZTL_NOTE.en}`,
    }),
    kpi('bikes', { it: 'Biciclette contate', en: 'Bicycles counted' }, 'bikes', {
      it: `${f.devices.counters} contabici, ${p.it}`,
      en: `${f.devices.counters} counters, ${p.en}`,
    }),
    {
      kind: 'choropleth',
      id: 'areas',
      title: { it: 'Mobilità per quartiere e area statistica', en: 'Mobility by district and statistical area' },
      measureIds: MEASURE_IDS,
      levels: {
        quartiere: areaRows(f.quartieri, new Map(f.quartieri.map((a) => [a.id, presented(f.byArea.get(a.id)!)])), MEASURE_IDS),
        area_statistica: areaRows(f.aree, new Map(f.aree.map((a) => [a.id, presented(f.byArea.get(a.id)!)])), MEASURE_IDS),
      },
      note: {
        it: `Dispositivi nell’area, ${p.it}. Congestione: ore di una spira con occupazione media ≥ ${CONGESTION_DEFAULTS.occupancyPctAtLeast} % e velocità media ≤ ${CONGESTION_DEFAULTS.speedKmhAtMost} km/h (o non misurata). Vuoto: nessun dispositivo o nessun dato.`,
        en: `Devices in the area, ${p.en}. Congestion: hours of a loop with mean occupancy ≥ ${CONGESTION_DEFAULTS.occupancyPctAtLeast} % and mean speed ≤ ${CONGESTION_DEFAULTS.speedKmhAtMost} km/h (or not measured). Empty: no device or no data.`,
      },
    },
    hourly('flow', (h) => h.flowVehH, { it: 'Flusso orario in città', en: 'Hourly flow in the city' }, { it: 'Veicoli/ora per spira, media delle spire con dati in quell’ora', en: 'Vehicles/hour per loop, mean of the loops with data in that hour' }),
    hourly('speed', (h) => h.speedKmh, { it: 'Velocità oraria in città', en: 'Hourly speed in the city' }, null),
    {
      kind: 'chart',
      id: 'ztl-by-hour',
      title: { it: 'Accessi ZTL per quartiere e ora del giorno', en: 'ZTL accesses by district and hour of day' },
      chart: 'stacked',
      xKind: 'hour',
      xLabel: { it: 'Ora del giorno', en: 'Hour of day' },
      measureId: 'ztlAccesses',
      series: districtsWithGates.map((q) => {
        const hours = f.ztlByHourOfDay.get(q.id)
        return { id: q.id, label: { it: q.name, en: q.name }, points: Array.from({ length: 24 }, (_, hour) => ({ x: hour, y: hours?.get(hour) ?? null })) }
      }),
      references: [],
      note: {
        it: `Somma sul periodo (${p.it}) per ora del giorno (ora di Roma); i quartieri senza varchi non sono mostrati. ${ZTL_NOTE.it}`,
        en: `Sum over the period (${p.en}) by hour of day (Rome time); districts without gates are not shown. ${ZTL_NOTE.en}`,
      },
    },
    {
      kind: 'chart',
      id: 'ztl-by-district',
      title: { it: 'Accessi ZTL per quartiere', en: 'ZTL accesses by district' },
      chart: 'bar',
      xKind: 'category',
      xLabel: { it: 'Quartiere', en: 'District' },
      categories: f.quartieri.map((q) => ({ key: q.id, label: { it: q.name, en: q.name } })),
      measureId: 'ztlAccesses',
      series: [{ id: 'ztl', label: { it: 'Accessi', en: 'Accesses' }, points: f.quartieri.map((q) => ({ x: q.id, y: f.byArea.get(q.id)?.ztlAccesses ?? null })) }],
      references: [],
      note: { it: `${p.it[0]!.toUpperCase()}${p.it.slice(1)}. ${ZTL_NOTE.it}`, en: `${p.en[0]!.toUpperCase()}${p.en.slice(1)}. ${ZTL_NOTE.en}` },
    },
  ]
}
