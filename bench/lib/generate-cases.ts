/**
 * BENCH cases, generated deterministically (bench:cases, bench:dashboards): md5-seeded services,
 * positions inside the comune, statuses (a fifth open, some of those past their SLA), requested over
 * the last three years; one case in 5,000 is `citizenRef`'s own.
 */
import type { Db } from '../../server/src/db/adapter'

const COMUNE = { w: 11.23, s: 44.42, e: 11.43, n: 44.56 }

export async function generateCases(db: Db, count: number, nowMs: number, citizenRef: string): Promise<void> {
  const services = (await db.query<{ code: string; office_id: string }>(`SELECT code, office_id FROM case_service ORDER BY code`)).rows
  const codes = services.map((s) => `'${s.code}'`).join(',')
  const offices = services.map((s) => `'${s.office_id}'`).join(',')
  // h(i, k): a deterministic number in [0, 1) from the case number and a salt.
  const h = (k: string) => `(('x' || substr(md5(i::text || '${k}'), 1, 8))::bit(32)::bigint / 4294967296.0)`
  await db.query(`
    INSERT INTO citizen_case (service_code, status, description, attributes, location, office_id, requested_at, updated_at, expected_at, closed_at, sla_breached_at, source, published, citizen_ref)
    SELECT s.code, CASE WHEN open THEN 'in_progress' ELSE 'fixed' END, 'Segnalazione generata n. ' || i, '{}',
           ST_SetSRID(ST_MakePoint(${COMUNE.w} + ${h('x')} * ${COMUNE.e - COMUNE.w}, ${COMUNE.s} + ${h('y')} * ${COMUNE.n - COMUNE.s}), 4326),
           s.office, at, at, at + interval '72 hours', CASE WHEN open THEN NULL ELSE at + interval '40 hours' END,
           CASE WHEN open AND at < to_timestamp(${nowMs / 1000}) - interval '72 hours' THEN at + interval '72 hours' END, 'open311', true,
           CASE WHEN i % 5000 = 0 THEN '${citizenRef}' END
      FROM (SELECT i, ${h('o')} < 0.2 AS open, to_timestamp(${nowMs / 1000}) - (${h('t')} * CASE WHEN ${h('o')} < 0.2 THEN interval '10 days' ELSE interval '1095 days' END) AS at,
                   1 + floor(${h('s')} * ${services.length})::int AS k FROM generate_series(1, ${count}) AS i) g
      JOIN (SELECT unnest(ARRAY[${codes}]) AS code, unnest(ARRAY[${offices}]) AS office, generate_series(1, ${services.length}) AS k) s ON s.k = g.k`)
  await db.query(`ANALYZE citizen_case`)
}
