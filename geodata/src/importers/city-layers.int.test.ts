import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { bowTie, makeTempDir, removeTempDirs, square, writeFeatureCollection } from '../testing/edge-case-files'
import { DatasetFileError } from '../readers/read-result'
import { importDataset } from './dataset-import'
import { adHocEntry, LICENCE_NOT_STATED } from './dataset-kinds'

let t: TestDb
const dir = makeTempDir()
const q = async <R>(sql: string, params: unknown[] = []) => (await t.db.query<R>(sql, params)).rows

beforeAll(async () => {
  t = await createTestDb()
})
afterAll(async () => {
  await t?.drop()
  removeTempDirs()
})

const milanSquare = (lon: number) => ({ type: 'Polygon', coordinates: [square(lon, 45.46, 0.0002)] })

describe('buildings', () => {
  const file = writeFeatureCollection(path.join(dir, 'centro.geojson'), [
    { properties: { cat: 1, height_med: 21.5 }, geometry: milanSquare(9.19) },
    { properties: { cat: 2, height_med: null }, geometry: milanSquare(9.191) },
    { properties: { cat: 3, height_med: 18 }, geometry: { type: 'Polygon', coordinates: [bowTie(9.192, 45.46, 0.0002)] } },
    { properties: { cat: 4, height_med: 0 }, geometry: { type: 'MultiPolygon', coordinates: [[square(9.193, 45.46, 0.0002)], [square(9.194, 45.46, 0.0002)]] } },
  ])

  it('stores valid footprints as MultiPolygons with measured or flagged estimated heights', async () => {
    const r = await importDataset(t.db, adHocEntry('buildings', file), file)
    expect([r.dataset, r.features, r.rejected]).toEqual(['buildings-centro', 3, 1])
    expect(await q('SELECT id, height_m, height_estimated, height_source, GeometryType(geom) AS type FROM building ORDER BY id')).toEqual([
      { id: 'buildings-centro-1', height_m: 21.5, height_estimated: false, height_source: 'height_med', type: 'MULTIPOLYGON' },
      { id: 'buildings-centro-2', height_m: 10, height_estimated: true, height_source: 'default', type: 'MULTIPOLYGON' },
      { id: 'buildings-centro-4', height_m: 10, height_estimated: true, height_source: 'default', type: 'MULTIPOLYGON' },
    ])
  })

  it('reports the self-intersecting footprint with PostGIS\'s reason and does not repair it', async () => {
    const r = await importDataset(t.db, adHocEntry('buildings', file), file, { force: true })
    expect(r.problems.filter((p) => p.problem.startsWith('rejected'))).toEqual([{ row: 3, id: '3', problem: 'rejected: invalid geometry (PostGIS: Self-intersection)' }])
    expect(await q("SELECT count(*)::int AS n FROM building WHERE id = 'buildings-centro-3'")).toEqual([{ n: 0 }])
  })

  it('records the ad-hoc dataset with its kind and a visible missing licence, and skips it when unchanged', async () => {
    expect(await q("SELECT licence, attribution, report->>'kind' AS kind, report->>'loader' AS loader FROM dataset_import WHERE dataset_id = 'buildings-centro'")).toEqual([
      { licence: LICENCE_NOT_STATED, attribution: `Source: centro.geojson (${LICENCE_NOT_STATED})`, kind: 'buildings', loader: 'milan-buildings' },
    ])
    const again = await importDataset(t.db, adHocEntry('buildings', file), file)
    expect([again.skipped, again.features]).toEqual([true, 3])
  })

  it('refuses a file with nothing importable and keeps the dataset as it was', async () => {
    const bad = writeFeatureCollection(path.join(dir, 'bad.geojson'), [{ properties: { cat: 9, height_med: 5 }, geometry: { type: 'Polygon', coordinates: [bowTie(9.19, 45.46)] } }])
    const entry = adHocEntry('buildings', bad, { id: 'buildings-centro' })
    await expect(importDataset(t.db, entry, bad, { requireRows: true })).rejects.toThrow(DatasetFileError)
    await expect(importDataset(t.db, entry, bad, { requireRows: true })).rejects.toThrow(/has no feature Gemello can import as building \(1 in the file; feature 1: rejected: invalid geometry \(PostGIS: Self-intersection\)\)/)
    expect(await q("SELECT count(*)::int AS n FROM building WHERE dataset = 'buildings-centro'")).toEqual([{ n: 3 }])
    expect(await q("SELECT source FROM dataset_import WHERE dataset_id = 'buildings-centro'")).toEqual([{ source: file }])
  })
})

describe('the OSM drive graph and land use', () => {
  const line = (lon: number) => ({ type: 'LineString', coordinates: [[lon, 44.49], [lon + 0.001, 44.49]] })
  const edges = writeFeatureCollection(path.join(dir, 'edges.geojson'), [
    { properties: { u: 1, v: 2, key: 0, osmid: [5, 6], highway: ['tertiary', 'primary'], lanes: ['2', '3'], maxspeed: '30 mph', oneway: true, name: 'Via Uno', length: 79.4, from: 2, to: 1 }, geometry: line(11.34) },
    { properties: { u: 2, v: 3, key: 0, osmid: '7', highway: 'residential', lanes: '', maxspeed: '', oneway: false, name: '', length: 79.4 }, geometry: line(11.35) },
    { properties: { u: 3, v: 4, key: 0, osmid: '8', highway: 'residential' }, geometry: { type: 'LineString', coordinates: [[11.36, 44.49], [11.36, 44.49]] } },
  ])
  const nodes = writeFeatureCollection(path.join(dir, 'nodes.geojson'), [
    { properties: { osmid: 1, highway: 'traffic_signals', street_count: 4 }, geometry: { type: 'Point', coordinates: [11.34, 44.49] } },
    { properties: { osmid: 2, highway: '', street_count: 3 }, geometry: { type: 'Point', coordinates: [11.341, 44.49] } },
  ])
  const landuse = writeFeatureCollection(path.join(dir, 'landuse.geojson'), [
    { properties: { id: 1, osm_type: 'way', landuse: 'grass', tags: { name: 'Prato' } }, geometry: { type: 'Polygon', coordinates: [square(11.34, 44.49)] } },
    { properties: { id: 2, osm_type: 'relation', landuse: 'forest', tags: {} }, geometry: { type: 'MultiPolygon', coordinates: [[square(11.34, 44.49)], [square(11.3405, 44.4905)]] } },
  ])

  it('stores road edges with parsed class, lanes, speed and direction; refuses a degenerate line', async () => {
    const r = await importDataset(t.db, 'osm-drive-edges', edges)
    expect([r.features, r.rejected]).toEqual([2, 1])
    expect(r.problems.find((p) => p.row === 3)?.problem).toMatch(/^rejected: invalid geometry \(PostGIS: Too few points/)
    expect(await q('SELECT id, osm_id, from_node, to_node, name, road_class, lanes, maxspeed_kmh, oneway, length_m, GeometryType(geom) AS type FROM road_edge ORDER BY id')).toEqual([
      { id: '1-2-0', osm_id: '5', from_node: '2', to_node: '1', name: 'Via Uno', road_class: 'primary', lanes: 3, maxspeed_kmh: 48.3, oneway: true, length_m: 79.4, type: 'LINESTRING' },
      { id: '2-3-0', osm_id: '7', from_node: '2', to_node: '3', name: null, road_class: 'residential', lanes: null, maxspeed_kmh: null, oneway: false, length_m: 79.4, type: 'LINESTRING' },
    ])
  })

  it('refuses edges another dataset already holds', async () => {
    const r = await importDataset(t.db, adHocEntry('osm-roads', edges, { id: 'osm-roads-copy' }), edges)
    expect(r.features).toBe(0)
    expect(r.problems.filter((p) => p.row === 1 && p.problem.startsWith('rejected'))).toEqual([
      { row: 1, id: '1-2-0', problem: 'rejected: id 1-2-0 is already used by another dataset than osm-roads-copy' },
    ])
    expect(await q("SELECT dataset, count(*)::int AS n FROM road_edge GROUP BY 1")).toEqual([{ dataset: 'osm-drive-edges', n: 2 }])
  })

  it('stores road nodes with their traffic-signal flag', async () => {
    await importDataset(t.db, 'osm-drive-nodes', nodes)
    expect(await q('SELECT id, traffic_signals, props FROM road_node ORDER BY id')).toEqual([
      { id: '1', traffic_signals: true, props: { streetCount: 4, highway: 'traffic_signals', ref: null } },
      { id: '2', traffic_signals: false, props: { streetCount: 3, highway: null, ref: null } },
    ])
  })

  it('stores land use as MultiPolygons and refuses overlapping parts with PostGIS\'s reason', async () => {
    const r = await importDataset(t.db, 'osm-landuse', landuse)
    expect(r.problems).toEqual([{ row: 2, id: 'relation-2', problem: 'rejected: invalid geometry (PostGIS: Self-intersection)' }])
    expect(await q('SELECT id, class, name, GeometryType(geom) AS type FROM land_use')).toEqual([{ id: 'way-1', class: 'grass', name: 'Prato', type: 'MULTIPOLYGON' }])
  })
})
