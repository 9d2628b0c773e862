import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { TEST_TARGET } from '../../../tests/helpers/test-env'
import { runAuditCli } from './audit-cli'
import { appendAudit } from './audit-log'

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env, cwd: process.cwd() } }
}

describe('npm run audit', () => {
  it('explains its usage and refuses bad options before opening any database', async () => {
    for (const argv of [[], ['drop'], ['verify', '--now'], ['search', '--who', 'x'], ['search', '--from', 'yesterday'], ['search', '--limit', '5000']]) {
      const x = io({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' })
      expect(await runAuditCli(argv, x.io), argv.join(' ')).toBe(2)
      expect(x.err.join('\n')).toMatch(/Usage: npm run audit -- verify/)
    }
  })

  describe.runIf(TEST_TARGET === 'services')('on a database', () => {
    let t: TestDb
    beforeAll(async () => {
      t = await createTestDb()
      for (let i = 1; i <= 3; i++) await t.db.transaction((tx) => appendAudit(tx, { actor: `u-${i}`, actorRole: 'admin', action: 'user.role_grant', target: `user:u-${i + 10}` }))
    })
    afterAll(async () => {
      await t?.drop()
    })

    it('verifies the chain and prints its head; names the broken row and exits 1 when it is not intact', async () => {
      let x = io({ DATABASE_URL: t.url! })
      expect(await runAuditCli(['verify'], x.io)).toBe(0)
      expect(x.out.join('\n')).toMatch(/audit log intact: 3 rows, head hash [0-9a-f]{64}/)
      await t.db.transaction(async (tx) => {
        await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER')
        await tx.query(`UPDATE audit_log SET target = 'user:u-99' WHERE seq = 2`)
        await tx.query('ALTER TABLE audit_log ENABLE TRIGGER USER')
      })
      x = io({ DATABASE_URL: t.url! })
      expect(await runAuditCli(['verify'], x.io)).toBe(1)
      expect(x.err.join('\n')).toMatch(/audit log BROKEN at row 2: row 2 was changed/)
    })

    it('searches, newest first, one JSON line per row', async () => {
      const x = io({ DATABASE_URL: t.url! })
      expect(await runAuditCli(['search', '--action', 'user.role_grant', '--limit', '2'], x.io)).toBe(0)
      expect(x.out.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([3, 2])
    })
  })
})
