import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { TEST_TARGET } from '../../../tests/helpers/test-env'
import { open311ClientOfKey } from '../db/cases'
import { runOpen311Cli } from './open311-cli'

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env, cwd: process.cwd() } }
}

describe('npm run open311', () => {
  it('explains its usage before opening any database, and says when the database cannot be opened', async () => {
    for (const argv of [[], ['add-client'], ['remove-client', 'x'], ['add-client', 'a', 'b'], ['add-client', 'x'.repeat(81)]]) {
      const x = io({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' })
      expect(await runOpen311Cli(argv, x.io), argv.join(' ')).toBe(2)
      expect(x.err.join('\n')).toMatch(/Usage: npm run open311 -- add-client/)
    }
    const x = io({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' })
    expect(await runOpen311Cli(['add-client', 'FixMyStreet'], x.io)).toBe(1)
    expect(x.err.join('\n')).not.toBe('')
  })

  // On PostgreSQL only (as the audit CLI's test): on the embedded database each run of the CLI would set up
  // PGlite and PostGIS from nothing (≈ 20 s); the database adapter is the same for both.
  describe.runIf(TEST_TARGET === 'services')('on a database', () => {
    let t: TestDb
    let env: NodeJS.ProcessEnv = {}
    beforeAll(async () => {
      t = await createTestDb()
      env = { DATABASE_URL: t.url! }
    }, 120_000)
    afterAll(async () => {
      await t?.drop()
    })

    it('registers a client and prints its key once; the key opens POSTs, the same name again is refused', async () => {
      const x = io(env)
      expect(await runOpen311Cli(['add-client', 'FixMyStreet Bologna'], x.io)).toBe(0)
      const key = /api_key (o311_[A-Za-z0-9_-]+)/.exec(x.out.join('\n'))?.[1]
      expect(key).toBeDefined()
      const again = io(env)
      expect(await runOpen311Cli(['add-client', 'FixMyStreet Bologna'], again.io)).toBe(1)
      expect(again.err.join('\n')).toMatch(/already called "FixMyStreet Bologna"/)
      expect(await open311ClientOfKey(t.db, key!)).toMatchObject({ name: 'FixMyStreet Bologna' })
      expect(await open311ClientOfKey(t.db, `${key!}x`)).toBeNull()
    })
  })
})
