import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { countDatasetRows, importDataset, type DatasetImportReport } from '../importers/dataset-import'
import { makeTempDir, removeTempDirs } from '../testing/edge-case-files'
import { NOTE_NO_CODE, NOTE_NO_REGISTRY } from './sumo-links'
import { TINY_DETECTORS, writeTinySumoFiles } from './tiny-sumo-net'

afterAll(removeTempDirs)

/** A generated network imported as the sumo-acosta dataset (the loader reads any net), on an empty city. */
describe('SUMO import of a generated network', () => {
  let t: TestDb
  let report: DatasetImportReport
  const dir = makeTempDir()
  const files = writeTinySumoFiles(dir, {
    detectors: [...TINY_DETECTORS, { id: 'far', lane: 'E0_0', pos: 500 }, { id: 'ghost', lane: 'nope_0', pos: 1 }],
  })
  const q = async <R = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await t.db.query<R>(sql, params)).rows
  const detector = async (id: string) =>
    (await q<{ pos_m: number; x: number; y: number; loop_code: string | null; device_id: string | null; match_note: string | null }>(
      "SELECT pos_m, ST_X(geom) x, ST_Y(geom) y, loop_code, device_id, match_note FROM sumo_detector WHERE network_id = 'sumo-acosta' AND id = $1",
      [id],
    ))[0]
  const lonLatOf = async (x: number, y: number) =>
    (await q<{ lon: number; lat: number }>(
      `SELECT ST_X(p) lon, ST_Y(p) lat FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1::float8 + 686000, $2::float8 + 4928000), 32632), 4326) p) x`,
      [x, y],
    ))[0] as { lon: number; lat: number }

  beforeAll(async () => {
    t = await createTestDb()
    report = await importDataset(t.db, 'sumo-acosta', files.net)
  })
  afterAll(async () => {
    await t?.drop()
  })

  it('counts the rows written across the SUMO tables as features, the same way the skip check counts them', async () => {
    // 1 network + 5 edges + 6 lanes + 4 junctions + 4 connections + 2 programs + 5 detectors (ghost refused)
    expect(report).toMatchObject({ features: 27, rejected: 1, skipped: false })
    expect(await countDatasetRows(t.db, 'sumo-acosta', ['sumo_network'])).toBe(27)
    expect(report.problems).toContainEqual({ row: 15, id: 'ghost', problem: 'rejected: detector ghost in tiny_tls.add.xml: lane nope_0 is not in the network' })
    expect(await importDataset(t.db, 'sumo-acosta', files.net)).toMatchObject({ skipped: true, features: 27 })
  })

  it('reads the programs of the sibling <base>_tls.add.xml next to the network', async () => {
    expect(await q("SELECT tls_id, program_id, source, file, offset_s, intersection_code, params FROM sumo_tls_program WHERE network_id = 'sumo-acosta' ORDER BY program_id")).toEqual([
      { tls_id: '209', program_id: '0', source: 'net', file: 'tiny.net.xml', offset_s: 0, intersection_code: '2.9', params: {} },
      { tls_id: '209', program_id: 'utopia', source: 'additional', file: 'tiny_tls.add.xml', offset_s: 5, intersection_code: '2.9', params: { 'max-gap': '3.0' } },
    ])
  })

  it('places detectors along their lane: negative pos from the end, pos scaled to the drawn shape, out-of-lane pos clamped and noted', async () => {
    const close = async (id: string, x: number, y: number) => {
      const d = await detector(id)
      const want = await lonLatOf(x, y)
      expect(d?.x).toBeCloseTo(want.lon, 8)
      expect(d?.y).toBeCloseTo(want.lat, 8)
      return d
    }
    expect(await close('0.127_2.9_6_1__l0', 20, -1.6)).toMatchObject({ pos_m: 20 })
    expect(await close('2.9_0.127_2_1__l0', 190, -1.6)).toMatchObject({ pos_m: 86 })
    await close('north_loop', 98.4, 54)
    expect(await close('far', 96, -1.6)).toMatchObject({ pos_m: 96 })
    expect(report.problems).toContainEqual({ row: 14, id: 'far', problem: 'kept: detector far: pos 500 is outside the lane (length 96 m); placed at its end' })
  })

  it('says why a detector has no loop: no code in its id, or no loop registry', async () => {
    expect(await detector('north_loop')).toMatchObject({ loop_code: null, device_id: null, match_note: NOTE_NO_CODE })
    expect(await detector('0.127_2.9_6_1__l0')).toMatchObject({ loop_code: '0.127 2.9 6 1', device_id: null, match_note: NOTE_NO_REGISTRY })
  })

  it('links the detector once the loop exists (forced re-import)', async () => {
    await t.db.query(
      `INSERT INTO device (id, kind, name, geom, expected_interval_s, source, dataset, props)
       VALUES ('loop-1', 'traffic-loop', 'VIA DI PROVA (0.127 2.9 6 1)', ST_SetSRID(ST_MakePoint(11.34, 44.48), 4326), 60, 'open-data', 'bologna-loops', $1)`,
      [JSON.stringify({ codiceSpira: '0.127 2.9 6 1', codiceArco: '999', aliases: [] })],
    )
    const r = await importDataset(t.db, 'sumo-acosta', files.net, { force: true })
    expect(await detector('0.127_2.9_6_1__l0')).toMatchObject({ device_id: 'loop-1', match_note: null })
    expect(await detector('2.9_0.127_2_1__l0')).toMatchObject({ device_id: null, match_note: 'no traffic-loop device has codice spira "2.9 0.127 2 1" (nor as an alias): the code is not in the loop registry' })
    // The loop's arc 999 is not in the (empty) street graph: reported.
    expect(r.problems).toContainEqual({ row: 0, id: 'loop-1', problem: expect.stringMatching(/^kept: loop loop-1 .* has codice arco 999, which is not in the street graph/) })
  })

  it('stores junction shapes PostGIS finds valid, and keeps the point (with a note) when the shape is not a valid polygon', async () => {
    expect(await q("SELECT id, junction_type, shape IS NOT NULL AS has_shape FROM sumo_junction WHERE network_id = 'sumo-acosta' ORDER BY id")).toEqual([
      { id: 'J0', junction_type: 'dead_end', has_shape: false },
      { id: 'J1', junction_type: 'traffic_light', has_shape: true },
      { id: 'J2', junction_type: 'dead_end', has_shape: false },
      { id: 'J3', junction_type: 'priority', has_shape: false },
    ])
    expect(report.problems).toContainEqual({ row: 36, id: 'J3', problem: 'kept: junction J3: invalid shape polygon (PostGIS: Self-intersection); stored as a point without shape' })
    expect(report.problems).toContainEqual({ row: 30, id: 'J0', problem: 'kept: junction J0: its shape has 2 distinct position(s), not a polygon; stored as a point without shape' })
  })

  it('draws an edge with its shape attribute, else with its middle lane', async () => {
    const rows = await q<{ id: string; n: number; func: string }>("SELECT id, ST_NPoints(geom) n, func FROM sumo_edge WHERE network_id = 'sumo-acosta' ORDER BY id")
    expect(rows).toEqual([
      { id: ':J1_0', n: 2, func: 'internal' },
      { id: ':J1_1', n: 3, func: 'internal' },
      { id: 'E0', n: 2, func: 'normal' },
      { id: 'E1', n: 3, func: 'normal' },
      { id: 'E2', n: 2, func: 'normal' },
    ])
    const [e0] = await q<{ same: boolean }>(
      "SELECT ST_Equals(e.geom, l.geom) same FROM sumo_edge e JOIN sumo_lane l ON l.network_id = e.network_id AND l.id = 'E0_1' WHERE e.network_id = 'sumo-acosta' AND e.id = 'E0'",
    )
    expect(e0?.same).toBe(true)
  })
})
