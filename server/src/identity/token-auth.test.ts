import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { decide, type Principal } from './principal'
import { RateLimiter } from './rate-limit'
import { parseAuthorization, wantsBasicChallenge } from './token-auth'

const SECRET = `gmt_${'A'.repeat(43)}`
const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`
const request = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage

describe('an Authorization header', () => {
  it('presents a token as Bearer, or as Basic with the username (normalised like the sign-in)', () => {
    expect(parseAuthorization(`Bearer ${SECRET}`)).toEqual({ kind: 'bearer', secret: SECRET })
    expect(parseAuthorization(`bearer  ${SECRET} `)).toEqual({ kind: 'bearer', secret: SECRET })
    expect(parseAuthorization(basic(` Anna :${SECRET}`))).toEqual({ kind: 'basic', username: 'anna', secret: SECRET })
  })

  it('refuses Basic whose password is not a token (the account password), or without a username', () => {
    expect(parseAuthorization(basic('anna:anna-long-password'))).toMatchObject({ kind: 'refused', message: expect.stringMatching(/never the account password/) })
    expect(parseAuthorization(basic(`:${SECRET}`))).toMatchObject({ kind: 'refused', message: expect.stringMatching(/no username/) })
    expect(parseAuthorization('Basic not*base64')).toMatchObject({ kind: 'refused' })
    expect(parseAuthorization(basic('no-colon'))).toMatchObject({ kind: 'refused' })
  })

  it('refuses other schemes and malformed headers', () => {
    for (const h of ['Digest username="anna"', 'Bearer', SECRET, 'Bearer a b']) expect(parseAuthorization(h), h).toMatchObject({ kind: 'refused' })
  })
})

describe('the Basic challenge on a 401', () => {
  it('goes to requests that came with Basic, and to OGC clients that are not a page of the web client', () => {
    expect(wantsBasicChallenge(request('/api/devices', { authorization: basic('anna:x') }))).toBe(true)
    expect(wantsBasicChallenge(request('/ogc/collections/poles/items?f=json'))).toBe(true)
    expect(wantsBasicChallenge(request('/ogc', { 'sec-fetch-mode': 'navigate' }))).toBe(true)
    expect(wantsBasicChallenge(request('/ogc/collections', { 'sec-fetch-mode': 'cors' }))).toBe(false)
    expect(wantsBasicChallenge(request('/ogcx'))).toBe(false)
    expect(wantsBasicChallenge(request('/api/devices', { authorization: `Bearer ${SECRET}` }))).toBe(false)
  })
})

describe('failed token attempts', () => {
  it('are refused once the limit is used up, without counting the look', () => {
    let now = 0
    const limiter = new RateLimiter(2, 60_000, () => now)
    expect(limiter.wait('a')).toBe(0)
    limiter.hit('a')
    expect(limiter.wait('a')).toBe(0)
    limiter.hit('a')
    expect(limiter.wait('a')).toBe(60)
    expect(limiter.wait('b')).toBe(0)
    now = 60_000
    expect(limiter.wait('a')).toBe(0)
  })
})

describe('a token principal', () => {
  it('never passes a step-up permission, whatever its roles, and says why', () => {
    const admin: Principal = { signedIn: true, username: 'root', roles: ['admin', 'public'], session: null, token: { id: 1, name: 'scripts' } }
    expect(decide(admin, 'audit:read', 0)).toEqual({ ok: true })
    expect(decide(admin, 'users:admin', 0)).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/personal access token cannot/) })
    const engineer: Principal = { ...admin, roles: ['traffic_engineer', 'public'] }
    expect(decide(engineer, 'signal-plan:deploy', 0)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })
})
