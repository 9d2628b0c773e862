import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDb, type Db } from '../../server/src/db/adapter'
import { migrate } from '../../server/src/db/migrate'
import { TEST_DATABASE_URL, TEST_TARGET } from './test-env'

export interface TestDb {
  db: Db
  /** Connection URL of the throwaway database (services mode), null when embedded. */
  url: string | null
  drop(): Promise<void>
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a throwaway database
 * created on the PostgreSQL server (dropped afterwards). Nothing is mocked.
 */
export async function createTestDb(): Promise<TestDb> {
  if (TEST_TARGET === 'embedded') {
    const db = await openDb({ kind: 'embedded', dataDir: null })
    await migrate(db)
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
