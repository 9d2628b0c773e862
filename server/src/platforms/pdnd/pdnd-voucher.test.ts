/**
 * PDND vouchers against a loopback authorization server that validates every request against the
 * published OpenAPI document (specs/pdnd) and verifies the client assertion with the registered key
 * and PDND's rules (tests/helpers/platform-mock/pdnd-mock.ts).
 */
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientKeyPair, PDND_SPEC, startPdndMock, type PdndMock } from '../../../../tests/helpers/platform-mock/pdnd-mock'
import { haveSpec } from '../../../../tests/helpers/platform-mock/openapi-spec'
import { PdndError, PdndVoucherClient, type PdndSettings } from './pdnd-voucher'

const CLIENT = 'e58035ce-c753-4f72-b613-46f8a17b71cc'
const PURPOSE = '1b361d49-33f4-4f1e-a88b-4e12661f2309'
const AUDIENCE = 'auth.uat.interop.pagopa.it/client-assertion'
let mock: PdndMock
let settings: PdndSettings
// The client's clock and the server's, moved together by the caching test.
let clock = Date.now()

beforeAll(async () => {
  const keys = await clientKeyPair()
  mock = await startPdndMock({ clientId: CLIENT, kid: 'gemello-key-1', publicJwk: keys.publicJwk, audience: AUDIENCE, purposes: [PURPOSE], clock: () => clock })
  settings = { tokenUrl: mock.tokenUrl, clientId: CLIENT, kid: 'gemello-key-1', privateKeyPem: keys.privateKeyPem, audience: AUDIENCE }
})
afterAll(async () => {
  await mock?.close()
})

describe.runIf(haveSpec(PDND_SPEC))('PDND vouchers', () => {
  it('signs an assertion with only the header fields and claims PDND allows, and no nbf', async () => {
    const a = await new PdndVoucherClient(settings, { clock: () => clock }).assertion(PURPOSE)
    expect(Object.keys(decodeProtectedHeader(a)).sort()).toEqual(['alg', 'kid', 'typ'])
    const claims = decodeJwt(a)
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'purposeId', 'sub'])
    expect(claims).toMatchObject({ iss: CLIENT, sub: CLIENT, aud: AUDIENCE, purposeId: PURPOSE })
    expect(claims.exp! - claims.iat!).toBe(300)
  })

  it('gets a voucher the server accepts under the specification, and reuses it until a minute before it expires', async () => {
    const c = new PdndVoucherClient(settings, { clock: () => clock })
    const first = await c.voucher(PURPOSE)
    expect(mock.violations).toEqual([])
    expect(mock.requests).toBe(1)
    expect(decodeJwt(first)).toMatchObject({ purposeId: PURPOSE })
    const [again, parallel] = await Promise.all([c.voucher(PURPOSE), c.voucher(PURPOSE)])
    expect(again).toBe(first)
    expect(parallel).toBe(first)
    expect(mock.requests).toBe(1)
    const timed = new PdndVoucherClient(settings, { clock: () => clock })
    await timed.voucher(PURPOSE)
    clock += 539_000
    await timed.voucher(PURPOSE)
    expect(mock.requests).toBe(2)
    clock += 2_000
    await timed.voucher(PURPOSE)
    expect(mock.requests).toBe(3)
    expect(mock.violations).toEqual([])
  })

  it('says a refusal is not worth retrying, and a rate limit or a server failure is (with the wait PDND gives)', async () => {
    const c = () => new PdndVoucherClient(settings, { clock: () => clock })
    const caught = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as PdndError)
    const unknownPurpose = await caught(c().voucher('00000000-0000-4000-8000-000000000000'))
    expect(unknownPurpose).toMatchObject({ kind: 'refused', http: 401 })
    expect(unknownPurpose!.message).toMatch(/purpose is active/)
    mock.script = 'rate'
    expect(await caught(c().voucher(PURPOSE))).toMatchObject({ kind: 'retry', http: 429, retryAfterS: 20 })
    mock.script = 'fail'
    expect(await caught(c().voucher(PURPOSE))).toMatchObject({ kind: 'retry', http: 500 })
    mock.script = 'ok'
    const unreachable = await caught(new PdndVoucherClient({ ...settings, tokenUrl: 'http://127.0.0.1:9/authorization-server/token.oauth2' }).voucher(PURPOSE))
    expect(unreachable).toMatchObject({ kind: 'retry', http: null })
    const wrongKey = await caught(new PdndVoucherClient({ ...settings, privateKeyPem: (await clientKeyPair()).privateKeyPem }).voucher(PURPOSE))
    expect(wrongKey).toMatchObject({ kind: 'refused', http: 401 })
    expect(mock.violations).toEqual([])
  })
})
