import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { DbBootError, type Db, type Queryable } from './adapter'

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')
/** Any constant: serialises migrations when several processes boot against one database. */
const MIGRATION_LOCK = 74_290_001

export interface MigrationReport {
  applied: string[]
  postgis: string
}

/**
 * A migration written in TypeScript (`migrations/NNNN_name.ts`), for steps a SQL file cannot hold
 * (loops over tables, dates computed at run time). It runs in the migration's transaction and must
 * not import living code (its checksum covers only its own file): spell the DDL out.
 */
export interface TsMigration {
  up(tx: Queryable): Promise<void>
}

export interface MigrateOptions {
  /** Apply migrations up to and including this version (e.g. '0002_city_layers'); tests of later migrations start there. */
  through?: string
}

const MIGRATION_FILE = /^(\d{4}_.+)\.(sql|ts)$/

/** Makes sure PostGIS is there (or says exactly why not), then applies pending migrations in order. */
export async function migrate(db: Db, opts: MigrateOptions = {}): Promise<MigrationReport> {
  const postgis = await ensurePostgis(db)
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
  const files = migrationFiles()
  const applied: string[] = []
  for (const file of files) {
    const text = readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8')
    const checksum = createHash('sha256').update(text).digest('hex')
    const version = file.replace(MIGRATION_FILE, '$1')
    if (opts.through !== undefined && version > opts.through) break
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
      const existing = await tx.query<{ checksum: string }>('SELECT checksum FROM schema_migration WHERE version = $1', [version])
      const row = existing.rows[0]
      if (row) {
        if (row.checksum !== checksum) {
          throw new DbBootError(
            `Migration ${file} was changed after it was applied to ${db.describe()}. Migrations are append-only: add a new one instead.`,
            'MIGRATION_CHANGED',
          )
        }
        return false
      }
      if (file.endsWith('.ts')) await (await loadTsMigration(file)).up(tx)
      else for (const statement of splitSql(text)) await tx.query(statement)
      await tx.query('INSERT INTO schema_migration (version, checksum) VALUES ($1, $2)', [version, checksum])
      return true
    })
    if (done) applied.push(version)
  }
  return { applied, postgis }
}

/** Migration files in the order they apply: by number, SQL and TypeScript alike; a number used twice is refused. */
function migrationFiles(): string[] {
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => MIGRATION_FILE.test(f) && !/\.(d|test|int\.test)\.ts$/.test(f)).sort()
  for (let i = 1; i < files.length; i++) {
    if (files[i]!.slice(0, 4) === files[i - 1]!.slice(0, 4)) {
      throw new DbBootError(`Two migrations share the number ${files[i]!.slice(0, 4)} (${files[i - 1]}, ${files[i]}); renumber the newer one.`, 'MIGRATION_DUPLICATE')
    }
  }
  return files
}

async function loadTsMigration(file: string): Promise<TsMigration> {
  const mod = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as Partial<TsMigration>
  if (typeof mod.up !== 'function') throw new DbBootError(`Migration ${file} does not export up(tx).`, 'MIGRATION_INVALID')
  return mod as TsMigration
}

async function ensurePostgis(db: Db): Promise<string> {
  const available = await db.query<{ installed_version: string | null; default_version: string }>(
    "SELECT installed_version, default_version FROM pg_available_extensions WHERE name = 'postgis'",
  )
  const row = available.rows[0]
  if (!row) {
    throw new DbBootError(
      `PostGIS is not installed on ${db.describe()}. Install it on the database server (Debian: apt-get install postgresql-15-postgis-3), or unset DATABASE_URL to use the embedded database.`,
      'POSTGIS_MISSING',
    )
  }
  if (!row.installed_version) {
    try {
      await db.exec('CREATE EXTENSION IF NOT EXISTS postgis')
    } catch (err) {
      throw new DbBootError(
        `PostGIS is available but not enabled in ${db.describe()}, and enabling it failed: ${(err as Error).message}. Ask a database owner to run "CREATE EXTENSION postgis;" in this database.`,
        'POSTGIS_NOT_ENABLED',
      )
    }
  }
  const version = await db.query<{ v: string }>('SELECT postgis_lib_version() AS v')
  const v = version.rows[0]?.v ?? '0'
  if (Number(v.split('.')[0]) < 3) {
    throw new DbBootError(`PostGIS ${v} is too old on ${db.describe()}; Gemello needs PostGIS 3 or newer.`, 'POSTGIS_TOO_OLD')
  }
  return v
}

/** Splits a migration file on semicolons at line ends (our migrations contain no functions with bodies). */
export function splitSql(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0)
}
