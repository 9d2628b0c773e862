/**
 * The mobility theme of the public dashboards (docs/dashboards.md): traffic flows and speeds, the
 * congested share, ZTL accesses and bicycles over the last days — for the city, by district and by
 * statistical area, and hour by hour.
 *
 * Only the devices the open-data catalogue publishes (publishedDevices: the city's registries, never
 * generated demo devices), and only their aggregates: a device is placed in the district and the
 * statistical area that contain it (ST_Contains), and the figures are read with the hourly queries the
 * operators' dashboard and the open data use (server/src/db/dashboards.ts) — each device-hour from the
 * 1-hour rollups and raw history, then combined per area, per hour or over the period. ZTL accesses are
 * the vehicles the gates counted, as the open-data ZTL dataset sums them; the gates' unauthorised
 * transits are enforcement data, never read here.
 */
import { romeTime } from '../../../../contracts/alarm-rules'
import { CONGESTION_DEFAULTS } from '../../../../contracts/dashboard-api'
import type { ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import { areasOf } from '../../db/dashboard-areas'
import { bikeHoursByGroup, gateHoursByGroup, trafficHoursByGroup, type GroupMember } from '../../db/dashboards'
import { placeDevices, trafficPeriodByGroup, type PlacedDevice } from '../../db/theme-mobility'
import { publishedDevices } from '../../opendata/datasets/dataset-definition'
import { themeDashboard, type ThemeContext, type ThemeDefinition } from '../theme-definition'
import { areaLayerSources, importedSources, TWIN_SOURCE } from '../dashboard-sources'
import { CITY, mobilityPanels, MOBILITY_MEASURES, type AreaFigures, type MobilityFigures } from './mobility-panels'

const HOUR_MS = 3_600_000

/** A device's groups: the city, and the district and statistical area it is in (area ids are unique across levels). */
function membersOf(devices: readonly PlacedDevice[]): GroupMember[] {
  return devices.flatMap((d) => [
    { deviceId: d.id, group: CITY },
    ...(d.quartiereId === null ? [] : [{ deviceId: d.id, group: d.quartiereId }]),
    ...(d.areaStatisticaId === null ? [] : [{ deviceId: d.id, group: d.areaStatisticaId }]),
  ])
}

function addTo<K>(m: Map<K, number>, key: K, v: number): void {
  m.set(key, (m.get(key) ?? 0) + v)
}

/** The figures of the last `days` days up to now: the hour in progress is the last one. */
export async function readMobilityFigures(ctx: ThemeContext): Promise<MobilityFigures> {
  const { db, nowMs } = ctx
  const days = Math.max(1, ctx.days)
  const partialFromMs = Math.floor((nowMs - 1) / HOUR_MS) * HOUR_MS
  const fromMs = partialFromMs - (24 * days - 1) * HOUR_MS
  const hourStarts = Array.from({ length: 24 * days }, (_, i) => fromMs + i * HOUR_MS)

  const published = await publishedDevices(db, ['traffic-loop', 'bike-counter', 'ztl-gate'])
  const placed = new Map((await placeDevices(db, published.map((d) => d.id))).map((p) => [p.id, p]))
  const ofKind = (kind: string) => published.filter((d) => d.kind === kind).flatMap((d) => placed.get(d.id) ?? [])
  const loops = ofKind('traffic-loop')
  const counters = ofKind('bike-counter')
  const gates = ofKind('ztl-gate')

  const quartieri = await areasOf(db, 'quartiere')
  const aree = await areasOf(db, 'area_statistica')
  const traffic = await trafficPeriodByGroup(db, membersOf(loops), fromMs, nowMs, nowMs, CONGESTION_DEFAULTS)
  const trafficHours = await trafficHoursByGroup(db, loops.map((l) => ({ deviceId: l.id, group: CITY })), fromMs, nowMs, nowMs)
  const bikeHours = await bikeHoursByGroup(db, membersOf(counters), fromMs, nowMs, nowMs)
  const gateHours = await gateHoursByGroup(db, membersOf(gates), fromMs, nowMs, nowMs)

  // Per group over the period: bicycles and ZTL vehicles summed over its hours with data.
  const bikes = new Map<string, number>()
  for (const h of bikeHours) addTo(bikes, h.group, h.bikes)
  const ztl = new Map<string, number>()
  for (const h of gateHours) addTo(ztl, h.group, h.vehicles)

  const trafficOf = new Map(traffic.map((x) => [x.group, x]))
  const byGroup = new Map<string, AreaFigures>()
  const figuresOf = (group: string): AreaFigures => {
    const t = trafficOf.get(group)
    const b = bikes.get(group)
    const z = ztl.get(group)
    return {
      flow: t?.flowVehH ?? null,
      speed: t?.speedKmh ?? null,
      congestedShare: t?.congestedShare ?? null,
      ztlAccesses: z === undefined ? null : Math.round(z),
      bikes: b === undefined ? null : Math.round(b),
    }
  }
  for (const a of [...quartieri, ...aree]) byGroup.set(a.id, figuresOf(a.id))

  // ZTL vehicles by district and hour of the day: the district groups' hours, each on its Rome hour.
  const districtIds = new Set(quartieri.map((q) => q.id))
  const ztlByHourOfDay = new Map<string, Map<number, number>>()
  for (const h of gateHours) {
    if (!districtIds.has(h.group)) continue
    const hours = ztlByHourOfDay.get(h.group) ?? new Map<number, number>()
    ztlByHourOfDay.set(h.group, hours)
    addTo(hours, romeHourOf(h.tMs), h.vehicles)
  }

  const cityTraffic = trafficOf.get(CITY)
  return {
    nowMs,
    days,
    fromMs,
    hourStarts,
    quartieri,
    aree,
    city: figuresOf(CITY),
    devices: {
      loops: loops.length,
      loopsWithData: cityTraffic?.loops ?? 0,
      counters: counters.length,
      gates: gates.length,
      districtsWithGates: new Set(gates.flatMap((g) => (g.quartiereId === null ? [] : [g.quartiereId]))),
    },
    byArea: byGroup,
    cityHours: trafficHours.map((h) => ({ tMs: h.tMs, flowVehH: h.loops === 0 || h.flowVehH === null ? null : h.flowVehH / h.loops, speedKmh: h.speedKmh })),
    ztlByHourOfDay: new Map([...ztlByHourOfDay].map(([k, m]) => [k, new Map([...m].map(([hour, v]) => [hour, Math.round(v)]))])),
    datasets: [...new Set(published.map((d) => d.dataset))],
  }
}

/** The hour of the day (0–23) in Europe/Rome at an instant (the alarm rules' clock). */
export function romeHourOf(ms: number): number {
  return Math.floor(romeTime(ms).minutes / 60)
}

export const mobilityTheme: ThemeDefinition = {
  id: 'mobility',
  title: { it: 'Mobilità', en: 'Mobility' },
  description: {
    it: 'Flussi e velocità del traffico dalle spire, quota di ore congestionate, accessi ai varchi ZTL e biciclette contate: per quartiere, per area statistica e ora per ora, negli ultimi giorni. Solo aggregati dei dispositivi della città.',
    en: 'Traffic flows and speeds from the counting loops, share of congested hours, ZTL gate accesses and bicycles counted: by district, by statistical area and hour by hour, over the last days. Aggregates of the city’s devices only.',
  },
  days: { default: 7, max: 31 },
  async build(ctx: ThemeContext): Promise<ThemeDashboard> {
    const f = await readMobilityFigures(ctx)
    const sources = [...(await importedSources(ctx.db, f.datasets)), ...(await areaLayerSources(ctx.db)), TWIN_SOURCE]
    return themeDashboard(mobilityTheme, ctx.nowMs, {
      window: { fromMs: f.fromMs, toMs: ctx.nowMs, days: f.days },
      measures: MOBILITY_MEASURES,
      panels: mobilityPanels(f),
      sources,
    })
  },
}
