/**
 * Staff accounts for route tests, quickly: the row createLocalUser writes, with the password hashed in
 * the product's own format (`scrypt$N$r$p$salt$key`) at N = 2¹⁰ instead of 2¹⁷. Signing in then runs
 * the product's verifyPassword on it (the stored settings say how) in a millisecond where the real
 * setting costs ≈ 0.5 s a hash — two per account, hundreds of accounts per suite. The password
 * settings themselves are tested in server/src/identity/passwords.test.ts and identity.int.test.ts,
 * whose accounts are made the product's way.
 */
import { randomBytes, scryptSync } from 'node:crypto'
import type { Role } from '../../contracts/access'
import type { Db } from '../../server/src/db/adapter'

export async function insertTestAccount(db: Db, username: string, roles: readonly Role[], password: string): Promise<void> {
  const salt = randomBytes(16)
  const key = scryptSync(password.normalize('NFC'), salt, 32, { N: 1024, r: 8, p: 1 })
  const hash = ['scrypt', 1024, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$')
  await db.query(`INSERT INTO staff_user (username, display_name, source, roles, password_hash) VALUES ($1, $1, 'local', $2, $3)`, [username, roles, hash])
}
