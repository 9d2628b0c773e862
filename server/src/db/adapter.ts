/**
 * The database adapter: the ONE place where the two run modes differ.
 *
 *  - embedded: PGlite (PostgreSQL compiled to WASM) with the PostGIS extension, in this process,
 *    persisted in DATA_DIR. One connection; queries queue behind each other. No ST_AsMVT.
 *  - server:   PostgreSQL + PostGIS over TCP (DATABASE_URL), with a pg connection pool.
 *
 * Everything above this file sees the same `Db`: query, exec, transaction, copyRows, close.
 * Both return int8 as JS numbers, timestamptz as Date and json/jsonb parsed.
 */
import { mkdirSync } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { redactUrl } from '../config/config'

export interface QueryResult<R> {
  rows: R[]
  rowCount: number
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>
}

export interface Db extends Queryable {
  readonly mode: 'embedded' | 'server'
  /**
   * What this engine can do; callers branch on capabilities, never on mode. concurrentWriters:
   * write transactions worth running at once (PGlite is one connection: 1). detachConcurrently:
   * `ALTER TABLE … DETACH PARTITION … CONCURRENTLY` outside a transaction, so that dropping an old
   * partition never waits for (or blocks) the writers (PGlite: one connection, nothing to wait for).
   */
  readonly capabilities: { asMvt: boolean; concurrentWriters: number; detachConcurrently: boolean }
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /** Bulk-loads rows in COPY text format (tab-separated, \N for null). Used by imports and benchmarks. */
  copyRows(table: string, columns: string[], text: string): Promise<void>
  /** A description safe for logs (no secrets). */
  describe(): string
  close(): Promise<void>
}

/** A failure a person can act on: why the database could not be used, and what to do. */
export class DbBootError extends Error {
  constructor(message: string, public readonly code: string) {
    super(message)
    this.name = 'DbBootError'
  }
}

// -------------------------------------------------------------------------------------------
// server mode: node-postgres
// -------------------------------------------------------------------------------------------

const INT8_OID = 20
const NUMERIC_OID = 1700
const typeParser = (oid: number, format?: string): ((v: string) => unknown) => {
  if (oid === INT8_OID) return (v: string) => Number(v)
  if (oid === NUMERIC_OID) return (v: string) => Number(v)
  return pg.types.getTypeParser(oid, format as 'text')
}

class PgDb implements Db {
  readonly mode = 'server' as const
  readonly capabilities = { asMvt: true, concurrentWriters: 2, detachConcurrently: true }
  constructor(private readonly pool: pg.Pool, private readonly url: string) {}

  async query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    const r = await this.pool.query(sql, params as unknown[])
    return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 }
  }
  async exec(sql: string): Promise<void> {
    await this.pool.query(sql)
  }
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const { client, release } = await this.checkout()
    let failure: unknown = null
    try {
      await client.query('BEGIN')
      const tx: Queryable = {
        query: async <R>(sql: string, params?: unknown[]) => {
          const r = await client.query(sql, params as unknown[])
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 }
        },
      }
      const result = await fn(tx)
      await client.query('COMMIT')
      return result
    } catch (err) {
      failure = err
      await client.query('ROLLBACK').catch(() => undefined)
      throw err
    } finally {
      release(failure)
    }
  }
  async copyRows(table: string, columns: string[], text: string): Promise<void> {
    const { client, release } = await this.checkout()
    let failure: unknown = null
    try {
      const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`))
      await pipeline(Readable.from([text]), stream)
    } catch (err) {
      failure = err
      throw err
    } finally {
      release(failure)
    }
  }
  /**
   * A pooled connection for several statements. While it is checked out, the pool no longer listens
   * for its errors: a server that crashes between two statements would raise an unhandled 'error'
   * and kill the process (found by tests/chaos/db-stop.chaos.ts). The listener here keeps the error,
   * and a connection that failed is destroyed on release instead of going back to the pool.
   */
  private async checkout(): Promise<{ client: pg.PoolClient; release(err: unknown): void }> {
    const client = await this.pool.connect()
    let broken: Error | null = null
    const onError = (err: Error) => {
      broken = err
    }
    client.on('error', onError)
    return {
      client,
      release: (err) => {
        client.removeListener('error', onError)
        const fatal = broken ?? (err instanceof Error && isConnectionError(err) ? err : null)
        client.release(fatal ?? undefined)
      },
    }
  }
  describe(): string {
    return `PostgreSQL ${redactUrl(this.url)}`
  }
  async close(): Promise<void> {
    await this.pool.end()
  }
}

function explainPgError(err: unknown, url: string): DbBootError {
  const e = err as { code?: string; message?: string }
  const where = redactUrl(url)
  switch (e.code) {
    case 'ECONNREFUSED':
      return new DbBootError(`Cannot reach PostgreSQL at ${where}: connection refused. Start PostgreSQL or fix DATABASE_URL.`, 'DB_UNREACHABLE')
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DbBootError(`Cannot resolve the PostgreSQL host in ${where}. Fix the host name in DATABASE_URL.`, 'DB_UNREACHABLE')
    case 'ETIMEDOUT':
      return new DbBootError(`Timed out connecting to PostgreSQL at ${where}. Check the network and DATABASE_URL.`, 'DB_UNREACHABLE')
    case '3D000':
      return new DbBootError(`The database in ${where} does not exist. Create it (createdb <name>) or fix DATABASE_URL.`, 'DB_MISSING')
    case '28P01':
    case '28000':
      return new DbBootError(`PostgreSQL refused the credentials in ${where}. Fix the user or password in DATABASE_URL.`, 'DB_AUTH')
    default:
      return new DbBootError(`Cannot use PostgreSQL at ${where}: ${e.message ?? String(err)}`, 'DB_UNREACHABLE')
  }
}

async function openServerDb(url: string, poolSize: number): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    types: { getTypeParser: typeParser } as pg.CustomTypesConfig,
  })
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined)
  try {
    const client = await pool.connect()
    client.release()
  } catch (err) {
    await pool.end().catch(() => undefined)
    throw explainPgError(err, url)
  }
  return new PgDb(pool, url)
}

// -------------------------------------------------------------------------------------------
// embedded mode: PGlite + PostGIS
// -------------------------------------------------------------------------------------------

type PGliteInstance = import('@electric-sql/pglite').PGlite
type PGliteTx = import('@electric-sql/pglite').Transaction

class PgliteDb implements Db {
  readonly mode = 'embedded' as const
  readonly capabilities = { asMvt: false, concurrentWriters: 1, detachConcurrently: false }
  constructor(private readonly pg: PGliteInstance, private readonly dataDir: string | null) {}

  async query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    const r = await this.pg.query<R>(sql, params as unknown[])
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length }
  }
  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql)
  }
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction(async (t: PGliteTx) => {
      const tx: Queryable = {
        query: async <R>(sql: string, params?: unknown[]) => {
          const r = await t.query<R>(sql, params as unknown[])
          return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length }
        },
      }
      return fn(tx)
    })
  }
  async copyRows(table: string, columns: string[], text: string): Promise<void> {
    await this.pg.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([text]) })
  }
  describe(): string {
    return this.dataDir ? `embedded PGlite in ${this.dataDir}` : 'embedded PGlite in memory'
  }
  async close(): Promise<void> {
    await this.pg.close()
  }
  /** The whole database as a tarball (PGlite's data directory): openDb's `snapshot` starts from it. */
  dumpSnapshot(): Promise<Blob> {
    return this.pg.dumpDataDir('none')
  }
}

/** An embedded database's snapshot (tests start each file's database from a migrated one); null on a server. */
export function dumpSnapshot(db: Db): Promise<Blob> | null {
  return db instanceof PgliteDb ? db.dumpSnapshot() : null
}

/** Opens PGlite with PostGIS. `dataDir` null = in memory (tests); `snapshot`: start from a dumped database (dumpSnapshot). */
async function openEmbeddedDb(dataDir: string | null, snapshot?: Blob): Promise<Db> {
  const [{ PGlite }, { postgis }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-postgis')])
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  try {
    const instance = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...(snapshot ? { loadDataDir: snapshot } : {}), extensions: { postgis } })
    return new PgliteDb(instance, dataDir)
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err)
    throw new DbBootError(
      `Cannot open the embedded database in ${dataDir ?? 'memory'}: ${msg}. If another Gemello is running on the same DATA_DIR, stop it; if the directory is damaged, run "npm run reset".`,
      'DB_EMBEDDED_FAILED',
    )
  }
}

export type DbTarget = { kind: 'embedded'; dataDir: string | null; snapshot?: Blob } | { kind: 'server'; url: string }

export async function openDb(target: DbTarget, opts: { poolSize?: number } = {}): Promise<Db> {
  return target.kind === 'server' ? openServerDb(target.url, opts.poolSize ?? 8) : openEmbeddedDb(target.dataDir, target.snapshot)
}

/** Errors after which a connection cannot be used again (the server went away or cut it). */
function isConnectionError(err: Error): boolean {
  const code = (err as { code?: string }).code ?? ''
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code) || /Connection terminated|connection ended|not queryable/i.test(err.message)
}
