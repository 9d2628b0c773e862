import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../tests/helpers/test-env'
import { DEMO_CITY, importCity, REAL_CITY } from './import-city'
import { makeTempDir, removeTempDirs } from './testing/edge-case-files'

afterAll(removeTempDirs)

const HAS_CITY = existsSync(path.join(CITY_DATA_DIR, 'bologna-opendata/spire_anagrafica_2024.csv'))

describe('importCity without city data: the generated demo district', () => {
  let t: TestDb
  const missingDir = path.join(makeTempDir(), 'no-such-city')
  const q = async <R>(sql: string, params: unknown[] = []) => (await t.db.query<R>(sql, params)).rows
  const lines: string[] = []

  beforeAll(async () => {
    t = await createTestDb()
  })
  afterAll(async () => {
    await t?.drop()
  })

  it('loads the demo district and labels the city as generated', async () => {
    const report = await importCity(t.db, missingDir, { log: (l) => lines.push(l) })
    expect(report.city).toEqual(DEMO_CITY)
    expect(report.missingFiles.length).toBeGreaterThan(0)
    expect(report.datasets).toEqual([expect.objectContaining({ dataset: 'generated-demo', features: 113, rejected: 0, skipped: false })])
    expect(await q('SELECT name, data, label FROM city')).toEqual([{ name: 'Demo district', data: 'generated', label: 'Generated demo district — not real data' }])
    expect(lines.join('\n')).toMatch(/does not exist: loading the generated demo district \(not real data\)/)
  })

  it('stores every demo row as generated, under the generated-demo dataset', async () => {
    expect(await q('SELECT kind, source, dataset, count(*)::int AS n FROM device GROUP BY 1, 2, 3 ORDER BY 1')).toEqual([
      { kind: 'air-quality', source: 'generated', dataset: 'generated-demo', n: 2 },
      { kind: 'bike-counter', source: 'generated', dataset: 'generated-demo', n: 2 },
      { kind: 'connectivity', source: 'generated', dataset: 'generated-demo', n: 4 },
      { kind: 'traffic-loop', source: 'generated', dataset: 'generated-demo', n: 40 },
      { kind: 'ztl-gate', source: 'generated', dataset: 'generated-demo', n: 4 },
    ])
    expect(await q("SELECT count(*)::int AS n FROM street_arc WHERE dataset = 'generated-demo'")).toEqual([{ n: 60 }])
    expect(await q('SELECT kind, name FROM area')).toEqual([{ kind: 'quartiere', name: 'Demo district' }])
    expect(await q("SELECT count(*)::int AS n FROM device WHERE name NOT LIKE 'Demo%'")).toEqual([{ n: 0 }])
    // Around the real centre of Bologna.
    const [c] = await q<{ lon: number; lat: number }>('SELECT ST_X(ST_Centroid(ST_Collect(geom))) AS lon, ST_Y(ST_Centroid(ST_Collect(geom))) AS lat FROM street_arc')
    expect(c?.lon).toBeCloseTo(11.3426, 2)
    expect(c?.lat).toBeCloseTo(44.4949, 2)
  })

  it('skips the unchanged demo district on the next boot', async () => {
    const report = await importCity(t.db, missingDir)
    expect(report.datasets.map((d) => [d.dataset, d.skipped])).toEqual([['generated-demo', true]])
    expect(await q('SELECT count(*)::int AS n FROM device')).toEqual([{ n: 52 }])
  })

  /** Loops 863, ZTL gates 79, bike counters 24, ARPAE stations 5, field routers 79, signal controllers 13. */
  const REAL_DEVICES = 1063

  it.skipIf(!HAS_CITY)('replaces the demo district by the real city when the data appears', async () => {
    const report = await importCity(t.db, CITY_DATA_DIR)
    expect(report.city).toEqual(REAL_CITY)
    expect(await q("SELECT count(*)::int AS n FROM device WHERE dataset = 'generated-demo'")).toEqual([{ n: 0 }])
    expect(await q("SELECT count(*)::int AS n FROM dataset_import WHERE dataset_id = 'generated-demo'")).toEqual([{ n: 0 }])
    expect(await q('SELECT count(*)::int AS n FROM device')).toEqual([{ n: REAL_DEVICES }])
  })

  it.skipIf(!HAS_CITY)('keeps the real city when its files go missing, unless forced', async () => {
    const kept = await importCity(t.db, missingDir)
    expect(kept.city).toEqual(REAL_CITY)
    expect(kept.datasets).toEqual([])
    expect(await q('SELECT count(*)::int AS n FROM device')).toEqual([{ n: REAL_DEVICES }])

    const forced = await importCity(t.db, missingDir, { force: true })
    expect(forced.city).toEqual(DEMO_CITY)
    expect(await q('SELECT dataset, count(*)::int AS n FROM device GROUP BY 1')).toEqual([{ dataset: 'generated-demo', n: 52 }])
    expect(await q('SELECT count(*)::int AS n FROM street_arc')).toEqual([{ n: 60 }])
    // No real city layer stays under the demo district.
    expect(await q('SELECT (SELECT count(*) FROM building)::int AS b, (SELECT count(*) FROM road_edge)::int AS r, (SELECT count(*) FROM sumo_network)::int AS s')).toEqual([{ b: 0, r: 0, s: 0 }])
    expect(await q('SELECT dataset_id FROM dataset_import')).toEqual([{ dataset_id: 'generated-demo' }])
  })
})
