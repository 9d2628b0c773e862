import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../tests/helpers/test-env'
import { importCity, REAL_CITY, type CityImportReport } from './import-city'
import { DATASETS } from './manifest'

const HAS_CITY = existsSync(path.join(CITY_DATA_DIR, 'bologna-opendata/spire_anagrafica_2024.csv'))

/** Features imported and rows rejected per dataset, from the 2024 files. */
const EXPECTED: Record<string, { features: number; rejected: number }> = {
  'bologna-streets': { features: 8004, rejected: 0 },
  'bologna-quartieri': { features: 6, rejected: 0 },
  'bologna-zone': { features: 18, rejected: 0 },
  'bologna-aree-statistiche': { features: 90, rejected: 0 },
  'bologna-ztl': { features: 14, rejected: 0 },
  // 864 registry rows: id_uni 296 is on two rows (codes "2.30 2.30 6 1" and "0.127 2.30 6 1"); one loop-296.
  'bologna-loops': { features: 863, rejected: 0 },
  'bologna-ztl-gates': { features: 79, rejected: 0 },
  'bologna-bike-counters': { features: 24, rejected: 0 },
  'arpae-stations': { features: 5, rejected: 0 },
  'generated-connectivity': { features: 79, rejected: 0 },
  'bologna-street-nodes': { features: 6064, rejected: 0 },
  'osm-drive-edges': { features: 7800, rejected: 0 },
  'osm-drive-nodes': { features: 5527, rejected: 0 },
  // One polygon reaches outside the comune's envelope; one relation is a closed LineString, not a polygon.
  'osm-landuse': { features: 4093, rejected: 2 },
  'milan-buildings': { features: 4013, rejected: 0 },
  // Rows across the sumo_* tables (docs/geodata.md, SUMO networks); one signal controller per traffic light.
  'sumo-acosta': { features: 2075, rejected: 0 },
  'sumo-pasubio': { features: 1597, rejected: 0 },
  'sumo-joined': { features: 3404, rejected: 0 },
  'bologna-signal-controllers': { features: 13, rejected: 0 },
  // The workbench's controllers, each with its UTOPIA plan (235's is stored as a draft: the validator rejects it).
  'bologna-signal-plans': { features: 13, rejected: 0 },
}

describe.skipIf(!HAS_CITY)('importCity with the Bologna open data', () => {
  let t: TestDb
  let first: CityImportReport
  const q = async <R>(sql: string, params: unknown[] = []) => (await t.db.query<R>(sql, params)).rows

  /** Everything the import wrote, as one digest: equal digests = nothing changed. */
  const digest = async () => {
    const [row] = await q<{ d: string }>(
      `SELECT md5(string_agg(x, '|' ORDER BY x)) AS d FROM (
         SELECT concat_ws(',', id, kind, name, ST_AsText(geom), expected_interval_s, source, dataset, props::text, created_at, updated_at) AS x FROM device
         UNION ALL SELECT concat_ws(',', id, name, props::text, dataset, ST_AsText(geom)) FROM street_arc
         UNION ALL SELECT concat_ws(',', id, kind, code, name, props::text, dataset, ST_AsText(geom)) FROM area
         UNION ALL SELECT concat_ws(',', id, props::text, dataset, ST_AsText(geom)) FROM street_node
         UNION ALL SELECT concat_ws(',', id, road_class, name, lanes, maxspeed_kmh, oneway, props::text, dataset, ST_AsText(geom)) FROM road_edge
         UNION ALL SELECT concat_ws(',', id, traffic_signals, props::text, dataset, ST_AsText(geom)) FROM road_node
         UNION ALL SELECT concat_ws(',', id, class, name, props::text, dataset, ST_AsText(geom)) FROM land_use
         UNION ALL SELECT concat_ws(',', id, height_m, height_estimated, height_source, props::text, dataset, ST_AsText(geom)) FROM building
         UNION ALL SELECT concat_ws(',', dataset_id, checksum, features, rejected, imported_at) FROM dataset_import) s`,
    )
    return row?.d
  }

  beforeAll(async () => {
    t = await createTestDb()
    first = await importCity(t.db, CITY_DATA_DIR)
  })
  afterAll(async () => {
    await t?.drop()
  })

  it('imports every dataset and labels the city as real', async () => {
    expect(first.failures).toEqual([])
    expect(first.missingFiles).toEqual([])
    expect(first.city).toEqual(REAL_CITY)
    expect(await q('SELECT name, data, label FROM city')).toEqual([REAL_CITY])
  })

  it('imports the expected number of features per dataset', () => {
    const got = Object.fromEntries(first.datasets.map((d) => [d.dataset, { features: d.features, rejected: d.rejected }]))
    expect(got).toEqual(EXPECTED)
  })

  it('stores the devices by kind, source and dataset', async () => {
    expect(await q('SELECT kind, source, dataset, count(*)::int AS n FROM device GROUP BY 1, 2, 3 ORDER BY 1')).toEqual([
      { kind: 'air-quality', source: 'open-data', dataset: 'arpae-stations', n: 5 },
      { kind: 'bike-counter', source: 'open-data', dataset: 'bologna-bike-counters', n: 24 },
      { kind: 'connectivity', source: 'generated', dataset: 'generated-connectivity', n: 79 },
      { kind: 'signal-controller', source: 'open-data', dataset: 'bologna-signal-controllers', n: 13 },
      { kind: 'traffic-loop', source: 'open-data', dataset: 'bologna-loops', n: 863 },
      { kind: 'ztl-gate', source: 'open-data', dataset: 'bologna-ztl-gates', n: 79 },
    ])
  })

  it('stores 8,004 street arcs and the areas by kind', async () => {
    expect(await q('SELECT count(*)::int AS n FROM street_arc')).toEqual([{ n: 8004 }])
    expect(await q('SELECT kind, count(*)::int AS n FROM area GROUP BY 1 ORDER BY 1')).toEqual([
      { kind: 'area_statistica', n: 90 },
      { kind: 'quartiere', n: 6 },
      { kind: 'zona', n: 18 },
      { kind: 'ztl', n: 14 },
    ])
    expect(await q("SELECT count(*)::int AS n FROM street_arc WHERE NOT ST_IsValid(geom) OR ST_SRID(geom) <> 4326")).toEqual([{ n: 0 }])
    expect(await q("SELECT name, props->>'codvia' AS codvia FROM street_arc WHERE id = '4237'")).toEqual([{ name: 'VIA SABOTINO', codvia: '52300' }])
  })

  it('places known devices where the registries say', async () => {
    const at = async (id: string) => (await q<{ lon: number; lat: number }>('SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM device WHERE id = $1', [id]))[0]
    expect(await at('loop-450')).toEqual({ lon: 11.3462080467851, lat: 44.508210897842 })
    expect(await at('ztl-varco-n-78')).toEqual({ lon: 11.34885940342026, lat: 44.49141491237119 })
    expect(await at('bike-laura-bassi')).toEqual({ lon: 11.36916189698496, lat: 44.4855095914257 })
    expect(await at('aq-de-amicis')).toEqual({ lon: 11.3632997, lat: 44.4972784 })
  })

  it('keeps the props other modules rely on', async () => {
    const [loop] = await q<{ name: string; props: Record<string, unknown>; expected_interval_s: number }>("SELECT name, props, expected_interval_s FROM device WHERE id = 'loop-450'")
    expect(loop).toMatchObject({ name: 'VIA ALESSANDRO TIARINI (3.21 3.24 4 1)', expected_interval_s: 60, props: { codiceSpira: '3.21 3.24 4 1', idUni: '450', stationId: '551', codiceArco: '3191' } })
    const [aq] = await q<{ props: Record<string, unknown> }>("SELECT props FROM device WHERE id = 'aq-porta-san-felice'")
    expect(aq?.props).toMatchObject({ station: 'PORTA SAN FELICE', positionApproximate: true, pollutants: ['no2', 'co', 'ch4', 'pm10', 'pm25'] })
    const intervals = await q('SELECT kind, min(expected_interval_s) AS lo, max(expected_interval_s) AS hi FROM device GROUP BY 1 ORDER BY 1')
    expect(intervals).toEqual([
      { kind: 'air-quality', lo: 3600, hi: 3600 },
      { kind: 'bike-counter', lo: 900, hi: 900 },
      { kind: 'connectivity', lo: 60, hi: 60 },
      { kind: 'signal-controller', lo: 5, hi: 5 },
      { kind: 'traffic-loop', lo: 60, hi: 60 },
      { kind: 'ztl-gate', lo: 300, hi: 300 },
    ])
  })

  it('generates one field router 5 m east of every gate', async () => {
    const rows = await q<{ n: number; min_m: number; max_m: number; same_lat: boolean }>(
      `SELECT count(*)::int AS n, min(ST_Distance(g.geom::geography, r.geom::geography)) AS min_m,
              max(ST_Distance(g.geom::geography, r.geom::geography)) AS max_m, bool_and(ST_Y(g.geom) = ST_Y(r.geom) AND ST_X(r.geom) > ST_X(g.geom)) AS same_lat
       FROM device r JOIN device g ON g.id = r.props->>'gate'
       WHERE r.kind = 'connectivity'`,
    )
    expect(rows[0]?.n).toBe(79)
    expect(rows[0]?.min_m).toBeGreaterThan(4.95)
    expect(rows[0]?.max_m).toBeLessThan(5.05)
    expect(rows[0]?.same_lat).toBe(true)
    expect(await q("SELECT props FROM device WHERE id = 'net-varco-n-78'")).toEqual([
      { props: { generated: true, note: 'Generated: no open inventory of connectivity devices; one field router per ZTL gate', gate: 'ztl-varco-n-78' } },
    ])
  })

  it('stores the street nodes, the OSM drive graph and land use of real places', async () => {
    expect(await q("SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM street_node WHERE id = '5772'")).toEqual([{ lon: 11.3554582, lat: 44.4771777 }])
    expect(await q("SELECT name, road_class, lanes, maxspeed_kmh, oneway, from_node, to_node FROM road_edge WHERE id = '250762995-4317179515-0'")).toEqual([
      { name: 'Via Francesco Rizzoli', road_class: 'tertiary', lanes: 2, maxspeed_kmh: 30, oneway: false, from_node: '4317179515', to_node: '250762995' },
    ])
    // The A14 edge tagged maxspeed ["130", "110"]: the lower limit, the list kept.
    expect(await q("SELECT name, road_class, maxspeed_kmh, props->'maxspeedValues' AS v FROM road_edge WHERE id = '6714648-252821831-0'")).toEqual([
      { name: 'Autostrada Adriatica', road_class: 'motorway', maxspeed_kmh: 110, v: ['130', '110'] },
    ])
    expect(await q('SELECT count(*)::int AS n FROM road_edge e WHERE NOT EXISTS (SELECT 1 FROM road_node n WHERE n.id = e.from_node) OR NOT EXISTS (SELECT 1 FROM road_node n WHERE n.id = e.to_node)')).toEqual([{ n: 0 }])
    expect(await q("SELECT count(*)::int AS n FROM road_node WHERE traffic_signals")).toEqual([{ n: 147 }])
    expect(await q("SELECT traffic_signals, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM road_node WHERE id = '82550595'")).toEqual([{ traffic_signals: true, lon: 11.3464661, lat: 44.4914668 }])
    expect(await q("SELECT class, name FROM land_use WHERE id = 'way-23189490'")).toEqual([{ class: 'commercial', name: 'Fiera di Bologna' }])
    const landUse = first.datasets.find((d) => d.dataset === 'osm-landuse')
    expect(landUse?.problems.map((p) => [p.row, p.id])).toEqual([[231, 'way-258728601'], [4009, 'relation-18282732656']])
    expect(await q("SELECT count(*)::int AS n FROM land_use WHERE GeometryType(geom) <> 'MULTIPOLYGON' OR NOT ST_IsValid(geom)")).toEqual([{ n: 0 }])
  })

  it('stores the Milan buildings with plausible heights, the missing ones estimated and flagged', async () => {
    // The Duomo di Milano: its roof is about 45 m up (the spire 108 m); the LiDAR median lies between.
    const [duomo] = await q<{ height_m: number; height_estimated: boolean; m2: number }>(
      "SELECT height_m, height_estimated, ST_Area(geom::geography) AS m2 FROM building WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(9.1919, 45.4641), 4326))",
    )
    expect(duomo?.height_estimated).toBe(false)
    expect(duomo?.height_m).toBeGreaterThan(30)
    expect(duomo?.height_m).toBeLessThan(60)
    expect(duomo?.m2).toBeGreaterThan(9000)
    expect(await q('SELECT height_source, height_estimated, count(*)::int AS n FROM building GROUP BY 1, 2 ORDER BY 1')).toEqual([
      { height_source: 'default', height_estimated: true, n: 62 },
      { height_source: 'height_med', height_estimated: false, n: 3951 },
    ])
    expect(await q("SELECT count(*)::int AS n FROM building WHERE height_m <= 0 OR NOT ST_IsValid(geom) OR ST_SRID(geom) <> 4326")).toEqual([{ n: 0 }])
  })

  it('records each import with the file checksum, licence and attribution', async () => {
    const rows = await q<{ dataset_id: string; licence: string; attribution: string; source: string; checksum: string; rejected: number; problems: unknown[] }>(
      "SELECT dataset_id, licence, attribution, source, checksum, rejected, report->'problems' AS problems FROM dataset_import ORDER BY dataset_id",
    )
    expect(rows.map((r) => r.dataset_id).sort()).toEqual(DATASETS.map((d) => d.id).sort())
    for (const r of rows) {
      const entry = DATASETS.find((d) => d.id === r.dataset_id)
      expect([r.licence, r.attribution]).toEqual([entry?.licence, entry?.attribution])
      if (entry?.alsoReads.length === 0) {
        expect(r.checksum).toBe(createHash('sha256').update(readFileSync(path.join(CITY_DATA_DIR, r.source))).digest('hex'))
      }
    }
    const loops = rows.find((r) => r.dataset_id === 'bologna-loops')
    expect(loops?.source).toBe('bologna-opendata/spire_anagrafica_2024.csv')
    expect(loops?.problems).toEqual([{ row: 544, id: '296', problem: expect.stringMatching(/^kept: id_uni 296 is also on line \d+ at the same place/) }])
  })

  it('skips every unchanged dataset on a second run and changes nothing', async () => {
    const before = await digest()
    const second = await importCity(t.db, CITY_DATA_DIR)
    expect(second.datasets.map((d) => [d.dataset, d.skipped])).toEqual(DATASETS.map((d) => [d.id, true]))
    expect(second.datasets.map((d) => d.features)).toEqual(first.datasets.map((d) => d.features))
    expect(await digest()).toBe(before)
  })

  it('re-imports everything with force: same rows, no duplicates, devices keep their creation time', async () => {
    const [created] = await q<{ created_at: Date }>("SELECT created_at FROM device WHERE id = 'loop-450'")
    const forced = await importCity(t.db, CITY_DATA_DIR, { force: true })
    expect(forced.datasets.every((d) => !d.skipped)).toBe(true)
    expect(Object.fromEntries(forced.datasets.map((d) => [d.dataset, { features: d.features, rejected: d.rejected }]))).toEqual(EXPECTED)
    expect(await q('SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM device')).toEqual([{ n: 1063, d: 1063 }])
    expect(await q('SELECT count(*)::int AS n FROM street_arc')).toEqual([{ n: 8004 }])
    expect(await q('SELECT count(*)::int AS n FROM area')).toEqual([{ n: 128 }])
    expect(await q("SELECT created_at FROM device WHERE id = 'loop-450'")).toEqual([created])
  })

  it('re-imports a dataset whose rows went missing, even with the same file', async () => {
    await t.db.query("DELETE FROM area WHERE kind = 'ztl'")
    const r = await importCity(t.db, CITY_DATA_DIR)
    expect(r.datasets.filter((d) => !d.skipped).map((d) => d.dataset)).toEqual(['bologna-ztl'])
    expect(await q("SELECT count(*)::int AS n FROM area WHERE kind = 'ztl'")).toEqual([{ n: 14 }])
  })

  it('imports a changed dataset once when two imports run at the same time', async () => {
    await t.db.query("UPDATE dataset_import SET checksum = 'stale' WHERE dataset_id = 'bologna-loops'")
    const [a, b] = await Promise.all([importCity(t.db, CITY_DATA_DIR), importCity(t.db, CITY_DATA_DIR)])
    const loopRuns = [a, b].map((r) => r.datasets.find((d) => d.dataset === 'bologna-loops'))
    expect(a.failures).toEqual([])
    expect(b.failures).toEqual([])
    expect(loopRuns.filter((d) => d && !d.skipped)).toHaveLength(1)
    expect(await q("SELECT count(*)::int AS n FROM device WHERE kind = 'traffic-loop'")).toEqual([{ n: 863 }])
  })
})
