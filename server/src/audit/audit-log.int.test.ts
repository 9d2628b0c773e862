import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { TEST_TARGET } from '../../../tests/helpers/test-env'
import { appendAudit, GENESIS_HASH, searchAudit, stateHash, verifyAuditChain, type AuditEntry } from './audit-log'

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
}, 240_000)
afterAll(async () => {
  await t?.drop()
})

const T0 = Date.UTC(2026, 10, 26, 8, 0, 0, 123)
const entry = (i: number, o: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: i % 2 ? 'u-rossi' : 'u-bianchi',
  actorRole: 'traffic_engineer',
  action: 'signal_plan.update',
  target: `signal_plan:c20${i % 3}@v${i}`,
  beforeHash: stateHash({ cycleS: 90, i }),
  afterHash: stateHash({ cycleS: 96, i }),
  requestId: `req-${i}`,
  detail: { reason: 'evening peak', z: { b: 2, a: 1 } },
  ...o,
})
const append = (i: number, o: Partial<AuditEntry> = {}) => t.db.transaction((tx) => appendAudit(tx, entry(i, o), T0 + i * 1000))
/** Runs SQL as the table's owner with the append-only triggers off: what an attacker with owner rights could do. */
async function tamper(sql: string): Promise<void> {
  await t.db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER')
    await tx.query(sql)
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER USER')
  })
}

describe('the audit log', () => {
  it('chains rows from the genesis hash, in the order they commit, and verifies', async () => {
    const first = await append(1)
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH })
    for (let i = 2; i <= 6; i++) await append(i)
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, rows: 6 })
    // A rolled-back action leaves neither a row nor a gap.
    await expect(
      t.db.transaction(async (tx) => {
        await appendAudit(tx, entry(99))
        throw new Error('the audited change failed')
      }),
    ).rejects.toThrow('the audited change failed')
    expect((await append(7)).seq).toBe(7)
    expect(await verifyAuditChain(t.db, 2)).toMatchObject({ ok: true, rows: 7 })
  })

  it('refuses UPDATE, DELETE and TRUNCATE, whoever asks', async () => {
    await expect(t.db.query(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2`)).rejects.toThrow(/append-only: UPDATE refused/)
    await expect(t.db.query(`DELETE FROM audit_log WHERE seq = 2`)).rejects.toThrow(/append-only: DELETE refused/)
    await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE refused/)
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, rows: 7 })
  })

  it('finds rows by actor, action, target prefix and time, newest first, with the fields as written', async () => {
    const rows = await searchAudit(t.db, { actor: 'u-rossi', target: 'signal_plan:c20*', fromMs: T0 + 2000 })
    expect(rows.map((r) => r.seq)).toEqual([7, 5, 3])
    expect(rows[0]).toMatchObject({ actorRole: 'traffic_engineer', action: 'signal_plan.update', requestId: 'req-7', atMs: T0 + 7000, detail: { reason: 'evening peak', z: { a: 1, b: 2 } } })
    expect(await searchAudit(t.db, { target: "signal_plan:c201@v1' OR '1'='1" })).toEqual([])
    expect((await searchAudit(t.db, { limit: 2, beforeSeq: 7 })).map((r) => r.seq)).toEqual([6, 5])
  })

  it('names the first row that was changed, removed or slipped in behind the triggers', async () => {
    await tamper(`UPDATE audit_log SET action = 'signal_plan.read' WHERE seq = 4`)
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, rows: 3, brokenAtSeq: 4, reason: expect.stringMatching(/row 4 was changed/) })
    await tamper(`UPDATE audit_log SET action = 'signal_plan.update' WHERE seq = 4`)
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true })

    const head = await verifyAuditChain(t.db)
    await tamper(`DELETE FROM audit_log WHERE seq = 3`)
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, rows: 2, brokenAtSeq: 3, reason: expect.stringMatching(/row 3 is missing/) })
    // Renumbered to hide the gap: the chain of hashes still shows it.
    await tamper(`UPDATE audit_log SET seq = 3 WHERE seq = 4`)
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAtSeq: 3, reason: expect.stringMatching(/row 3 does not follow row 2/) })
    // Cutting off the newest rows leaves a valid, shorter chain: only a head hash kept elsewhere shows it.
    await tamper(`DELETE FROM audit_log WHERE seq >= 3`)
    const cut = await verifyAuditChain(t.db)
    expect(cut).toMatchObject({ ok: true, rows: 2 })
    expect(cut.ok && head.ok && cut.head !== head.head).toBe(true)
  })

  it('counts past 9: the head is the highest seq as a number, not as text', async () => {
    const t2 = await createTestDb()
    try {
      for (let i = 1; i <= 12; i++) await t2.db.transaction((tx) => appendAudit(tx, entry(i)))
      expect(await verifyAuditChain(t2.db, 5)).toMatchObject({ ok: true, rows: 12 })
      expect((await searchAudit(t2.db, { limit: 3 })).map((r) => r.seq)).toEqual([12, 11, 10])
    } finally {
      await t2.drop()
    }
  }, 240_000)

  it.runIf(TEST_TARGET === 'services')('keeps one chain when actions commit concurrently', async () => {
    const t2 = await createTestDb()
    try {
      const clients = await Promise.all(Array.from({ length: 4 }, async () => {
        const c = new pg.Client({ connectionString: t2.url! })
        await c.connect()
        return c
      }))
      await Promise.all(
        clients.map(async (c, k) => {
          for (let i = 0; i < 10; i++) {
            await c.query('BEGIN')
            await appendAudit(c as unknown as Parameters<typeof appendAudit>[0], entry(k * 100 + i))
            await c.query('COMMIT')
          }
        }),
      )
      await Promise.all(clients.map((c) => c.end()))
      expect(await verifyAuditChain(t2.db)).toMatchObject({ ok: true, rows: 40 })
    } finally {
      await t2.drop()
    }
  })
})
