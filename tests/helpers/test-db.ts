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
let template: Promise<string> | null = null

/** What a migrated database depends on: the PGlite and PostGIS versions, every migration file, the UTC date (TypeScript migrations may compute dates). */
function migratedKey(): string {
  const h = createHash('sha256')
  for (const pkg of ['pglite', 'pglite-postgis']) h.update(readFileSync(fileURLToPath(new URL(`../../node_modules/@electric-sql/${pkg}/package.json`, import.meta.url))))
  for (const f of readdirSync(MIGRATIONS_DIR).sort()) h.update(f).update(readFileSync(path.join(MIGRATIONS_DIR, f)))
  h.update(utcDay())
  return h.digest('hex').slice(0, 16)
}
const utcDay = () => new Date().toISOString().slice(0, 10)

/**
 * The migrated embedded database as PGlite's data directory, built once per machine and day (migratedKey)
 * in the temp folder, shared by the test processes: opening from it takes ≈ 5 s where a new PGlite with
 * PostGIS and the migrations take ≈ 20 s.
 */
function migratedSnapshot(): Promise<Blob> {
  snapshot ??= (async () => {
    const file = path.join(tmpdir(), `gemello-test-db-${migratedKey()}.tar`)
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

/** Session advisory lock of whoever builds the services suite's template database. */
const TEMPLATE_LOCK = 0x67_656d_7470

const adminQuery = async <T>(f: (admin: pg.Client) => Promise<T>): Promise<T> => {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  try {
    return await f(admin)
  } finally {
    await admin.end()
  }
}
const urlOf = (name: string) => {
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  return url.toString()
}

/**
 * The migrated PostgreSQL database every services-suite file copies (CREATE DATABASE … TEMPLATE), built
 * once per server, day and set of migrations (migratedKey) by the first file that needs it, the others
 * waiting on an advisory lock: a copy takes ≈ 0.9 s where CREATE DATABASE and the migrations take ≈ 2.5 s.
 * Built under a temporary name and renamed, so a crash never leaves half a template; earlier days' go.
 */
function migratedTemplate(): Promise<string> {
  template ??= adminQuery(async (admin): Promise<string> => {
    const day = utcDay().replaceAll('-', '')
    const name = `gemello_tpl_${day}_${migratedKey()}`
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK])
    const exists = async (n: string) => ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [n])).rowCount ?? 0) > 0
    if (!(await exists(name))) {
      // Earlier days' templates, and what a crashed build left (no other build runs while the lock is held).
      const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'gemello\\_tpl\\_%' AND (datname < $1 OR datname LIKE 'gemello\\_tpl\\_part\\_%')`, [`gemello_tpl_${day}`])
      for (const r of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`)
      const building = `gemello_tpl_part_${randomBytes(5).toString('hex')}`
      await admin.query(`CREATE DATABASE ${building}`)
      const db = await openDb({ kind: 'server', url: urlOf(building) })
      try {
        await migrate(db)
      } finally {
        await db.close()
      }
      // The pool's sessions end a moment after it closes; a database with sessions can be neither renamed nor copied.
      for (let i = 0; i < 200 && ((await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [building])).rowCount ?? 0) > 0; i++) await new Promise((r) => setTimeout(r, 50))
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`)
    }
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK])
    return name
  })
  const building = template
  building.catch(() => {
    if (template === building) template = null
  })
  return building
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite (started from the migrated
 * snapshot), or a throwaway database on the PostgreSQL server copied from the migrated template
 * (dropped afterwards); either way migrate() then confirms every migration is there with its
 * checksum. Nothing is mocked.
 */
export async function createTestDb(): Promise<TestDb> {
  if (TEST_TARGET === 'embedded') {
    const db = await openDb({ kind: 'embedded', dataDir: null, snapshot: await migratedSnapshot() })
    const report = await migrate(db)
    if (report.applied.length > 0) throw new Error(`the test database snapshot lacked ${report.applied.join(', ')}`)
    return { db, url: null, drop: () => db.close() }
  }
  const name = `gemello_t_${randomBytes(5).toString('hex')}`
  const from = await migratedTemplate()
  await adminQuery((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${from}`))
  const db = await openDb({ kind: 'server', url: urlOf(name) })
  const report = await migrate(db)
  if (report.applied.length > 0) throw new Error(`the template database ${from} lacked ${report.applied.join(', ')}`)
  return {
    db,
    url: urlOf(name),
    drop: async () => {
      await db.close()
      await adminQuery((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    },
  }
}
