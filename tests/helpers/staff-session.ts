/**
 * Signing staff in from tests, through the real API (no session is forged): the administrator comes
 * from GEMELLO_ADMIN_USERNAME/PASSWORD (TEST_ADMIN_ENV), other roles are created by it.
 */
import type { Role } from '../../contracts/access'

export const TEST_ADMIN = { username: 'test-admin', password: 'test-admin-password-only' } as const
export const TEST_ADMIN_ENV = { GEMELLO_ADMIN_USERNAME: TEST_ADMIN.username, GEMELLO_ADMIN_PASSWORD: TEST_ADMIN.password } as const

/** `name=value` of the session cookie a response set, or null. */
export function sessionCookieOf(res: Response): string | null {
  for (const c of res.headers.getSetCookie()) {
    const first = c.split(';')[0]!
    if (/^(__Host-)?gemello_session=./.test(first)) return first
  }
  return null
}

/** Signs in with a local account; returns the Cookie header value. */
export async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  const cookie = sessionCookieOf(res)
  if (res.status !== 200 || !cookie) throw new Error(`sign-in of ${username} failed: HTTP ${res.status} ${await res.text()}`)
  return cookie
}

export const signInAdmin = (baseUrl: string) => signIn(baseUrl, TEST_ADMIN.username, TEST_ADMIN.password)

/** Creates a local account with `roles` (as the admin) and signs it in; returns its Cookie header value. */
export async function staffSession(baseUrl: string, adminCookie: string, username: string, roles: Role[]): Promise<string> {
  const password = `${username}-password-for-tests`
  const res = await fetch(`${baseUrl}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: adminCookie }, body: JSON.stringify({ username, roles, password }) })
  if (res.status !== 200 && res.status !== 409) throw new Error(`creating ${username} failed: HTTP ${res.status} ${await res.text()}`)
  return signIn(baseUrl, username, password)
}
