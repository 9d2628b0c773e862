/**
 * "The application's database role cannot UPDATE or DELETE the audit log" (issue 5): on PostgreSQL,
 * Gemello running as a plain (non-superuser) role that owns its database and ran its own migrations
 * gets "permission denied" for UPDATE, DELETE and TRUNCATE on audit_log, while it can append and read.
 * (PGlite has one superuser: there the trigger of migration 0005 is the guard, tested in audit-log.int.test.ts.)
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb, type Db } from '../db/adapter'
import { migrate } from '../db/migrate'
import { TEST_DATABASE_URL, TEST_TARGET } from '../../../tests/helpers/test-env'
import { appendAudit, verifyAuditChain } from './audit-log'

const services = TEST_TARGET === 'services'
const suffix = randomBytes(4).toString('hex')
const role = `gemello_t_app_${suffix}`
const dbName = `gemello_t_role_${suffix}`
let db: Db | null = null

async function asSuperuser(sql: string[], database?: string): Promise<void> {
  const url = new URL(TEST_DATABASE_URL)
  if (database) url.pathname = `/${database}`
  const c = new pg.Client({ connectionString: url.toString() })
  await c.connect()
  try {
    for (const q of sql) await c.query(q)
  } finally {
    await c.end()
  }
}

describe.skipIf(!services)('the audit log under Gemello’s own database role', () => {
  beforeAll(async () => {
    await asSuperuser([`CREATE ROLE ${role} LOGIN NOSUPERUSER PASSWORD 'app-role-password'`, `CREATE DATABASE ${dbName} OWNER ${role}`])
    // PostGIS is created by an administrator (it is not a trusted extension); the rest Gemello does itself.
    await asSuperuser(['CREATE EXTENSION postgis'], dbName)
    const url = new URL(TEST_DATABASE_URL)
    url.username = role
    url.password = 'app-role-password'
    url.pathname = `/${dbName}`
    db = await openDb({ kind: 'server', url: url.toString() })
    await migrate(db)
  }, 120_000)

  afterAll(async () => {
    await db?.close()
    await asSuperuser([`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`, `DROP ROLE IF EXISTS ${role}`])
  })

  it('appends and reads, but is refused UPDATE, DELETE and TRUNCATE by privilege', async () => {
    await db!.transaction((tx) => appendAudit(tx, { actor: 'alice', actorRole: 'admin', action: 'user.update', target: 'user:bob' }))
    const who = await db!.query<{ super: boolean }>('SELECT rolsuper AS super FROM pg_roles WHERE rolname = current_user')
    expect(who.rows[0]!.super).toBe(false)
    for (const sql of ["UPDATE audit_log SET actor = 'mallory'", 'DELETE FROM audit_log', 'TRUNCATE audit_log']) {
      await expect(db!.query(sql)).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('permission denied for table audit_log') })
    }
    expect(await verifyAuditChain(db!)).toMatchObject({ ok: true, rows: 1 })
  })
})
