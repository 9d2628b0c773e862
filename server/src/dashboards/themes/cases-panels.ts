/**
 * The citizen-cases dashboard's measures and panels, assembled from the aggregates of
 * server/src/db/theme-works-cases.ts — pure, no database. Counts, shares and medians only.
 */
import type { AreaLevel, AreaRow, Localised, Measure, Panel } from '../../../../contracts/theme-dashboard-api'
import { areaRows, type AreaRef } from '../../db/dashboard-areas'
import type { CaseGroup, CaseTotals, OpenCount, WeekVolume } from '../../db/theme-works-cases'

const m = (id: string, it: string, en: string, format: Measure['format'], higherIsWorse = false): Measure => ({ id, label: { it, en }, unit: null, format, higherIsWorse })

export const CASE_MEASURES = {
  received: m('received', 'Segnalazioni ricevute', 'Cases received', 'integer'),
  open: m('open', 'Ancora aperte', 'Still open', 'integer'),
  closed: m('closed', 'Chiuse', 'Closed', 'integer'),
  inTimeShare: m('inTimeShare', 'Chiuse entro i tempi previsti', 'Closed within the SLA', 'percent'),
  medianHours: m('medianHours', 'Tempo per chiudere (mediana)', 'Time to close (median)', 'hours'),
  breached: m('breached', 'Oltre i tempi previsti', 'Past the SLA', 'integer', true),
  breachedShare: m('breachedShare', 'Quota oltre i tempi previsti', 'Share past the SLA', 'percent', true),
} as const
const M = CASE_MEASURES

export interface ServiceLabel {
  code: string
  name: Localised
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null)

const BREACH_NOTE: Localised = {
  it: 'Oltre i tempi: chiusa dopo la data prevista dal servizio, o ancora aperta dopo di essa.',
  en: 'Past the SLA: closed after the service’s expected time, or still open past it.',
}

export function caseKpis(t: CaseTotals, days: number): Panel[] {
  const period: Localised = { it: `Ricevute negli ultimi ${days} giorni`, en: `Received in the last ${days} days` }
  const kpi = (id: string, measure: Measure, value: number | null, note: Localised): Panel => ({ kind: 'kpi', id, title: measure.label, measureId: measure.id, value, note })
  return [
    kpi('received', M.received, t.received, { it: `Negli ultimi ${days} giorni`, en: `In the last ${days} days` }),
    kpi('open', M.open, t.open, period),
    kpi('in-time', M.inTimeShare, ratio(t.closedInTime, t.closedWithSla), { it: `Di ${t.closedWithSla} chiuse tra le ricevute nel periodo`, en: `Of the ${t.closedWithSla} closed among those received in the period` }),
    kpi('median-hours', M.medianHours, t.medianHoursToClose, { it: 'Dalla segnalazione alla chiusura, tra le ricevute nel periodo', en: 'From report to closure, among those received in the period' }),
  ]
}

/**
 * Every area of the level: cases received, share past the SLA, median hours to close. An area without
 * a case has 0 cases and no share or median (null: nothing to measure, drawn hatched).
 */
export function caseAreaRows(areas: readonly AreaRef[], byArea: ReadonlyMap<string, CaseGroup>): AreaRow[] {
  const values = new Map(
    areas.map((a) => {
      const g = byArea.get(a.id)
      return [a.id, { received: g?.received ?? 0, breachedShare: g ? ratio(g.breached, g.received) : null, medianHours: g?.medianHoursToClose ?? null }]
    }),
  )
  return areaRows(areas, values, [M.received.id, M.breachedShare.id, M.medianHours.id])
}

export function caseChoropleth(levels: Partial<Record<AreaLevel, AreaRow[]>>): Panel {
  return {
    kind: 'choropleth',
    id: 'cases-by-area',
    title: { it: 'Segnalazioni per area', en: 'Cases by area' },
    measureIds: [M.received.id, M.breachedShare.id, M.medianHours.id],
    levels,
    note: {
      it: `Segnalazioni pubbliche ricevute nel periodo, nell’area che contiene il punto segnalato. Senza dati della popolazione, nessun valore per abitante. ${BREACH_NOTE.it}`,
      en: `Public cases received in the period, in the area containing the reported point. No population data, so no figure per inhabitant. ${BREACH_NOTE.en}`,
    },
  }
}

export function weeklyChart(weeks: readonly WeekVolume[]): Panel {
  return {
    kind: 'chart',
    id: 'weekly-volumes',
    title: { it: 'Segnalazioni ricevute e chiuse per settimana', en: 'Cases received and closed by week' },
    chart: 'line',
    xKind: 'time',
    xLabel: { it: 'Settimana (da lunedì, ora di Roma)', en: 'Week (from Monday, Rome time)' },
    measureId: M.received.id,
    series: [
      { id: 'received', label: M.received.label, points: weeks.map((w) => ({ x: w.weekStartMs, y: w.received })) },
      { id: 'closed', label: M.closed.label, points: weeks.map((w) => ({ x: w.weekStartMs, y: w.closed })) },
    ],
    references: [],
    note: {
      it: 'Ricevute: per settimana della segnalazione; chiuse: per settimana della chiusura, anche se ricevute prima del periodo. La prima e l’ultima settimana sono parziali.',
      en: 'Received: by the week reported; closed: by the week closed, even when received before the period. The first and last weeks are partial.',
    },
  }
}

/** The services to list: every active one, and any other that has cases in the period. */
export function servicesShown(services: ReadonlyArray<ServiceLabel & { active: boolean }>, withCases: ReadonlySet<string>): ServiceLabel[] {
  return services.filter((s) => s.active || withCases.has(s.code)).map((s) => ({ code: s.code, name: s.name }))
}

export function serviceChart(services: readonly ServiceLabel[], byService: ReadonlyMap<string, CaseGroup>): Panel {
  return {
    kind: 'chart',
    id: 'cases-by-service',
    title: { it: 'Segnalazioni per servizio', en: 'Cases by service' },
    chart: 'bar',
    xKind: 'category',
    xLabel: { it: 'Servizio', en: 'Service' },
    categories: services.map((s) => ({ key: s.code, label: s.name })),
    measureId: M.received.id,
    series: [
      { id: 'received', label: M.received.label, points: services.map((s) => ({ x: s.code, y: byService.get(s.code)?.received ?? 0 })) },
      { id: 'breached', label: M.breached.label, points: services.map((s) => ({ x: s.code, y: byService.get(s.code)?.breached ?? 0 })) },
    ],
    references: [],
    note: BREACH_NOTE,
  }
}

export function openByDistrictChart(districts: readonly AreaRef[], services: readonly ServiceLabel[], open: readonly OpenCount[]): Panel {
  const n = new Map(open.map((o) => [`${o.districtId}\u0000${o.serviceCode}`, o.open]))
  return {
    kind: 'chart',
    id: 'open-by-district',
    title: { it: 'Segnalazioni aperte per quartiere e servizio', en: 'Open cases by district and service' },
    chart: 'stacked',
    xKind: 'category',
    xLabel: { it: 'Quartiere', en: 'District' },
    categories: districts.map((d) => ({ key: d.id, label: { it: d.name, en: d.name } })),
    measureId: M.open.id,
    series: services.map((s) => ({ id: s.code, label: s.name, points: districts.map((d) => ({ x: d.id, y: n.get(`${d.id}\u0000${s.code}`) ?? 0 })) })),
    references: [],
    note: { it: 'Tra le segnalazioni ricevute nel periodo, quelle ancora aperte.', en: 'Among the cases received in the period, those still open.' },
  }
}
