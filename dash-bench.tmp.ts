import { createTestDb } from './tests/helpers/test-db'
import { runRollups } from './server/src/jobs/rollup-job'
import { readMobilityDashboard } from './server/src/routes/dashboards/mobility-dashboard'
import { readEnvironmentDashboard } from './server/src/routes/dashboards/environment-dashboard'

const t = await createTestDb()
const db = t.db
const HOUR = 3_600_000
const now = Math.floor(Date.now() / 60_000) * 60_000
try {
  await db.exec(`INSERT INTO area (id, kind, code, name, dataset, geom)
    SELECT 'quartiere-' || i, 'quartiere', i::text, 'Q' || i, 'b', ST_MakeEnvelope(11.20 + (i - 1) * 0.05, 44.40, 11.20 + i * 0.05, 44.60, 4326) FROM generate_series(1, 6) i`)
  await db.exec(`INSERT INTO device (id, kind, name, geom, expected_interval_s, source)
    SELECT 'loop-' || i, 'traffic-loop', 'L' || i, ST_SetSRID(ST_MakePoint(11.2 + random() * 0.3, 44.4 + random() * 0.2), 4326), 60, 'generated' FROM generate_series(1, 863) i`)
  await db.exec(`INSERT INTO device (id, kind, name, geom, expected_interval_s, source)
    SELECT 'bike-' || i, 'bike-counter', 'B' || i, ST_SetSRID(ST_MakePoint(11.2 + random() * 0.3, 44.4 + random() * 0.2), 4326), 900, 'generated' FROM generate_series(1, 24) i`)
  await db.exec(`INSERT INTO device (id, kind, name, geom, expected_interval_s, source)
    SELECT 'aq-' || i, 'air-quality', 'S' || i, ST_SetSRID(ST_MakePoint(11.2 + random() * 0.3, 44.4 + random() * 0.2), 4326), 3600, 'generated' FROM generate_series(1, 7) i`)
  let t0 = Date.now()
  await db.query(`INSERT INTO traffic_reading (device_id, stream, observed_at, seq, received_at, quality, flow_veh_h, occupancy_pct, speed_kmh, interval_s, lane)
    SELECT 'loop-' || i, 'traffic', g, extract(epoch FROM g)::bigint, g, 'good', 300 + random() * 500, random() * 60, 20 + random() * 40, 60, 0
    FROM generate_series(to_timestamp($1 / 1000.0) - interval '25 hours', to_timestamp($1 / 1000.0) - interval '1 minute', interval '1 minute') g, generate_series(1, 863) i`, [now])
  await db.query(`INSERT INTO latest_state (device_id, stream, observed_at, seq, received_at, quality, vals)
    SELECT 'loop-' || i, 'traffic', to_timestamp($1 / 1000.0) - interval '1 minute', 1, now(), 'good', '{"flowVehH": 500, "occupancyPct": 20, "speedKmh": 40, "intervalS": 60}' FROM generate_series(1, 863) i`, [now])
  await db.query(`INSERT INTO bike_count_reading (device_id, stream, observed_at, seq, received_at, quality, interval_s, bikes)
    SELECT 'bike-' || i, 'bikes', g, extract(epoch FROM g)::bigint, g, 'good', 900, (random() * 40)::int
    FROM generate_series(to_timestamp($1 / 1000.0) - interval '25 hours', to_timestamp($1 / 1000.0) - interval '1 minute', interval '15 minutes') g, generate_series(1, 24) i`, [now])
  const yearStart = Date.parse('2026-01-01T00:00:00+01:00')
  await db.query(`INSERT INTO air_quality_reading (device_id, stream, observed_at, seq, received_at, quality, value, unit, validity, averaging_s)
    SELECT 'aq-' || i, s, g, extract(epoch FROM g)::bigint, g, 'good', random() * 220, 'ug/m3', 'valid', 3600
    FROM generate_series(to_timestamp($1 / 1000.0), to_timestamp($2 / 1000.0) - interval '1 hour', interval '1 hour') g, generate_series(1, 7) i, unnest(array['no2','o3','co','ch4']) s`, [yearStart, now])
  await db.query(`INSERT INTO air_quality_reading (device_id, stream, observed_at, seq, received_at, quality, value, unit, validity, averaging_s)
    SELECT 'aq-' || i, s, g, extract(epoch FROM g)::bigint, g, 'good', random() * 80, 'ug/m3', 'valid', 86400
    FROM generate_series(to_timestamp($1 / 1000.0), to_timestamp($2 / 1000.0) - interval '1 day', interval '1 day') g, generate_series(1, 7) i, unnest(array['pm10','pm25']) s`, [yearStart, now])
  console.log('loaded in', Date.now() - t0, 'ms')
  t0 = Date.now()
  await db.query(`INSERT INTO rollup_queue (shape, min_bucket, is_range) VALUES ('traffic', '-infinity', true), ('bike-count', '-infinity', true), ('air-quality', '-infinity', true)`)
  for (;;) { const r = await db.transaction((tx) => runRollups(tx)); if (r.queueRows === 0) break }
  await db.exec('ANALYZE')
  console.log('rolled up in', Date.now() - t0, 'ms')
  const { airQualityYear, airQualityHourly, devicesWithLatest } = await import('./server/src/db/dashboards')
  const ids = ['aq-1','aq-2','aq-3','aq-4','aq-5','aq-6','aq-7']
  const streams = ['no2','o3','pm10','pm25','co','ch4']
  const std = [{ id: 'no2-hour', pollutant: 'no2', averaging: 'hour' as const, thresholdUg: 200 }, { id: 'pm10-day', pollutant: 'pm10', averaging: 'day' as const, thresholdUg: 50 }, { id: 'o3-8h', pollutant: 'o3', averaging: '8h' as const, thresholdUg: 120 }, { id: 'co-8h', pollutant: 'co', averaging: '8h' as const, thresholdUg: 10000 }]
  {
    const orig = db.query.bind(db)
    let captured: { sql: string; params: unknown[] } | null = null
    ;(db as any).query = async (sql: string, params?: unknown[]) => { if (sql.includes('periods AS')) captured = { sql, params: params ?? [] }; return orig(sql, params as any) }
    await airQualityYear(db, ids, streams, std, yearStart, now, now)
    ;(db as any).query = orig
    const r = await db.query('EXPLAIN (ANALYZE, BUFFERS) ' + captured!.sql, captured!.params)
    console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n'))
  }
  for (let i = 0; i < 1; i++) {
    let s = performance.now(); await airQualityYear(db, ids, streams, std, yearStart, now, now); console.log('year', (performance.now() - s).toFixed(0))
    s = performance.now(); await airQualityYear(db, ids, streams, std.filter((x) => x.averaging !== '8h'), yearStart, now, now); console.log('year without 8h', (performance.now() - s).toFixed(0))
    s = performance.now(); await airQualityHourly(db, ids, streams, now - 8 * 86400000, now, now); console.log('hourly', (performance.now() - s).toFixed(0))
    s = performance.now(); await devicesWithLatest(db, ['air-quality']); console.log('devices', (performance.now() - s).toFixed(0))
  }
  for (let i = 0; i < 1; i++) {
    let s = performance.now(); const m = await readMobilityDashboard(db, 24, now); const a = performance.now() - s
    s = performance.now(); const e = await readEnvironmentDashboard(db, 7, now); const b = performance.now() - s
    s = performance.now(); await readMobilityDashboard(db, 168, now); const c = performance.now() - s
    console.log(`mobility 24h ${a.toFixed(0)} ms (${JSON.stringify(m).length} B), environment 7d ${b.toFixed(0)} ms (${JSON.stringify(e).length} B), mobility 168h ${c.toFixed(0)} ms`)
  }
} finally {
  await t.drop()
}
