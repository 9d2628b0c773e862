/**
 * Local-account passwords (ADR 0005): scrypt, Node's own memory-hard function — N = 2¹⁷, r = 8,
 * p = 1 (128 MiB per hash, OWASP's scrypt setting), a 16-byte random salt, a 32-byte key. Stored as
 * `scrypt$<N>$<r>$<p>$<salt b64url>$<key b64url>`, so that stronger settings later can still verify
 * old hashes and `needsRehash` says when to upgrade one at the next sign-in.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'

export const SCRYPT = { N: 2 ** 17, r: 8, p: 1, keyLen: 32, saltLen: 16 } as const
/** Refused outright: hashing them costs 128 MiB each, and no person types 1 KiB. */
export const MAX_PASSWORD_BYTES = 1024
export const MIN_PASSWORD_CHARS = 12

const scrypt = (password: string, salt: Buffer, keyLen: number, o: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keyLen, o, (err, key) => (err ? reject(err) : resolve(key))))
const opts = (N: number, r: number, p: number): ScryptOptions => ({ N, r, p, maxmem: 2 * 128 * N * r * p })

/** Why a new password is refused, in words a person can act on; null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_CHARS) return `The password must be at least ${MIN_PASSWORD_CHARS} characters long.`
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return `The password must be at most ${MAX_PASSWORD_BYTES} bytes long.`
  return null
}

export async function hashPassword(password: string): Promise<string> {
  const problem = passwordProblem(password)
  if (problem) throw new Error(problem)
  const salt = randomBytes(SCRYPT.saltLen)
  const key = await scrypt(password.normalize('NFC'), salt, SCRYPT.keyLen, opts(SCRYPT.N, SCRYPT.r, SCRYPT.p))
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** Constant-time check; false for a malformed stored value or an oversize password (never throws). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt' || Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return false
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 2 ** 20) return false
  const salt = Buffer.from(parts[4]!, 'base64url')
  const expected = Buffer.from(parts[5]!, 'base64url')
  if (expected.length === 0) return false
  const key = await scrypt(password.normalize('NFC'), salt, expected.length, opts(N, r, p))
  return timingSafeEqual(key, expected)
}

/** True when a stored hash was made with weaker settings than today's. */
export function needsRehash(stored: string): boolean {
  const [, N, r, p] = stored.split('$').map(Number)
  return N !== SCRYPT.N || r !== SCRYPT.r || p !== SCRYPT.p
}
