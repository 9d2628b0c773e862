/**
 * pagoPA GPD on loopback for the tests (specs/pagopa-gpd, OpenAPI 3.1): the subscription key is required
 * (401) and bound to one creditor (403 for another); every request is validated against the published
 * document — the body against PaymentPositionModel (and none of its read-only fields sent), the IUPD
 * and toPublish parameters against their schemas — and every answer against PaymentPositionModel,
 * PaymentPositionModelBaseResponse or ProblemJson before it is sent. Besides the document it checks what
 * GPD and SACI say: the transfers add up to the option's amount, a transfer has an IBAN, the IUV's check
 * digits (aux digit 3: ("3" + IUV[0..15]) mod 93, computed here apart from server/src/platforms/gpd/iuv.ts).
 *
 * Positions are kept by IUPD; a second one with the same IUPD or IUV → 409. A created position is VALID
 * (toPublish without validityDate), PUBLISHED (with one) or DRAFT. `pay(iupd)` marks it paid as a PSP's
 * receipt would; invalidate turns a VALID one INVALID (409 otherwise). `script` makes the next create
 * call fail, then goes back to 'ok': '500', '429' (Retry-After 15), '400', 'slow' (keeps the position,
 * answers after 1 s), 'drop' (keeps it, cuts the connection). `violations` holds what broke the
 * specification. It never logs a body (fiscal codes, names).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { OpenApiSpec } from './openapi-spec'

export const GPD_SPEC = 'pagopa-gpd/gpd-external-v1.openapi.json'
const BASE_PATH = '/gpd/debt-positions-service/v1'
const IUPD_PARAM = '#/paths/~1organizations~1{organizationfiscalcode}~1debtpositions~1{iupd}/get/parameters/1/schema'
const TO_PUBLISH_PARAM = '#/paths/~1organizations~1{organizationfiscalcode}~1debtpositions/post/parameters/1/schema'

type Json = Record<string, unknown>
export type GpdScript = 'ok' | '500' | '429' | '400' | 'slow' | 'drop'

export interface GpdStoredPosition {
  /** The request body as GPD received it. */
  body: Json
  status: string
  insertedDate: string
  publishDate: string | null
  paymentDate: string | null
  receipt: { idReceipt: string; pspCompany: string; paymentMethod: string } | null
}

export interface GpdMock {
  baseUrl: string
  key: string
  organizationFiscalCode: string
  positions: Map<string, GpdStoredPosition>
  /** POST …/debtpositions calls received (valid or not). */
  createCalls: number
  violations: string[]
  script: GpdScript
  /** Marks a position paid (its option PO_PAID, with a receipt). */
  pay(iupd: string, atMs?: number): void
  close(): Promise<void>
}

/** SACI, aux digit 3: the IUV's last two digits are ("3" + its first 15) mod 93. */
const iuvChecks = (iuv: string) => /^\d{17}$/.test(iuv) && (BigInt(`3${iuv.slice(0, 15)}`) % 93n).toString().padStart(2, '0') === iuv.slice(15)

export async function startGpdMock(o: { organizationFiscalCode?: string; clock?: () => number } = {}): Promise<GpdMock> {
  const spec = new OpenApiSpec(GPD_SPEC, { unicodeRegExp: false })
  const clock = o.clock ?? Date.now
  const iso = (ms = clock()) => new Date(ms).toISOString()
  const timers = new Set<NodeJS.Timeout>()
  const mock: GpdMock = {
    baseUrl: '',
    key: 'gpd-test-subscription-key-0123456789',
    organizationFiscalCode: o.organizationFiscalCode ?? '01232710374',
    positions: new Map(),
    createCalls: 0,
    violations: [],
    script: 'ok',
    pay(iupd, atMs = clock()) {
      const p = mock.positions.get(iupd)
      if (!p) throw new Error('gpd-mock: no such position')
      p.status = 'PAID'
      p.paymentDate = iso(atMs)
      p.receipt = { idReceipt: `rcpt-${mock.positions.size}-${atMs}`, pspCompany: 'Banca di Test S.p.A.', paymentMethod: 'CP' }
    },
    close: async () => undefined,
  }

  const option = (p: GpdStoredPosition): Json => ((p.body.paymentOption as Json[] | undefined) ?? [])[0] ?? {}
  const created = (p: GpdStoredPosition): Json => ({ ...p.body, status: p.status, paymentOption: ((p.body.paymentOption as Json[] | undefined) ?? []).map((x) => ({ ...x, nav: `3${String(x.iuv)}` })) })
  const detail = (iupd: string, p: GpdStoredPosition): Json => {
    const x = option(p)
    const paid = p.status === 'PAID'
    return {
      iupd,
      organizationFiscalCode: mock.organizationFiscalCode,
      type: p.body.type,
      companyName: p.body.companyName,
      ...(p.body.officeName !== undefined ? { officeName: p.body.officeName } : {}),
      insertedDate: p.insertedDate,
      ...(p.publishDate ? { publishDate: p.publishDate, validityDate: p.publishDate } : {}),
      ...(p.paymentDate ? { paymentDate: p.paymentDate } : {}),
      status: p.status,
      lastUpdatedDate: p.paymentDate ?? p.insertedDate,
      paymentOption: [
        {
          nav: `3${String(x.iuv)}`,
          iuv: x.iuv,
          organizationFiscalCode: mock.organizationFiscalCode,
          amount: x.amount,
          description: x.description,
          isPartialPayment: x.isPartialPayment,
          dueDate: x.dueDate,
          insertedDate: p.insertedDate,
          status: paid ? 'PO_PAID' : 'PO_UNPAID',
          fee: 0,
          notificationFee: 0,
          ...(paid && p.receipt ? { paymentDate: p.paymentDate, ...p.receipt } : {}),
          lastUpdatedDate: p.paymentDate ?? p.insertedDate,
          transfer: ((x.transfer as Json[] | undefined) ?? []).map((t) => ({ ...t, insertedDate: p.insertedDate, status: 'T_UNREPORTED', lastUpdatedDate: p.insertedDate })),
        },
      ],
    }
  }

  /** GPD's own rules beyond the document (SANP "Operazioni disponibili"), and SACI's check digits. */
  const refusal = (body: Json): string | null => {
    for (const ro of ['status', 'paymentDate']) if (ro in body) mock.violations.push(`PaymentPositionModel: read-only property '${ro}' sent`)
    const options = (body.paymentOption as Json[] | undefined) ?? []
    if (options.length === 0) return 'a position needs a payment option'
    for (const x of options) {
      for (const ro of ['fee', 'notificationFee']) if (ro in x) mock.violations.push(`PaymentOptionModel: read-only property '${ro}' sent`)
      if (!iuvChecks(String(x.iuv))) mock.violations.push('PaymentOptionModel/iuv: not an aux-digit-3 IUV with its check digits (SACI)')
      const transfers = (x.transfer as Json[] | undefined) ?? []
      if (transfers.reduce((n, t) => n + Number(t.amount), 0) !== x.amount) return 'the transfers do not add up to the amount'
      if (transfers.some((t) => !t.iban && !t.stamp)) return 'a transfer has neither an IBAN nor a stamp'
    }
    return null
  }

  const server: Server = createServer((req, res) => {
    let raw = ''
    req.on('data', (d: Buffer) => (raw += d.toString()))
    req.on('end', () => {
      const send = (status: number, value: unknown, schema: string | null, headers: Record<string, string> = {}) => {
        if (schema) mock.violations.push(...spec.problems(schema, value))
        res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req-${Date.now()}`, ...headers }).end(value === undefined ? undefined : JSON.stringify(value))
      }
      const problem = (status: number, title: string, headers: Record<string, string> = {}) => send(status, { title, status, detail: title }, 'ProblemJson', headers)
      if (req.headers['ocp-apim-subscription-key'] !== mock.key) return send(401, undefined, null)
      const url = new URL(req.url ?? '/', 'http://gpd')
      const m = url.pathname.startsWith(BASE_PATH) ? /^\/organizations\/([^/]+)\/debtpositions(?:\/([^/]+))?(\/invalidate)?$/.exec(url.pathname.slice(BASE_PATH.length)) : null
      if (!m) return problem(404, 'Not Found')
      if (m[1] !== mock.organizationFiscalCode) return send(403, { statusCode: 403, message: 'You are not allowed to access this resource.' }, null)
      const iupd = m[2] === undefined ? undefined : decodeURIComponent(m[2])
      if (iupd !== undefined) mock.violations.push(...spec.problems(IUPD_PARAM, iupd))

      if (req.method === 'POST' && iupd === undefined) {
        mock.createCalls++
        const toPublish = url.searchParams.get('toPublish')
        if (toPublish !== null) mock.violations.push(...spec.problems(TO_PUBLISH_PARAM, toPublish === 'true' ? true : toPublish === 'false' ? false : toPublish))
        let body: Json
        try {
          body = JSON.parse(raw) as Json
        } catch {
          mock.violations.push('createPosition: the body is not JSON')
          return problem(400, 'Malformed request')
        }
        const v = spec.problems('PaymentPositionModel', body)
        if (v.length) return mock.violations.push(...v), problem(400, 'Malformed request')
        const why = refusal(body)
        if (why) return problem(400, why)
        const script = mock.script
        mock.script = 'ok'
        if (script === '500') return problem(500, 'Service unavailable')
        if (script === '429') return send(429, { statusCode: 429, message: 'Rate limit is exceeded. Try again in 15 seconds.' }, null, { 'retry-after': '15' })
        if (script === '400') return problem(400, 'Malformed request')
        const key = String(body.iupd)
        const iuvs = ((body.paymentOption as Json[]) ?? []).map((x) => x.iuv)
        const taken = [...mock.positions.values()].some((p) => ((p.body.paymentOption as Json[]) ?? []).some((x) => iuvs.includes(x.iuv)))
        if (mock.positions.has(key) || taken) return problem(409, 'Conflict: duplicate debt position found')
        const publish = toPublish === 'true'
        const stored: GpdStoredPosition = {
          body,
          status: !publish ? 'DRAFT' : body.validityDate ? 'PUBLISHED' : 'VALID',
          insertedDate: iso(),
          publishDate: publish ? iso() : null,
          paymentDate: null,
          receipt: null,
        }
        mock.positions.set(key, stored)
        if (script === 'drop') return void req.socket.destroy()
        if (script === 'slow') {
          const t = setTimeout(() => (timers.delete(t), send(201, created(stored), 'PaymentPositionModel')), 1_000)
          return void timers.add(t)
        }
        return send(201, created(stored), 'PaymentPositionModel')
      }
      const stored = iupd === undefined ? undefined : mock.positions.get(iupd)
      if (req.method === 'GET' && iupd !== undefined && !m[3]) return stored ? send(200, detail(iupd, stored), 'PaymentPositionModelBaseResponse') : problem(404, 'No debt position found')
      if (req.method === 'POST' && iupd !== undefined && m[3]) {
        if (!stored) return problem(404, 'No debt position found')
        if (stored.status !== 'VALID') return problem(409, 'Conflict: debt position is not in invalidable state')
        stored.status = 'INVALID'
        return send(200, created(stored), 'PaymentPositionModel')
      }
      problem(404, 'Not Found')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  mock.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${BASE_PATH}`
  mock.close = () =>
    new Promise<void>((r) => {
      for (const t of timers) clearTimeout(t)
      server.closeAllConnections()
      server.close(() => r())
    })
  return mock
}
