/**
 * The KPIs Gemello measures itself (docs/pmo.md "Live KPIs"), read when a project is read:
 *   devices-online      % of the city's field devices (not generated ones) whose latest reading is
 *                       current: not older than 3 expected intervals, and not reported bad
 *   datasets-published  open datasets harvesters can read now (published, with rows)
 *   services-online     citizen services that run their full cycle online (active in the catalogue:
 *                       reported, followed and closed online, Open311 and the citizen pages)
 *   case-sla            % of the cases closed in the last 90 days that closed by their SLA's time
 * A value is null when there is nothing to measure (no device, no closed case).
 */
import type { KpiValue } from '../../../contracts/pmo-api'
import { LIVE_KPIS, type LiveKpi, type Project } from '../../../contracts/schemas/pmo'
import type { Queryable } from '../db/adapter'
import { publishedDatasets } from '../db/opendata'
import { kpiStatus } from '../domain/pmo/pmo-health'
import { DATASETS } from '../opendata/datasets/registry'

export type LiveValues = Record<LiveKpi, number | null>

export async function measureLiveKpis(q: Queryable, nowMs: number): Promise<LiveValues> {
  const devices = await q.query<{ total: number; current: number }>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM latest_state s WHERE s.device_id = d.id AND s.quality <> 'bad'
                AND s.observed_at >= to_timestamp($1::float8 / 1000) - make_interval(secs => 3 * d.expected_interval_s)))::int AS current
     FROM device d WHERE d.source <> 'generated'`,
    [nowMs],
  )
  const services = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_service WHERE active`)
  const sla = await q.query<{ closed: number; in_time: number }>(
    `SELECT count(*)::int AS closed, count(*) FILTER (WHERE closed_at <= expected_at)::int AS in_time FROM citizen_case
     WHERE closed_at >= to_timestamp($1::float8 / 1000) - interval '90 days' AND closed_at <= to_timestamp($1::float8 / 1000) AND expected_at IS NOT NULL`,
    [nowMs],
  )
  const published = await publishedDatasets(q)
  const listed = DATASETS.filter((d) => {
    const row = published.get(d.id)
    return row !== undefined && row.files.length > 0 && row.rowCount > 0
  }).length
  const pct = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : null)
  const dv = devices.rows[0]!
  const s = sla.rows[0]!
  return {
    'devices-online': pct(Number(dv.current), Number(dv.total)),
    'datasets-published': listed,
    'services-online': Number(services.rows[0]?.n ?? 0),
    'case-sla': pct(Number(s.in_time), Number(s.closed)),
  }
}

/** A project's KPIs as read: live ones with the values measured at `nowMs`, hand-entered ones as entered. */
export function kpiValues(p: Project, live: LiveValues | null, nowMs: number, today: string): KpiValue[] {
  return p.kpis.map((k) => {
    const actual = k.live ? (live?.[k.live] ?? null) : k.actual
    const measuredAtMs = k.live ? (live ? nowMs : null) : k.actualDate ? Date.parse(`${k.actualDate}T12:00:00Z`) : null
    const v = { key: k.key, title: k.title, unit: k.live ? LIVE_KPIS[k.live].unit : k.unit, baseline: k.baseline, target: k.target, targetDate: k.targetDate, direction: k.direction, live: k.live, actual, measuredAtMs }
    return { ...v, status: kpiStatus(v, p.startDate, today) }
  })
}
