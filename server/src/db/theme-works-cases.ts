/**
 * The queries of the public-works and citizen-cases dashboards (docs/dashboards.md, themes in
 * server/src/dashboards/themes/works-theme.ts and cases-theme.ts): aggregates only — counts, sums,
 * medians by area, service, status or week. No description, address, note, reporter or assignee is
 * read here; the projects' documents are read through ./pmo.ts and only their public fields used.
 *
 * Cases: the public ones only, as the open dataset segnalazioni-cittadini has them
 * (server/src/opendata/datasets/case-datasets.ts: `published`, duplicates counted as the closed cases
 * they are). A case breached its SLA when the SLA job flagged it or it closed after its expected time —
 * as ./case-stats.ts counts — or it is still open past that time (flagged within a minute by the job;
 * counted already, so the figure does not depend on when the job last ran).
 *
 * Placing in areas: a case in its district by `district_area_id` (the quartiere containing its point,
 * set when it was created), in a statistical area by ST_Contains on its point. A work site in every area
 * its geometry intersects (ST_Intersects: a line or polygon across a boundary is in both areas).
 */
import type { AreaLevel } from '../../../contracts/theme-dashboard-api'
import type { Queryable } from './adapter'

const iso = (ms: number) => new Date(ms).toISOString()
const num = (v: unknown) => Number(v)
/** Median hours, to one decimal (as ./case-stats.ts rounds them). */
const hours = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10)

// ---------------------------------------------------------------------------------------------
// Works: where the PMO's sites are
// ---------------------------------------------------------------------------------------------

/** Project id → the ids of the areas of the level its site intersects (projects without a site, or outside every area, absent). */
export async function projectSiteAreas(q: Queryable, level: AreaLevel): Promise<Map<string, string[]>> {
  const r = await q.query<{ project_id: string; area_id: string }>(
    `SELECT p.id AS project_id, a.id AS area_id FROM pmo_project p JOIN area a ON a.kind = $1 AND ST_Intersects(a.geom, p.site)
      WHERE p.site IS NOT NULL ORDER BY p.id, a.id`,
    [level],
  )
  const out = new Map<string, string[]>()
  for (const x of r.rows) out.set(x.project_id, [...(out.get(x.project_id) ?? []), x.area_id])
  return out
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

/** The public cases received in [$1, $2] (timestamptz parameters). */
const RECEIVED = `c.published AND c.requested_at >= $1::timestamptz AND c.requested_at <= $2::timestamptz`
/** Breached its SLA as of $3 (see the file comment). */
const BREACHED = `(c.sla_breached_at IS NOT NULL OR (c.closed_at IS NOT NULL AND c.expected_at IS NOT NULL AND c.closed_at > c.expected_at)
  OR (c.closed_at IS NULL AND c.expected_at IS NOT NULL AND c.expected_at < $3::timestamptz))`
const MEDIAN_H = `percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.closed_at - c.requested_at) / 3600) FILTER (WHERE c.closed_at IS NOT NULL)`

export interface CasePeriod {
  fromMs: number
  toMs: number
  /** "Now": an open case past its expected time by then has breached. */
  nowMs: number
}
/** $1, $2: the period; $3: now (only where BREACHED is used). */
const received = (p: CasePeriod) => [iso(p.fromMs), iso(p.toMs)]
const receivedAsOf = (p: CasePeriod) => [iso(p.fromMs), iso(p.toMs), iso(p.nowMs)]

export interface CaseTotals {
  received: number
  open: number
  /** Closed cases that had an expected time, and those of them closed by it. */
  closedWithSla: number
  closedInTime: number
  medianHoursToClose: number | null
}

/** The cases received in the period: how many, still open, closed by their SLA's time, median hours to close. */
export async function caseTotals(q: Queryable, p: CasePeriod): Promise<CaseTotals> {
  const r = await q.query<{ received: unknown; open: unknown; closed_sla: unknown; in_time: unknown; median_h: unknown }>(
    `SELECT count(*) AS received, count(*) FILTER (WHERE c.closed_at IS NULL) AS open,
            count(*) FILTER (WHERE c.closed_at IS NOT NULL AND c.expected_at IS NOT NULL) AS closed_sla,
            count(*) FILTER (WHERE c.closed_at IS NOT NULL AND c.expected_at IS NOT NULL AND c.closed_at <= c.expected_at) AS in_time,
            ${MEDIAN_H} AS median_h
       FROM citizen_case c WHERE ${RECEIVED}`,
    received(p),
  )
  const x = r.rows[0]
  return {
    received: num(x?.received ?? 0),
    open: num(x?.open ?? 0),
    closedWithSla: num(x?.closed_sla ?? 0),
    closedInTime: num(x?.in_time ?? 0),
    medianHoursToClose: hours(x?.median_h),
  }
}

export interface CaseGroup {
  received: number
  breached: number
  medianHoursToClose: number | null
}

const group = (x: { received: unknown; breached: unknown; median_h: unknown }): CaseGroup => ({ received: num(x.received), breached: num(x.breached), medianHoursToClose: hours(x.median_h) })

/** Area id → the cases received in the period there (areas without a case absent). */
export async function casesByArea(q: Queryable, level: AreaLevel, p: CasePeriod): Promise<Map<string, CaseGroup>> {
  const place =
    level === 'quartiere'
      ? { from: 'citizen_case c', area: 'c.district_area_id', where: 'c.district_area_id IS NOT NULL' }
      : { from: `citizen_case c JOIN area a ON a.kind = 'area_statistica' AND ST_Contains(a.geom, c.location)`, area: 'a.id', where: 'true' }
  const r = await q.query<{ area_id: string; received: unknown; breached: unknown; median_h: unknown }>(
    `SELECT ${place.area} AS area_id, count(*) AS received, count(*) FILTER (WHERE ${BREACHED}) AS breached, ${MEDIAN_H} AS median_h
       FROM ${place.from} WHERE ${RECEIVED} AND ${place.where} GROUP BY 1`,
    receivedAsOf(p),
  )
  return new Map(r.rows.map((x) => [x.area_id, group(x)]))
}

/** Service code → the cases received in the period under it (services without a case absent). */
export async function casesByService(q: Queryable, p: CasePeriod): Promise<Map<string, CaseGroup>> {
  const r = await q.query<{ service_code: string; received: unknown; breached: unknown; median_h: unknown }>(
    `SELECT c.service_code, count(*) AS received, count(*) FILTER (WHERE ${BREACHED}) AS breached, ${MEDIAN_H} AS median_h
       FROM citizen_case c WHERE ${RECEIVED} GROUP BY 1`,
    receivedAsOf(p),
  )
  return new Map(r.rows.map((x) => [x.service_code, group(x)]))
}

export interface OpenCount {
  districtId: string
  serviceCode: string
  open: number
}

/** The cases received in the period and still open, by district and service. */
export async function openCasesByDistrictService(q: Queryable, p: CasePeriod): Promise<OpenCount[]> {
  const r = await q.query<{ district_area_id: string; service_code: string; open: unknown }>(
    `SELECT c.district_area_id, c.service_code, count(*) AS open FROM citizen_case c
      WHERE ${RECEIVED} AND c.closed_at IS NULL AND c.district_area_id IS NOT NULL
      GROUP BY 1, 2 ORDER BY 1, 2`,
    received(p),
  )
  return r.rows.map((x) => ({ districtId: x.district_area_id, serviceCode: x.service_code, open: num(x.open) }))
}

export interface WeekVolume {
  /** Monday 00:00 Europe/Rome, epoch ms. */
  weekStartMs: number
  received: number
  closed: number
}

/**
 * Every Europe/Rome week (Monday to Sunday) touching [from, to], oldest first, empty ones with 0: the
 * public cases received in it and those closed in it (whenever received), both within [from, to] — the
 * first and last weeks are partial.
 */
export async function weeklyCaseVolumes(q: Queryable, p: Omit<CasePeriod, 'nowMs'>): Promise<WeekVolume[]> {
  const week = (col: string) => `date_trunc('week', ${col} AT TIME ZONE 'Europe/Rome')`
  const r = await q.query<{ week_ms: unknown; received: unknown; closed: unknown }>(
    `WITH weeks AS (
       SELECT w FROM generate_series(${week('$1::timestamptz')}, ${week('$2::timestamptz')}, interval '1 week') AS w
     ), received AS (
       SELECT ${week('c.requested_at')} AS w, count(*) AS n FROM citizen_case c
        WHERE c.published AND c.requested_at >= $1::timestamptz AND c.requested_at <= $2::timestamptz GROUP BY 1
     ), closed AS (
       SELECT ${week('c.closed_at')} AS w, count(*) AS n FROM citizen_case c
        WHERE c.published AND c.closed_at >= $1::timestamptz AND c.closed_at <= $2::timestamptz GROUP BY 1
     )
     SELECT round(extract(epoch FROM weeks.w AT TIME ZONE 'Europe/Rome') * 1000)::float8 AS week_ms,
            coalesce(received.n, 0) AS received, coalesce(closed.n, 0) AS closed
       FROM weeks LEFT JOIN received ON received.w = weeks.w LEFT JOIN closed ON closed.w = weeks.w
      ORDER BY weeks.w`,
    [iso(p.fromMs), iso(p.toMs)],
  )
  return r.rows.map((x) => ({ weekStartMs: num(x.week_ms), received: num(x.received), closed: num(x.closed) }))
}
