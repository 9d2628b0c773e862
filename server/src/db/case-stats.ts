/**
 * Citizen-case statistics and the CSV export's rows (issue 10, docs/cases.md "Statistics and export"):
 * by service and district — open, closed, SLA breached, median hours to close — and the cases of a
 * period with the export's columns only (contracts/case-api.ts CASE_CSV_COLUMNS): no personal field,
 * no internal note, no assignee.
 */
import type { CaseStats } from '../../../contracts/case-api'
import type { Queryable } from './adapter'

interface StatsRow {
  service_code: string | null
  district_name: string | null
  total: string
  open: string
  closed: string
  breached: string
  median_h: number | null
  grp: number
}

/** Cases requested in [from, to] grouped by service × district, with the totals row (GROUPING SETS). */
export async function caseStats(q: Queryable, fromMs: number, toMs: number): Promise<CaseStats> {
  const r = await q.query<StatsRow>(
    `SELECT service_code, district_name, count(*) AS total,
            count(*) FILTER (WHERE closed_at IS NULL) AS open,
            count(*) FILTER (WHERE closed_at IS NOT NULL) AS closed,
            count(*) FILTER (WHERE sla_breached_at IS NOT NULL OR (closed_at IS NOT NULL AND expected_at IS NOT NULL AND closed_at > expected_at)) AS breached,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - requested_at) / 3600) FILTER (WHERE closed_at IS NOT NULL) AS median_h,
            GROUPING(service_code, district_name) AS grp
       FROM citizen_case WHERE requested_at >= $1 AND requested_at <= $2
      GROUP BY GROUPING SETS ((service_code, district_name), ())
      ORDER BY grp, service_code, district_name NULLS LAST`,
    [new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  )
  const row = (x: StatsRow) => ({
    total: Number(x.total),
    open: Number(x.open),
    closed: Number(x.closed),
    slaBreached: Number(x.breached),
    medianHoursToClose: x.median_h === null ? null : Math.round(Number(x.median_h) * 10) / 10,
  })
  const totals = r.rows.find((x) => Number(x.grp) !== 0)
  return {
    fromMs,
    toMs,
    rows: r.rows.filter((x) => Number(x.grp) === 0).map((x) => ({ serviceCode: x.service_code!, districtName: x.district_name, ...row(x) })),
    totals: totals ? row(totals) : { total: 0, open: 0, closed: 0, slaBreached: 0, medianHoursToClose: null },
  }
}

/** The export's rows, oldest first, keyed by CASE_CSV_COLUMNS (the description still to be scrubbed by the caller). */
export async function caseExportRows(q: Queryable, fromMs: number, toMs: number): Promise<Array<Record<string, unknown>>> {
  const r = await q.query<Record<string, unknown>>(
    `SELECT id, service_code, status, priority, requested_at, expected_at, closed_at,
            (sla_breached_at IS NOT NULL OR (closed_at IS NOT NULL AND expected_at IS NOT NULL AND closed_at > expected_at)) AS sla_breached,
            district_name AS district, office_id AS office, round(ST_X(location)::numeric, 6) AS lon, round(ST_Y(location)::numeric, 6) AS lat, address,
            CASE WHEN asset_feature_id IS NULL THEN NULL ELSE asset_collection || '/' || asset_feature_id END AS asset,
            incident_id, pmo_site_id, duplicate_of, source, description
       FROM citizen_case WHERE requested_at >= $1 AND requested_at <= $2 ORDER BY requested_at, id`,
    [new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  )
  return r.rows
}
