import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db, Queryable } from '../../../server/src/db/adapter'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { DatasetFileError } from '../readers/read-result'
import { bowTie, LOOP_REGISTRY_HEADER, loopRegistryRow, makeTempDir, removeTempDirs, square, writeCsv, writeFeatureCollection } from '../testing/edge-case-files'
import { importDataset } from './dataset-import'

afterAll(removeTempDirs)

const OPEN = path.join(CITY_DATA_DIR, 'bologna-opendata')
const HAS_CITY = existsSync(path.join(OPEN, 'spire_anagrafica_2024.csv'))

/** The same database, but every transaction statement matching `pattern` fails (a crash mid-import). */
function failingOn(db: Db, pattern: RegExp): Db {
  return {
    mode: db.mode,
    capabilities: db.capabilities,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    copyRows: (table, columns, text) => db.copyRows(table, columns, text),
    describe: () => db.describe(),
    close: () => db.close(),
    transaction: (fn) =>
      db.transaction((tx) => {
        const failing: Queryable = {
          query: (sql, params) => (pattern.test(sql) ? Promise.reject(new Error('injected failure')) : tx.query(sql, params)),
        }
        return fn(failing)
      }),
  } as Db
}

describe.skipIf(!HAS_CITY)('importDataset: bad files, rollback and isolation between datasets', () => {
  let t: TestDb
  const dir = makeTempDir()
  const q = async <R>(sql: string, params: unknown[] = []) => (await t.db.query<R>(sql, params)).rows
  const countsByDataset = async () =>
    Object.fromEntries(
      (
        await q<{ dataset: string; n: number }>(
          'SELECT dataset, count(*)::int AS n FROM (SELECT dataset FROM device UNION ALL SELECT dataset FROM area UNION ALL SELECT dataset FROM street_arc) x GROUP BY 1',
        )
      ).map((r) => [r.dataset, r.n]),
    )

  beforeAll(async () => {
    t = await createTestDb()
    await importDataset(t.db, 'bologna-ztl-gates', path.join(OPEN, 'varchi_ztl_telecamere.csv'))
    await importDataset(t.db, 'bologna-quartieri', path.join(OPEN, 'quartieri.geojson'))
  })
  afterAll(async () => {
    await t?.drop()
  })

  it('imports the good rows of a half-bad file, reports the bad ones and leaves other datasets alone', async () => {
    await importDataset(t.db, 'bologna-loops', path.join(OPEN, 'spire_anagrafica_2024.csv'))
    const file = writeCsv(path.join(dir, 'half-bad-loops.csv'), LOOP_REGISTRY_HEADER, [
      loopRegistryRow(1),
      loopRegistryRow(2),
      loopRegistryRow(3, { longitudine: '113.282.993', latitudine: '444.937', geopoint: '' }),
      loopRegistryRow(4, { 'Nome via': '' }),
      loopRegistryRow(5, { id_uni: '9001' }),
      loopRegistryRow(6),
    ])
    const report = await importDataset(t.db, 'bologna-loops', file)
    expect(report).toMatchObject({ dataset: 'bologna-loops', features: 3, rejected: 3, skipped: false, source: file })
    expect(report.problems.map((p) => p.row)).toEqual([4, 5, 6])
    // The dataset's rows are replaced by the file's; the other datasets are untouched.
    expect(await q("SELECT id FROM device WHERE dataset = 'bologna-loops' ORDER BY id")).toEqual([{ id: 'loop-9001' }, { id: 'loop-9002' }, { id: 'loop-9006' }])
    expect(await countsByDataset()).toEqual({ 'bologna-loops': 3, 'bologna-ztl-gates': 79, 'bologna-quartieri': 6 })
    const [row] = await q<{ features: number; rejected: number; report: { problems: unknown[]; sourceRows: number } }>(
      "SELECT features, rejected, report FROM dataset_import WHERE dataset_id = 'bologna-loops'",
    )
    expect(row).toMatchObject({ features: 3, rejected: 3, report: { sourceRows: 6 } })
    expect(row?.report.problems).toEqual(report.problems)
  })

  it('rolls the whole dataset back when writing fails half-way', async () => {
    const real = await importDataset(t.db, 'bologna-loops', path.join(OPEN, 'spire_anagrafica_2024.csv'))
    const file = writeCsv(path.join(dir, 'loops-then-crash.csv'), LOOP_REGISTRY_HEADER, [loopRegistryRow(1), loopRegistryRow(2)])
    await expect(importDataset(failingOn(t.db, /^\s*DELETE FROM device/), 'bologna-loops', file)).rejects.toThrow('injected failure')
    expect(await q("SELECT count(*)::int AS n FROM device WHERE dataset = 'bologna-loops'")).toEqual([{ n: 863 }])
    expect(await q("SELECT checksum FROM dataset_import WHERE dataset_id = 'bologna-loops'")).toEqual([{ checksum: real.checksum }])
    expect(await countsByDataset()).toEqual({ 'bologna-loops': 863, 'bologna-ztl-gates': 79, 'bologna-quartieri': 6 })
  })

  it('imports nothing from a file that lacks the required columns', async () => {
    const file = writeCsv(path.join(dir, 'wrong.csv'), ['varco', 'nome'], [{ varco: 'v-1', nome: 'Uno' }])
    await expect(importDataset(t.db, 'bologna-ztl-gates', file)).rejects.toThrow(DatasetFileError)
    expect(await countsByDataset()).toMatchObject({ 'bologna-ztl-gates': 79 })
  })

  it('refuses invalid geometries with the PostGIS reason and keeps the valid ones', async () => {
    const file = writeFeatureCollection(path.join(dir, 'ztl.geojson'), [
      { properties: { codice: '1', nomevia1: 'VIA UNO' }, geometry: { type: 'Polygon', coordinates: [square(11.34, 44.49)] } },
      { properties: { codice: '2' }, geometry: { type: 'Polygon', coordinates: [bowTie(11.35, 44.49)] } },
      { properties: { codice: '3' }, geometry: { type: 'MultiPolygon', coordinates: [[square(11.36, 44.49)], [square(11.3605, 44.4905)]] } },
    ])
    const report = await importDataset(t.db, 'bologna-ztl', file)
    expect(report).toMatchObject({ features: 1, rejected: 2 })
    expect(report.problems).toEqual([
      { row: 2, id: 'ztl-2', problem: expect.stringMatching(/^rejected: invalid geometry \(PostGIS: Self-intersection/) },
      { row: 3, id: 'ztl-3', problem: expect.stringMatching(/^rejected: invalid geometry \(PostGIS: .+\)/) },
    ])
    expect(await q("SELECT id, name FROM area WHERE dataset = 'bologna-ztl'")).toEqual([{ id: 'ztl-1', name: 'ZTL 1 — VIA UNO' }])
  })

  it('takes over a device that registered itself under a registry id, and says so', async () => {
    await t.db.query(
      `INSERT INTO device (id, kind, name, geom, expected_interval_s, source, dataset, props)
       VALUES ('loop-9101', 'traffic-loop', 'self-registered', ST_SetSRID(ST_MakePoint(11.3, 44.5), 4326), 60, 'registered', NULL, '{}')`,
    )
    const file = writeCsv(path.join(dir, 'takeover.csv'), LOOP_REGISTRY_HEADER, [loopRegistryRow(101)])
    const report = await importDataset(t.db, 'bologna-loops', file)
    expect(report.problems).toEqual([{ row: 2, id: 'loop-9101', problem: "kept: device loop-9101 existed (source registered, dataset none); this dataset's record replaces it" }])
    expect(await q("SELECT source, dataset, name FROM device WHERE id = 'loop-9101'")).toEqual([{ source: 'open-data', dataset: 'bologna-loops', name: 'VIA DI PROVA 101 (9.101 9.102 1 1)' }])
  })
})
