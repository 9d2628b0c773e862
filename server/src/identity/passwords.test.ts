import { scryptSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from './passwords'

describe('local-account passwords', () => {
  it('hash with scrypt at 128 MiB, salted, and verify only the same password', async () => {
    const a = await hashPassword('piazza maggiore 1')
    const b = await hashPassword('piazza maggiore 1')
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    expect(a).not.toBe(b) // a fresh salt each time
    expect(await verifyPassword('piazza maggiore 1', a)).toBe(true)
    expect(await verifyPassword('piazza maggiore 2', a)).toBe(false)
    expect(await verifyPassword('', a)).toBe(false)
  }, 30_000)

  it('is the scrypt the stored parameters say (an independent computation gives the same key)', async () => {
    const stored = await hashPassword('torre degli asinelli')
    const [, N, r, p, salt, key] = stored.split('$')
    const again = scryptSync('torre degli asinelli', Buffer.from(salt!, 'base64url'), 32, { N: Number(N), r: Number(r), p: Number(p), maxmem: 512 * 1024 * 1024 })
    expect(again.toString('base64url')).toBe(key)
  }, 30_000)

  it('verifies hashes made with older settings and says they need a rehash', async () => {
    const salt = Buffer.from('0123456789abcdef')
    const old = ['scrypt', 2 ** 14, 8, 1, salt.toString('base64url'), scryptSync('due torri di bologna', salt, 32, { N: 2 ** 14, r: 8, p: 1 }).toString('base64url')].join('$')
    expect(await verifyPassword('due torri di bologna', old)).toBe(true)
    expect(needsRehash(old)).toBe(true)
    expect(needsRehash(await hashPassword('due torri di bologna'))).toBe(false)
  }, 30_000)

  it('refuses short and oversize passwords with a message, and malformed stored values without throwing', async () => {
    expect(passwordProblem('short')).toMatch(/at least 12 characters/)
    expect(passwordProblem('x'.repeat(2000))).toMatch(/at most 1024 bytes/)
    await expect(hashPassword('short')).rejects.toThrow(/at least 12/)
    for (const bad of ['', 'bcrypt$x', 'scrypt$0$8$1$aa$bb', 'scrypt$2097152$8$1$aa$bb', 'scrypt$16384$8$1$aa$'])
      expect(await verifyPassword('whatever password', bad), bad).toBe(false)
    expect(await verifyPassword('y'.repeat(5000), await hashPassword('a valid password'))).toBe(false)
  }, 30_000)
})
