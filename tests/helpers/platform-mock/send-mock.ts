/**
 * SEND on loopback for the tests (specs/send-pn with overlays/send-pn-b2b-pa.overlay.yaml, compiled by
 * Ajv in strict mode with unicode regexes): the B2B API of a sender and, on a second port, the storage
 * its preload slots point at. Every request body and parameter, and every answer before it is sent, is
 * validated against the document; what breaks it is recorded in `violations`.
 *
 * - x-api-key is required: a wrong or missing one is answered 403 (the document declares only that
 *   key; its 403 is a Problem).
 * - Preload gives a slot per file (url on the storage, secret, PUT, key); the storage takes the bytes
 *   only with the slot's method, content-type, x-amz-meta-secret and an x-amz-checksum-sha256 equal to
 *   the preload's sha256 and to the bytes' own — and never with the api-key, which is not its business.
 * - A notification request must refer to uploaded keys with their versionToken and sha256 (otherwise a
 *   violation, and SEND refuses it when evaluated); it is stored by paProtocolNumber + idempotenceToken,
 *   and the same pair again is answered 409 (PN_GENERIC_INVALIDPARAMETER_DUPLICATED), as SEND does.
 * - A request stays WAITING until `accept(id)` (ACCEPTED with its IUN; the notification ACCEPTED);
 *   `advance(iun, status)` moves the notification on.
 * - `script` shapes the send calls: 'ok', '500', '429' (Retry-After 7), '400', 'slow' (stores it,
 *   answers after 1 s), 'drop' (stores it, cuts the connection).
 * It never logs a body: they hold fiscal codes, names and addresses.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { applyOverlay, readOverlay } from './apply-overlay'
import { OpenApiSpec, SPECS_DIR } from './openapi-spec'

export const SEND_SPEC = 'send-pn/pn-api-external-b2b-pa-bundle.yaml'
export const SEND_OVERLAY = fileURLToPath(new URL('./overlays/send-pn-b2b-pa.overlay.yaml', import.meta.url))

let spec: OpenApiSpec | null = null
/** SEND's document with the overlay, compiled strictly (≈ 2 s, once per test process). */
export function sendSpec(): OpenApiSpec {
  spec ??= new OpenApiSpec(applyOverlay(readFileSync(path.join(SPECS_DIR, SEND_SPEC)), readOverlay(SEND_OVERLAY)), { strict: true })
  return spec
}

const PRELOAD = '#/paths/~1delivery~1attachments~1preload/post'
const SCHEMA = {
  preloadBody: `${PRELOAD}/requestBody/content/application~1json/schema`,
  preloadAnswer: `${PRELOAD}/responses/200/content/application~1json/schema`,
  requestId: '#/components/parameters/notificationRequestId/schema',
  protocol: '#/components/parameters/paProtocolNumber/schema',
  token: '#/components/parameters/idempotenceToken/schema',
  iun: '#/components/parameters/pathIun/schema',
}

type Json = Record<string, unknown>
export type SendMockScript = 'ok' | '500' | '429' | '400' | 'slow' | 'drop'

export interface SendMockRequest {
  notificationRequestId: string
  /** Given when the request is made, shown once it is accepted (SEND's requestId is the IUN in base64). */
  iun: string
  paProtocolNumber: string
  idempotenceToken: string
  /** The request as sent (personal data: for assertions only). */
  body: Json
  status: 'WAITING' | 'ACCEPTED' | 'REFUSED'
  /** Why evaluation will refuse it (documents not uploaded as declared). */
  refusal: Array<{ code: string; element: string }>
  sentAt: string
  history: Array<{ status: string; activeFrom: string }>
}

export interface SendMock {
  baseUrl: string
  storageUrl: string
  apiKey: string
  script: SendMockScript
  violations: string[]
  /** The notification requests SEND holds (one per paProtocolNumber + idempotenceToken). */
  requests: SendMockRequest[]
  /** Uploaded files by key. */
  uploads: Map<string, { sha256: string; versionToken: string; bytes: Buffer }>
  calls: { preload: number; upload: number; send: number; requestStatus: number; notification: number }
  /** Evaluates a request: ACCEPTED with its IUN (returned), or REFUSED when its documents were wrong. */
  accept(notificationRequestId: string): string
  advance(iun: string, status: string): void
  close(): Promise<void>
}

const body = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = []
    req.on('data', (d: Buffer) => chunks.push(d))
    req.on('end', () => resolve(Buffer.concat(chunks)))
  })
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('base64')

export async function startSendMock(o: { clock?: () => number } = {}): Promise<SendMock> {
  const s = sendSpec()
  const clock = o.clock ?? Date.now
  const slots = new Map<string, { secret: string; sha256: string; contentType: string; method: 'PUT' }>()
  const timers = new Set<NodeJS.Timeout>()
  let iuns = 0
  const mock: SendMock = {
    baseUrl: '',
    storageUrl: '',
    apiKey: `send-test-api-key-${randomBytes(6).toString('hex')}`,
    script: 'ok',
    violations: [],
    requests: [],
    uploads: new Map(),
    calls: { preload: 0, upload: 0, send: 0, requestStatus: 0, notification: 0 },
    accept(id) {
      const r = mock.requests.find((x) => x.notificationRequestId === id)
      if (!r) throw new Error(`send-mock: no request ${id}`)
      if (r.refusal.length) r.status = 'REFUSED'
      else {
        r.status = 'ACCEPTED'
        r.history = [{ status: 'ACCEPTED', activeFrom: new Date(clock()).toISOString() }]
      }
      return r.iun
    },
    advance(iun, status) {
      const r = mock.requests.find((x) => x.iun === iun && x.status === 'ACCEPTED')
      if (!r) throw new Error(`send-mock: no accepted notification ${iun}`)
      r.history.push({ status, activeFrom: new Date(clock()).toISOString() })
    },
    close: async () => undefined,
  }
  const check = (what: string, schema: string, value: unknown) => {
    const v = s.problems(schema, value)
    mock.violations.push(...v.map((x) => `${what}: ${x}`))
    return v
  }

  const answer = (res: ServerResponse, what: string, status: number, value: unknown, schema = 'Problem', headers: Record<string, string> = {}) => {
    check(`${what} answer ${status}`, schema, value)
    res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers }).end(JSON.stringify(value))
  }
  const problem = (res: ServerResponse, what: string, status: number, title: string, errors: Array<{ code: string; element?: string }>, headers: Record<string, string> = {}) =>
    answer(res, what, status, { type: 'GENERIC_ERROR', status, title, timestamp: new Date(clock()).toISOString(), errors }, 'Problem', headers)

  const api: Server = createServer((req, res) => {
    void body(req).then((raw) => {
      const url = new URL(req.url ?? '/', 'http://send.invalid')
      const route = `${req.method} ${url.pathname}`
      if (req.headers['x-api-key'] !== mock.apiKey) return problem(res, route, 403, 'Forbidden', [{ code: 'PN_GENERIC_FORBIDDEN' }])
      let json: unknown = null
      if (req.method === 'POST') {
        if (!String(req.headers['content-type']).startsWith('application/json')) mock.violations.push(`${route}: content-type is not application/json`)
        try {
          json = JSON.parse(raw.toString('utf8'))
        } catch {
          mock.violations.push(`${route}: body is not JSON`)
          return problem(res, route, 400, 'Bad Request', [{ code: 'PN_GENERIC_INVALIDPARAMETER' }])
        }
      }

      if (route === 'POST /delivery/attachments/preload') {
        mock.calls.preload++
        if (check(route, SCHEMA.preloadBody, json).length) return problem(res, route, 400, 'Bad Request', [{ code: 'PN_GENERIC_INVALIDPARAMETER' }])
        const out = (json as Array<{ preloadIdx?: string; contentType?: string; sha256: string }>).map((f) => {
          const key = `PN_NOTIFICATION_ATTACHMENTS-${randomBytes(12).toString('hex')}.pdf`
          const secret = randomBytes(16).toString('hex')
          slots.set(key, { secret, sha256: f.sha256, contentType: f.contentType ?? 'application/pdf', method: 'PUT' })
          return { ...(f.preloadIdx !== undefined ? { preloadIdx: f.preloadIdx } : {}), secret, httpMethod: 'PUT', url: `${mock.storageUrl}/pn-safestorage/${key}?X-Amz-Signature=${randomBytes(8).toString('hex')}`, key }
        })
        return answer(res, route, 200, out, SCHEMA.preloadAnswer)
      }

      if (route === 'POST /delivery/v2.6/requests') {
        mock.calls.send++
        const v = check(route, 'NewNotificationRequestV26', json)
        if (v.length) return problem(res, route, 400, 'Bad Request', [{ code: 'PN_GENERIC_INVALIDPARAMETER', element: 'body' }])
        if (mock.script === '500') return problem(res, route, 500, 'Internal Server Error', [{ code: 'PN_GENERIC_ERROR' }])
        if (mock.script === '429') return problem(res, route, 429, 'Too Many Requests', [{ code: 'PN_GENERIC_TOO_MANY_REQUESTS' }], { 'retry-after': '7' })
        if (mock.script === '400') return problem(res, route, 400, 'Bad Request', [{ code: 'PN_GENERIC_INVALIDPARAMETER', element: 'recipients[0].physicalAddress' }])
        const b = json as Json & { paProtocolNumber: string; idempotenceToken?: string; documents: Array<{ digests: { sha256: string }; ref: { key: string; versionToken: string } }> }
        const token = b.idempotenceToken ?? ''
        if (mock.requests.some((r) => r.paProtocolNumber === b.paProtocolNumber && r.idempotenceToken === token))
          return problem(res, route, 409, 'Conflict', [{ code: 'PN_GENERIC_INVALIDPARAMETER_DUPLICATED', element: 'Duplicated notification for senderPaId##paProtocolNumber##idempotenceToken' }])
        const refusal: SendMockRequest['refusal'] = []
        b.documents.forEach((d, i) => {
          const up = mock.uploads.get(d.ref.key)
          const element = `documents[${i}]`
          if (!up) refusal.push({ code: 'FILE_NOTFOUND', element })
          else if (up.versionToken !== d.ref.versionToken) refusal.push({ code: 'FILE_NOTFOUND', element: `${element}.ref.versionToken` })
          else if (up.sha256 !== d.digests.sha256) refusal.push({ code: 'FILE_SHA_ERROR', element: `${element}.digests.sha256` })
        })
        mock.violations.push(...refusal.map((r) => `${route}: ${r.element}: ${r.code}`))
        const n = ++iuns
        const letters = Array.from({ length: 4 }, (_, i) => String.fromCharCode(65 + (Math.floor(n / 26 ** (3 - i)) % 26))).join('')
        const iun = `MOCK-SEND-${letters}-${new Date(clock()).toISOString().slice(0, 7).replace('-', '')}-A-${n % 10}`
        const r: SendMockRequest = { notificationRequestId: Buffer.from(iun).toString('base64'), iun, paProtocolNumber: b.paProtocolNumber, idempotenceToken: token, body: b, status: 'WAITING', refusal, sentAt: new Date(clock()).toISOString(), history: [] }
        mock.requests.push(r)
        const created = { notificationRequestId: r.notificationRequestId, paProtocolNumber: r.paProtocolNumber, idempotenceToken: token }
        if (mock.script === 'drop') return void req.socket.destroy()
        if (mock.script === 'slow') {
          const t = setTimeout(() => (timers.delete(t), answer(res, route, 202, created, 'NewNotificationResponse')), 1_000)
          return void timers.add(t)
        }
        return answer(res, route, 202, created, 'NewNotificationResponse')
      }

      if (route === 'GET /delivery/v2.6/requests') {
        mock.calls.requestStatus++
        const id = url.searchParams.get('notificationRequestId')
        const protocol = url.searchParams.get('paProtocolNumber')
        const token = url.searchParams.get('idempotenceToken')
        const bad = [...(id !== null ? check(route, SCHEMA.requestId, id) : []), ...(protocol !== null ? check(route, SCHEMA.protocol, protocol) : []), ...(token !== null ? check(route, SCHEMA.token, token) : [])]
        if (bad.length || (id === null && (protocol === null || token === null))) {
          if (!bad.length) mock.violations.push(`${route}: neither notificationRequestId nor paProtocolNumber with idempotenceToken`)
          return problem(res, route, 400, 'Bad Request', [{ code: 'PN_GENERIC_INVALIDPARAMETER' }])
        }
        const r = mock.requests.find((x) => (id !== null ? x.notificationRequestId === id : x.paProtocolNumber === protocol && x.idempotenceToken === token))
        if (!r) return problem(res, route, 404, 'Not Found', [{ code: 'PN_DELIVERY_NOTIFICATIONNOTFOUND' }])
        return answer(
          res,
          route,
          200,
          {
            ...r.body,
            notificationRequestId: r.notificationRequestId,
            notificationRequestStatus: r.status,
            ...(r.status === 'WAITING' ? { retryAfter: 5 } : {}),
            ...(r.status === 'ACCEPTED' ? { iun: r.iun } : {}),
            ...(r.status === 'REFUSED' ? { errors: r.refusal.map((e) => ({ ...e, detail: 'the document does not match its declaration' })) } : {}),
          },
          'NewNotificationRequestStatusResponseV26',
        )
      }

      const sent = /^GET \/delivery\/v2\.9\/notifications\/sent\/([^/]+)$/.exec(route)
      if (sent) {
        mock.calls.notification++
        const iun = decodeURIComponent(sent[1]!)
        if (check(route, SCHEMA.iun, iun).length) return problem(res, route, 400, 'Bad Request', [{ code: 'PN_GENERIC_INVALIDPARAMETER' }])
        const r = mock.requests.find((x) => x.iun === iun && x.status === 'ACCEPTED')
        if (!r) return problem(res, route, 404, 'Not Found', [{ code: 'PN_DELIVERY_NOTIFICATIONNOTFOUND' }])
        return answer(
          res,
          route,
          200,
          {
            ...r.body,
            senderPaId: '5b994d4a-0fa8-47ac-9c7b-354f1d44a1ce',
            iun: r.iun,
            sentAt: r.sentAt,
            documentsAvailable: true,
            notificationStatus: r.history.at(-1)!.status,
            notificationStatusHistory: r.history.map((h) => ({ ...h, relatedTimelineElements: [] })),
            timeline: [],
          },
          'FullSentNotificationV29',
        )
      }
      mock.violations.push(`${route}: not an operation of the document`)
      problem(res, route, 404, 'Not Found', [{ code: 'PN_GENERIC_NOTFOUND' }])
    })
  })

  // The storage (S3 behind SEND's presigned urls): answers as S3 does, XML errors.
  const storage: Server = createServer((req, res) => {
    void body(req).then((bytes) => {
      const url = new URL(req.url ?? '/', 'http://storage.invalid')
      const key = decodeURIComponent(url.pathname.replace(/^\/pn-safestorage\//, ''))
      const slot = slots.get(key)
      const refuse = (status: number, code: string) => {
        mock.violations.push(`upload ${key}: ${code}`)
        res.writeHead(status, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code></Error>`)
      }
      mock.calls.upload++
      if (req.headers['x-api-key'] !== undefined) mock.violations.push(`upload ${key}: the api-key was sent to the storage`)
      if (!slot) return refuse(404, 'NoSuchUpload')
      if (req.method !== slot.method) return refuse(403, 'SignatureDoesNotMatch')
      if (req.headers['x-amz-meta-secret'] !== slot.secret) return refuse(403, 'AccessDenied')
      if (req.headers['content-type'] !== slot.contentType) return refuse(403, 'SignatureDoesNotMatch')
      const declared = req.headers['x-amz-checksum-sha256']
      if (declared !== slot.sha256) return refuse(400, 'BadDigest')
      if (sha256(bytes) !== declared) return refuse(400, 'BadDigest')
      if (slot.contentType === 'application/pdf' && bytes.subarray(0, 5).toString('latin1') !== '%PDF-') mock.violations.push(`upload ${key}: not a PDF`)
      const versionToken = randomBytes(16).toString('hex')
      mock.uploads.set(key, { sha256: declared, versionToken, bytes })
      res.writeHead(200, { 'x-amz-version-id': versionToken, etag: `"${createHash('md5').update(bytes).digest('hex')}"`, 'x-amz-checksum-sha256': declared }).end()
    })
  })

  const listen = (server: Server) => new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)))
  mock.baseUrl = `http://127.0.0.1:${await listen(api)}`
  mock.storageUrl = `http://127.0.0.1:${await listen(storage)}`
  const stop = (server: Server) =>
    new Promise<void>((r) => {
      server.close(() => r())
      server.closeAllConnections()
    })
  mock.close = async () => {
    for (const t of timers) clearTimeout(t)
    await Promise.all([stop(api), stop(storage)])
  }
  return mock
}
