import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { importDataset, type DatasetImportReport } from '../importers/dataset-import'
import { DatasetFileError } from '../readers/read-result'
import { makeTempDir, removeTempDirs } from '../testing/edge-case-files'
import { sumoLinkSummary } from './sumo-links'

afterAll(removeTempDirs)

const SUMO = path.join(CITY_DATA_DIR, 'sumo-bologna')
const OPEN = path.join(CITY_DATA_DIR, 'bologna-opendata')
const HAS_CITY = existsSync(path.join(SUMO, 'joined', 'joined_buslanes.net.xml')) && existsSync(path.join(OPEN, 'spire_anagrafica_2024.csv'))
const netFile = (n: string) => path.join(SUMO, n, `${n}_buslanes.net.xml`)

describe.skipIf(!HAS_CITY)('SUMO networks of Bologna: import, links to the open data, re-imports', () => {
  let t: TestDb
  const reports: Record<string, DatasetImportReport> = {}
  const q = async <R = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await t.db.query<R>(sql, params)).rows
  const one = async <R = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await q<R>(sql, params))[0] as R
  /** Every row of a network, readable, in a stable order. */
  const snapshot = async (net: string) => ({
    network: await q('SELECT id, dataset, file, net_offset_x, net_offset_y, proj, conv_boundary, props, ST_AsText(geom) g FROM sumo_network WHERE id = $1', [net]),
    edges: await q('SELECT id, from_junction, to_junction, func, props, ST_AsText(geom) g FROM sumo_edge WHERE network_id = $1 ORDER BY id', [net]),
    lanes: await q('SELECT id, edge_id, idx, speed_ms, length_m, allow, disallow, props, ST_AsText(geom) g FROM sumo_lane WHERE network_id = $1 ORDER BY id', [net]),
    junctions: await q('SELECT id, junction_type, inc_lanes, int_lanes, requests, props, ST_AsText(geom) g, ST_AsText(shape) s FROM sumo_junction WHERE network_id = $1 ORDER BY id', [net]),
    connections: await q('SELECT * FROM sumo_connection WHERE network_id = $1 ORDER BY from_edge, from_lane, to_edge, to_lane', [net]),
    programs: await q('SELECT * FROM sumo_tls_program WHERE network_id = $1 ORDER BY tls_id, program_id', [net]),
    detectors: await q('SELECT id, lane_id, pos_m, loop_code, device_id, match_note, props, ST_AsText(geom) g FROM sumo_detector WHERE network_id = $1 ORDER BY id', [net]),
  })

  beforeAll(async () => {
    t = await createTestDb()
    await importDataset(t.db, 'bologna-streets', path.join(OPEN, 'stradario_archi.geojson'))
    await importDataset(t.db, 'bologna-loops', path.join(OPEN, 'spire_anagrafica_2024.csv'))
    for (const n of ['acosta', 'pasubio', 'joined']) {
      reports[n] = await importDataset(t.db, `sumo-${n}`, netFile(n))
      console.info(`[sumo import] sumo-${n} (${t.db.mode}): ${reports[n]?.features} rows in ${reports[n]?.durationMs} ms`)
    }
    reports.controllers = await importDataset(t.db, 'bologna-signal-controllers', path.join(SUMO, 'joined', 'joined_tls.add.xml'))
    console.info(`[sumo import] bologna-signal-controllers (${t.db.mode}): ${reports.controllers.features} devices in ${reports.controllers.durationMs} ms`)
  }, 180_000)
  afterAll(async () => {
    await t?.drop()
  })

  const counts = (net: string) =>
    one(
      `SELECT (SELECT count(*)::int FROM sumo_edge WHERE network_id = $1 AND func <> 'internal') AS edges,
              (SELECT count(*)::int FROM sumo_edge WHERE network_id = $1) AS all_edges,
              (SELECT count(*)::int FROM sumo_lane WHERE network_id = $1) AS lanes,
              (SELECT count(*)::int FROM sumo_junction WHERE network_id = $1) AS junctions,
              (SELECT count(*)::int FROM sumo_junction WHERE network_id = $1 AND junction_type = 'traffic_light') AS signalised,
              (SELECT count(*)::int FROM sumo_connection WHERE network_id = $1) AS connections,
              (SELECT count(*)::int FROM sumo_tls_program WHERE network_id = $1 AND program_id = 'utopia' AND source = 'additional') AS utopia,
              (SELECT coalesce(sum(jsonb_array_length(phases)), 0)::int FROM sumo_tls_program WHERE network_id = $1 AND program_id = 'utopia') AS utopia_phases,
              (SELECT count(*)::int FROM sumo_tls_program WHERE network_id = $1 AND source = 'net') AS net_programs,
              (SELECT count(*)::int FROM sumo_detector WHERE network_id = $1) AS detectors`,
      [net],
    )

  // README table: edges count non-internal edges; lanes and junctions count all of them (internal ones included).
  it.each([
    ['acosta', { edges: 178, all_edges: 472, lanes: 650, junctions: 145, signalised: 16, connections: 735, utopia: 7, utopia_phases: 101, net_programs: 7, detectors: 58 }],
    ['pasubio', { edges: 111, all_edges: 350, lanes: 491, junctions: 105, signalised: 15, connections: 570, utopia: 8, utopia_phases: 114, net_programs: 8, detectors: 64 }],
    ['joined', { edges: 267, all_edges: 770, lanes: 1055, junctions: 226, signalised: 29, connections: 1220, utopia: 13, utopia_phases: 175, net_programs: 13, detectors: 106 }],
  ])('stores every element of %s (the data bundle README counts)', async (n, expected) => {
    expect(await counts(`sumo-${n}`)).toEqual(expected)
    const e = expected
    // features = rows across the SUMO tables: network + edges + lanes + junctions + connections + programs + detectors.
    expect(reports[n]).toMatchObject({ features: 1 + e.all_edges + e.lanes + e.junctions + e.connections + e.utopia + e.net_programs + e.detectors, rejected: 0, skipped: false })
  })

  it('places a known detector on its lane and links it to its open-data loop (Via Irma Bandiera, loop 202)', async () => {
    const d = await one<{ lane_id: string; pos_m: number; loop_code: string; device_id: string; match_note: string | null; dist: number; name: string }>(
      `SELECT d.lane_id, d.pos_m, d.loop_code, d.device_id, d.match_note, ST_Distance(d.geom::geography, dev.geom::geography) AS dist, dev.name
       FROM sumo_detector d JOIN device dev ON dev.id = d.device_id WHERE d.network_id = 'sumo-acosta' AND d.id = '0.127_2.73_6_1__l0'`,
    )
    expect(d).toMatchObject({ lane_id: '104_0', pos_m: 23, loop_code: '0.127 2.73 6 1', device_id: 'loop-202', match_note: null, name: 'VIA IRMA BANDIERA (0.127 2.73 6 1)' })
    expect(d.dist).toBeLessThan(30)
  })

  it('links a detector through a loop alias (code "0.127 2.30 6 1" is the second code of loop 296)', async () => {
    expect(await q("SELECT network_id, device_id FROM sumo_detector WHERE loop_code = '0.127 2.30 6 1' AND id LIKE '%__l0' ORDER BY network_id")).toEqual([
      { network_id: 'sumo-joined', device_id: 'loop-296' },
      { network_id: 'sumo-pasubio', device_id: 'loop-296' },
    ])
  })

  it('reports the detectors whose code is not in the registry, and the detector ↔ loop distances', async () => {
    const s = await sumoLinkSummary(t.db, 'sumo-acosta')
    expect(s).toMatchObject({ detectors: 58, matched: 53, loopsWithoutArc: [], programs: 14, programsWithoutCode: [] })
    expect([...new Set(s.unmatched.map((u) => u.loopCode))].sort()).toEqual(['2.10 0.127 8 1', '2.20 2.21 8 1', '2.8 2.9 8 2'])
    expect(s.unmatched[0]?.note).toMatch(/no traffic-loop device has codice spira ".+" \(nor as an alias\)/)
    // Georeferencing sanity check: SUMO detectors sit near the registry's loop positions (median ≈ 19 m in this bundle).
    expect(s.distanceM?.median).toBeLessThan(40)
    console.info(`[sumo links] acosta: ${s.matched}/${s.detectors} matched, distance median ${s.distanceM?.median.toFixed(1)} m, max ${s.distanceM?.max.toFixed(1)} m (${s.distanceM?.maxDetector})`)
    const problems = reports.acosta?.problems ?? []
    expect(problems.filter((p) => p.problem.includes('not linked to an open-data loop'))).toHaveLength(5)
    expect(problems).toContainEqual({ row: 40, id: '2.8_2.9_8_2__l0', problem: expect.stringMatching(/^kept: detector 2\.8_2\.9_8_2__l0 not linked/) })
  })

  it.each([
    ['acosta', 53],
    ['pasubio', 56],
    ['joined', 93],
  ])('links %s detectors to %i open-data loops, each on an arc of the street graph', async (n, matched) => {
    const s = await sumoLinkSummary(t.db, `sumo-${n}`)
    expect({ matched: s.matched, loopsWithoutArc: s.loopsWithoutArc, programsWithoutCode: s.programsWithoutCode }).toEqual({ matched, loopsWithoutArc: [], programsWithoutCode: [] })
  })

  it('gives each UTOPIA program its intersection code, written as the loop registry writes it', async () => {
    const p = await one<{ intersection_code: string; phases: Array<Record<string, unknown>>; program_type: string; file: string }>(
      "SELECT intersection_code, phases, program_type, file FROM sumo_tls_program WHERE network_id = 'sumo-acosta' AND tls_id = '209' AND program_id = 'utopia'",
    )
    expect(p).toMatchObject({ intersection_code: '2.9', program_type: 'static', file: 'acosta_tls.add.xml' })
    expect(p.phases[0]).toEqual({ duration: 69, state: 'GrGGGGg', minDur: 45, maxDur: 117 })
    const s = await sumoLinkSummary(t.db, 'sumo-acosta')
    // Every intersection of the network has loops in the registry under that code.
    expect(s.intersections.every((i) => i.registryLoops > 0)).toBe(true)
  })

  it('makes one signal controller per traffic light of the imported networks', async () => {
    expect(reports.controllers).toMatchObject({ features: 13, rejected: 0 })
    const c = await one<{ name: string; kind: string; props: Record<string, unknown>; expected_interval_s: number; source: string }>(
      "SELECT name, kind, props, expected_interval_s, source FROM device WHERE id = 'signal-273'",
    )
    expect(c).toMatchObject({ kind: 'signal-controller', expected_interval_s: 5, source: 'open-data', props: { tlsId: '273', intersectionCode: '2.73', networks: ['sumo-acosta', 'sumo-joined'], programs: ['0', 'utopia'] } })
    expect(c.name).toMatch(/^Incrocio 2\.73 \(.*VIA IRMA BANDIERA.*\)$/)
    // At Piazza della Pace, next to its loops.
    const d = await one<{ m: number }>("SELECT ST_Distance(s.geom::geography, l.geom::geography) AS m FROM device s, device l WHERE s.id = 'signal-273' AND l.id = 'loop-202'")
    expect(d.m).toBeLessThan(150)
  })

  it('skips an unchanged network, and a forced re-import writes identical rows', async () => {
    const before = await snapshot('sumo-acosta')
    const again = await importDataset(t.db, 'sumo-acosta', netFile('acosta'))
    expect(again).toMatchObject({ skipped: true, features: reports.acosta?.features })
    const forced = await importDataset(t.db, 'sumo-acosta', netFile('acosta'), { force: true })
    expect(forced).toMatchObject({ skipped: false, features: reports.acosta?.features })
    expect(await snapshot('sumo-acosta')).toEqual(before)
  })

  it('re-imports a network after the loop registry was re-imported (its links depend on it)', async () => {
    await importDataset(t.db, 'sumo-pasubio', netFile('pasubio'))
    await importDataset(t.db, 'bologna-loops', path.join(OPEN, 'spire_anagrafica_2024.csv'), { force: true })
    expect(await importDataset(t.db, 'sumo-pasubio', netFile('pasubio'))).toMatchObject({ skipped: false })
    expect(await importDataset(t.db, 'sumo-pasubio', netFile('pasubio'))).toMatchObject({ skipped: true })
  })

  it('replaces the rows when a file changed, and keeps them when the new file is refused', async () => {
    const dir = makeTempDir()
    copyFileSync(netFile('acosta'), path.join(dir, 'acosta_buslanes.net.xml'))
    copyFileSync(path.join(SUMO, 'acosta', 'acosta_tls.add.xml'), path.join(dir, 'acosta_tls.add.xml'))
    const dets = readFileSync(path.join(SUMO, 'acosta', 'acosta_detectors.add.xml'), 'utf8')
      .split('\n')
      .filter((l) => !l.includes('id="0.127_2.73_6_1__l1"'))
      .join('\n')
      .replace('pos="23" freq="1800"', 'pos="-5" freq="1800"')
    writeFileSync(path.join(dir, 'acosta_detectors.add.xml'), dets)
    const r = await importDataset(t.db, 'sumo-acosta', path.join(dir, 'acosta_buslanes.net.xml'))
    expect(r).toMatchObject({ skipped: false, features: (reports.acosta?.features ?? 0) - 1 })
    expect(await q("SELECT id FROM sumo_detector WHERE network_id = 'sumo-acosta' AND id LIKE '0.127_2.73_6_1__l%' ORDER BY id")).toEqual([{ id: '0.127_2.73_6_1__l0' }])
    const moved = await one<{ pos_m: number; length_m: number }>(
      "SELECT d.pos_m, l.length_m FROM sumo_detector d JOIN sumo_lane l ON l.network_id = d.network_id AND l.id = d.lane_id WHERE d.network_id = 'sumo-acosta' AND d.id = '0.127_2.73_6_1__l0'",
    )
    expect(moved.pos_m).toBeCloseTo(moved.length_m - 5, 3)

    const flat = path.join(dir, 'flat.net.xml')
    writeFileSync(flat, readFileSync(netFile('acosta'), 'utf8').replace(/projParameter="[^"]*"/, 'projParameter="!"'))
    await expect(importDataset(t.db, 'sumo-acosta', flat)).rejects.toThrow(DatasetFileError)
    expect(await counts('sumo-acosta')).toMatchObject({ lanes: 650, detectors: 57 })
  })
})
