/**
 * Mosquitto 2's password file format, written without mosquitto_passwd: one `username:hash` line per
 * identity, hash = `$7$<iterations>$<base64 salt>$<base64 PBKDF2-HMAC-SHA512(password, salt)>`
 * (12-byte salt, 64-byte hash, 101 iterations: what mosquitto_passwd 2.0 writes).
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto'

export const MOSQUITTO_ITERATIONS = 101

export function mosquittoPasswordHash(password: string, salt: Buffer = randomBytes(12), iterations = MOSQUITTO_ITERATIONS): string {
  const hash = pbkdf2Sync(password, salt, iterations, 64, 'sha512')
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`
}

export function mosquittoPasswordLine(username: string, password: string, salt?: Buffer): string {
  if (/[:\n\r]/.test(username)) throw new Error(`username "${username}" cannot be written to a Mosquitto password file (":" or a newline)`)
  return `${username}:${mosquittoPasswordHash(password, salt)}`
}
