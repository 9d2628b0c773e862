import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { dumpSnapshot, openDb, type Db } from '../../server/src/db/adapter'
import { migrate } from '../../server/src/db/migrate'
import { TEST_DATABASE_URL, TEST_TARGET } from './test-env'

export interface TestDb {
  db: Db
  /** Connection URL of the throwaway database (services mode), null when embedded. */
  url: string | null
  drop(): Promise<void>
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../../server/src/db/migrations', import.meta.url))
let snapshot: Promise<Blob> | null = null

/**
 * The migrated embedded database as PGlite's data directory, built once per machine and day (the key:
 * PGlite's and PostGIS's versions, every migration file, the UTC date — TypeScript migrations may
 * compute dates) in the temp folder, shared by the test processes: opening from it takes ≈ 5 s where
 * a new PGlite with PostGIS and the migrations take ≈ 20 s.
 */
function migratedSnapshot(): Promise<Blob> {
  snapshot ??= (async () => {
    const h = createHash('sha256')
    for (const pkg of ['pglite', 'pglite-postgis']) h.update(readFileSync(fileURLToPath(new URL(`../../node_modules/@electric-sql/${pkg}/package.json`, import.meta.url))))
    for (const f of readdirSync(MIGRATIONS_DIR).sort()) h.update(f).update(readFileSync(path.join(MIGRATIONS_DIR, f)))
    h.update(new Date().toISOString().slice(0, 10))
    const file = path.join(tmpdir(), `gemello-test-db-${h.digest('hex').slice(0, 16)}.tar`)
    if (existsSync(file)) return new Blob([readFileSync(file)])
    const db = await openDb({ kind: 'embedded', dataDir: null })
    try {
      await migrate(db)
      const blob = await dumpSnapshot(db)!
      // Written aside and renamed: a test process reading it never sees half a file.
      const part = `${file}.${process.pid}.part`
      writeFileSync(part, Buffer.from(await blob.arrayBuffer()))
      renameSync(part, file)
      return blob
    } finally {
      await db.close()
    }
  })()
  snapshot.catch(() => (snapshot = null))
  return snapshot
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite (started from the migrated
 * snapshot, then migrate() confirms every migration is there with its checksum), or a throwaway
 * database created on the PostgreSQL server (dropped afterwards). Nothing is mocked.
 */
export async function createTestDb(): Promise<TestDb> {
  if (TEST_TARGET === 'embedded') {
    const db = await openDb({ kind: 'embedded', dataDir: null, snapshot: await migratedSnapshot() })
    const report = await migrate(db)
    if (report.applied.length > 0) throw new Error(`the test database snapshot lacked ${report.applied.join(', ')}`)
    return { db, url: null, drop: () => db.close() }
  }
  const name = `gemello_t_${randomBytes(5).toString('hex')}`
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  const db = await openDb({ kind: 'server', url: url.toString() })
  await migrate(db)
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.close()
      const a = new pg.Client({ connectionString: TEST_DATABASE_URL })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}
