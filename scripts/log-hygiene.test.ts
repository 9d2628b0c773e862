import { describe, expect, it } from 'vitest'
import { isText, scanLog } from './log-hygiene'

describe('log hygiene scanner', () => {
  it('finds session ids, tokens, fiscal codes, e-mails and test passwords, naming only the line and kind', () => {
    const log = [
      '{"level":30,"msg":"request","path":"/api/devices","status":200}',
      'cookie: __Host-gemello_session=Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXg',
      'id_token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJlLXZhbHVlLWhlcmU',
      'Authorization: Bearer 0123456789abcdef0123',
      'GET /api/auth/oidc/callback?code=abcdef0123456789&state=x',
      'citizen RSSMRA85T10A562S opened a case',
      'mail to mario.rossi@comune.bologna.it',
      '{"username":"x","password":"hunter2"}',
      'signed in with test-admin-password-only',
      'GDAL_HTTP_USERPWD=anna:gmt_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE',
    ].join('\n')
    expect(scanLog(log)).toEqual([
      { line: 2, kind: 'session cookie' },
      { line: 3, kind: 'JWT' },
      { line: 4, kind: 'bearer token' },
      { line: 5, kind: 'authorization code or token parameter' },
      { line: 6, kind: 'fiscal code' },
      { line: 7, kind: 'e-mail address' },
      { line: 8, kind: 'password field' },
      { line: 9, kind: 'a test password' },
      { line: 10, kind: 'personal access token' },
    ])
  })

  it('finds API keys and credentials of every kind, and phone numbers (issue 10: citizens’ contacts, the platforms’ keys)', () => {
    const log = [
      'authorization: Basic YW5uYTpodW50ZXIyaHVudGVyMg==',
      '{"headers":{"Ocp-Apim-Subscription-Key":"0123456789abcdef0123"}}',
      'x-api-key: 9f86d081884c7d65-9a2f',
      'POST /open311/v2/requests.json api_key=o311_AbCdEfGhIjKlMnOpQrStUvWx',
      '{"api_key":"AbCdEfGhIjKlMnOp"}',
      'client_assertion=abcdefghijklmnopqrstuvwxyz.0123',
      'call the reporter at +39 051 123 4567',
      'mobile 347 123 4567',
      '{"phone":"051 1234567"}',
    ].join('\n')
    expect(scanLog(log).map((f) => f.kind)).toEqual(['authorization header', 'api key header', 'api key header', 'Open311 api key', 'Open311 api key', 'client assertion', 'phone number', 'phone number', 'phone number'])
  })

  it('does not fire on what logs legitimately hold: request ids, hashes, package versions, paths, device ids', () => {
    const log = [
      '{"reqId":"5b0c3a8e-2f0e-4c1b-9a55-0d7f3c1e9b2a","path":"/api/devices/loop-450/history","status":200}',
      'audit head hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'installed @electric-sql/pglite@0.5.8 and vitest@4.1.12',
      'gemello/v1/traffic-loop/loop-450/traffic seq 1234',
      'First run: open http://127.0.0.1:8080/#setup=<token> to create the administrator',
      '{"level":30,"time":1795819381134,"pid":21401,"msg":"case 3901234567 routed to office strade"}',
      'stream 100000 readings at 1000/s; 3 stops of 1348 ms, 895 ms and 2754 ms; watermark 394 1234',
      'the PDND authorization server answered 200; Authorization: Bearer <redacted>',
      'no api_key given: 403',
    ].join('\n')
    expect(scanLog(log)).toEqual([])
  })

  it('skips binary artefacts (a PNG screenshot has NUL bytes), scans text logs', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, ...Buffer.from('a@b.cd')])
    expect(isText(png)).toBe(false)
    expect(isText(Buffer.from('{"level":30,"msg":"request"}\n'))).toBe(true)
  })
})
