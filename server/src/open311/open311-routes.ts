/**
 * Open311 GeoReport v2 at /open311/v2 (issue 10, docs/cases.md): discovery, services and their
 * definitions, POST a request (an Open311 client's api_key), GET requests (by ids — which override
 * every other filter —, or by service codes, a period of at most 90 days — the latest 90 by default —
 * and status), one request, a token's request, and FixMyStreet's servicerequestupdates. XML and JSON
 * by the extension; errors as GeoReport's list of { code, description } with 404 for what does not
 * exist, 403 for a missing or wrong api_key and 400 for anything else. A GET never shows a personal
 * field (they are stored apart) and shows descriptions scrubbed of e-mail, phone and fiscal codes.
 */
import { createHash } from 'node:crypto'
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express'
import { OPEN311_BASE, OPEN311_MAX_DAYS, OPEN311_MAX_DESCRIPTION, OPEN311_MAX_REQUESTS, OPEN311_ROUTES, OPEN311_SPECIFICATION, type Open311Request, type Open311RouteName } from '../../../contracts/open311-api'
import { open311Status, type CaseService } from '../../../contracts/schemas/case'
import { caseOfToken, CaseError, createCase, getService, listPublicCases, listPublicUpdates, listServices, officeNames, open311ClientOfKey, type PublicCase } from '../db/cases'
import { attachmentBytes } from '../db/case-attachments'
import type { Db } from '../db/adapter'
import { fmsStatus } from '../../../contracts/schemas/case'
import { guarded } from '../http/access'
import { RateLimiter } from '../identity/rate-limit'
import { ApiError } from '../http/api-error'
import { checkAttributes } from '../cases/case-attributes'
import { scrubPersonal } from '../cases/scrub'
import { send, sendErrors, sendList, type Open311Format } from './open311-format'
import { open311OpenApi } from './open311-openapi'

export interface Open311Deps {
  db: Db
  /** GeoReport jurisdiction_id this server answers for (others: 404); any value is accepted when null. */
  jurisdictionId?: string | null
  contact?: string
  now?: () => number
}

/** A GeoReport-level failure: its HTTP status (404, 403 or 400) and what to tell the client. */
class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 429,
    message: string,
    readonly retryAfterS: number | null = null,
  ) {
    super(message)
  }
}

const DAY_MS = 86_400_000
/** Requests a reporter may post in an hour (reliability-security §4.4 #14), and a client in all. */
export const OPEN311_POSTS_PER_REPORTER_HOUR = 10
export const OPEN311_POSTS_PER_CLIENT_HOUR = 1000
const W3C_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

function formatOf(req: Request): Open311Format {
  const f = String(req.params.format ?? '')
  if (f === 'xml' || f === 'json') return f
  throw new Open311Error(404, `No format ${f.slice(0, 10)}: use .xml or .json`)
}

const langOf = (req: Request): 'it' | 'en' => (req.acceptsLanguages('it', 'en') === 'en' ? 'en' : 'it')

function one(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw new Open311Error(400, `${name}: given more than once`)
  return v
}

function dateParam(v: unknown, name: string): number | undefined {
  const s = one(v, name)
  if (s === undefined || s === '') return undefined
  if (!W3C_DATE.test(s) || Number.isNaN(Date.parse(s))) throw new Open311Error(400, `${name}: a W3C date and time with its offset, e.g. 2026-11-01T00:00:00Z (got "${s.slice(0, 40)}")`)
  return Date.parse(s)
}

const list = (v: string | undefined) => (v === undefined || v === '' ? undefined : v.split(',').map((x) => x.trim()).filter(Boolean))

export function mountOpen311Routes(app: Express, d: Open311Deps): void {
  const now = d.now ?? Date.now
  const perReporter = new RateLimiter(OPEN311_POSTS_PER_REPORTER_HOUR, 3_600_000, now)
  const perClient = new RateLimiter(OPEN311_POSTS_PER_CLIENT_HOUR, 3_600_000, now)
  const route = (name: Open311RouteName, handler: (req: Request, res: Response) => Promise<void>, before: express.RequestHandler[] = []) => {
    const r = OPEN311_ROUTES[name]
    guarded(app, r.method, r.path, r.permission, ...before, (req, res, next) => {
      handler(req, res).catch(next)
    })
  }
  const jurisdiction = (req: Request) => {
    const j = one(req.method === 'POST' ? (req.body as Record<string, unknown>)?.jurisdiction_id : req.query.jurisdiction_id, 'jurisdiction_id')
    if (j && d.jurisdictionId && j !== d.jurisdictionId) throw new Open311Error(404, `No jurisdiction ${j.slice(0, 60)}: this server answers for ${d.jurisdictionId}`)
  }
  const servicePresenter = (s: CaseService, lang: 'it' | 'en') => ({
    service_code: s.code,
    service_name: s.name[lang],
    description: s.description[lang],
    metadata: s.attributes.length > 0,
    type: s.type,
    keywords: s.keywords.join(','),
    group: s.group[lang],
  })
  const requestPresenter = async (req: Request, rows: PublicCase[]): Promise<Open311Request[]> => {
    const lang = langOf(req)
    const services = new Map((await listServices(d.db, { includeInactive: true })).map((s) => [s.code, s]))
    const offices = await officeNames(d.db)
    return rows.map((c) => {
      const r: Open311Request = {
        service_request_id: String(c.id),
        status: open311Status(c.status),
        service_name: services.get(c.serviceCode)?.name[lang] ?? c.serviceCode,
        service_code: c.serviceCode,
        agency_responsible: offices.get(c.officeId)?.[lang] ?? c.officeId,
        requested_datetime: c.requestedAt,
        // For a closed request: when it was closed.
        updated_datetime: c.closedAt ?? c.updatedAt,
        lat: c.lat,
        long: c.lon,
      }
      if (c.statusNotes) r.status_notes = scrubPersonal(c.statusNotes)
      if (c.description) r.description = scrubPersonal(c.description)
      if (c.serviceNotice) r.service_notice = c.serviceNotice
      if (c.expectedAt) r.expected_datetime = c.expectedAt
      if (c.address) r.address = scrubPersonal(c.address)
      if (c.addressId) r.address_id = c.addressId
      // Only a photo Gemello holds (metadata stripped, published by an office); a client's own media_url is never republished.
      if (c.mediaId !== null) r.media_url = `${req.protocol}://${req.get('host')}${OPEN311_BASE}/media/${c.mediaId}`
      return r
    })
  }
  const sendRequests = async (req: Request, res: Response, rows: PublicCase[]) => sendList(res, formatOf(req), 'service_requests', 'request', (await requestPresenter(req, rows)) as unknown as Array<Record<string, unknown>>)

  route('discovery', async (req, res) => {
    const format = formatOf(req)
    const base = `${req.protocol}://${req.get('host')}${OPEN311_BASE}`
    const doc = {
      changeset: '2026-11-27T00:00:00Z',
      contact: d.contact ?? 'Comune di Bologna — Gemello (see /api/about)',
      key_service: 'Ask the Comune for an api_key: an administrator registers Open311 clients in Gemello',
      endpoints: [{ specification: OPEN311_SPECIFICATION, url: base, changeset: '2026-11-27T00:00:00Z', type: 'production', formats: ['text/xml', 'application/json'] }],
    }
    send(res, format, doc, () => ({ discovery: { ...doc, endpoints: { endpoint: doc.endpoints.map((e) => ({ ...e, formats: { format: e.formats } })) } } }))
  })

  route('services', async (req, res) => {
    const format = formatOf(req)
    jurisdiction(req)
    const lang = langOf(req)
    sendList(res, format, 'services', 'service', (await listServices(d.db)).map((s) => servicePresenter(s, lang)))
  })

  route('serviceDefinition', async (req, res) => {
    const format = formatOf(req)
    jurisdiction(req)
    const s = await getService(d.db, String(req.params.serviceCode))
    if (!s || !s.active) throw new Open311Error(404, `No service ${String(req.params.serviceCode).slice(0, 40)}`)
    const lang = langOf(req)
    const attributes = s.attributes.map((a, i) => ({
      variable: a.variable,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      ...(a.datatypeDescription ? { datatype_description: a.datatypeDescription[lang] } : {}),
      order: i + 1,
      description: a.description[lang],
      ...(a.values.length > 0 ? { values: a.values.map((v) => ({ key: v.key, name: v.name[lang] })) } : {}),
    }))
    const doc = { service_code: s.code, attributes }
    send(res, format, doc, () => ({
      service_definition: { service_code: s.code, attributes: attributes.length === 0 ? '' : { attribute: attributes.map((a) => ({ ...a, ...(a.values ? { values: { value: a.values } } : {}) })) } },
    }))
  })

  // The body: application/x-www-form-urlencoded as GeoReport sends it (repeated keys become lists).
  route('postRequest', async (req, res) => {
    const format = formatOf(req)
    const body = (req.body ?? {}) as Record<string, unknown>
    const apiKey = one(body.api_key, 'api_key')
    const client = apiKey ? await open311ClientOfKey(d.db, apiKey) : null
    if (!client) throw new Open311Error(403, apiKey ? 'api_key: not a key of this server (or revoked)' : 'api_key: required to post a request (ask the Comune for one)')
    jurisdiction(req)
    const code = one(body.service_code, 'service_code')
    if (!code) throw new Open311Error(400, 'service_code: required (GET /open311/v2/services.json lists them)')
    const service = await getService(d.db, code)
    if (!service || !service.active) throw new Open311Error(404, `service_code: no service ${code.slice(0, 40)}`)
    const lat = one(body.lat, 'lat')
    const lon = one(body.long, 'long')
    if (lat === undefined || lon === undefined || lat === '' || lon === '') {
      throw new Open311Error(400, one(body.address_string, 'address_string') || one(body.address_id, 'address_id') ? 'lat and long: required here (this server does not geocode address_string or address_id; send the point)' : 'lat and long: required (the point of the request, WGS84)')
    }
    const la = Number(lat)
    const lo = Number(lon)
    if (!Number.isFinite(la) || !Number.isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) throw new Open311Error(400, 'lat and long: WGS84 decimal degrees (lat −90…90, long −180…180)')
    const description = one(body.description, 'description') ?? ''
    if (description.length > OPEN311_MAX_DESCRIPTION) throw new Open311Error(400, `description: at most ${OPEN311_MAX_DESCRIPTION} characters`)
    const attrs: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(body)) {
      const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(k)
      if (m) attrs[m[1]!] = m[2] ? (Array.isArray(v) ? v : [v]) : v
    }
    const checked = checkAttributes(service, attrs)
    if (checked.problems.length > 0) throw new Open311Error(400, checked.problems.map((p) => p.message).join('; '))
    const field = (name: string, max: number) => {
      const v = one(body[name], name)
      if (v !== undefined && v.length > max) throw new Open311Error(400, `${name}: at most ${max} characters`)
      return v === '' ? undefined : v
    }
    const email = field('email', 254)
    if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Open311Error(400, 'email: not an e-mail address')
    const mediaUrl = field('media_url', 500)
    if (mediaUrl !== undefined && !/^https?:\/\/\S+$/.test(mediaUrl)) throw new Open311Error(400, 'media_url: an http(s) address')
    const personal = { email, firstName: field('first_name', 100), lastName: field('last_name', 100), phone: field('phone', 40), accountId: field('account_id', 100), deviceId: field('device_id', 100) }
    // reliability-security §4.4 #14: at most 10 requests an hour from one reporter (known by the client's account or
    // device id, or the e-mail), and OPEN311_POSTS_PER_CLIENT_HOUR from one client in all; counted before anything is stored.
    const reporter = personal.accountId ?? personal.deviceId ?? email?.toLowerCase()
    const wait = Math.max(reporter ? perReporter.hit(`${client.id}:${createHash('sha256').update(reporter).digest('hex')}`) : 0, perClient.hit(String(client.id)))
    if (wait > 0) throw new Open311Error(429, reporter ? `Too many requests from this reporter: at most ${OPEN311_POSTS_PER_REPORTER_HOUR} an hour; try again in ${wait} s` : `Too many requests from this client: at most ${OPEN311_POSTS_PER_CLIENT_HOUR} an hour; try again in ${wait} s`, wait)
    try {
      const created = await createCase(
        d.db,
        {
          serviceCode: service.code,
          lon: lo,
          lat: la,
          description,
          attributes: checked.values,
          address: field('address_string', 300) ?? null,
          addressId: field('address_id', 100) ?? null,
          mediaUrl: mediaUrl ?? null,
          personal: Object.fromEntries(Object.entries(personal).filter(([, v]) => v !== undefined)) as typeof personal,
          source: 'open311',
          open311ClientId: client.id,
        },
        { actor: `system:open311:${client.id}`, actorRole: 'open311-client', requestId: String(res.getHeader('X-Request-Id') ?? '') || null },
        now(),
      )
      const doc = created.token ? { token: created.token, ...(created.serviceNotice ? { service_notice: created.serviceNotice } : {}) } : { service_request_id: String(created.id) }
      sendList(res, format, 'service_requests', 'request', [doc], 201)
    } catch (e) {
      if (e instanceof CaseError) throw new Open311Error(e.code === 'SERVICE_NOT_FOUND' ? 404 : 400, e.message)
      throw e
    }
  }, [express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 100 })])

  route('requests', async (req, res) => {
    formatOf(req)
    jurisdiction(req)
    const ids = list(one(req.query.service_request_id, 'service_request_id'))
    if (ids) {
      if (!ids.every((x) => /^[1-9]\d{0,15}$/.test(x))) throw new Open311Error(400, 'service_request_id: ids are whole numbers, separated by commas')
      if (ids.length > OPEN311_MAX_REQUESTS) throw new Open311Error(400, `service_request_id: at most ${OPEN311_MAX_REQUESTS} ids`)
      return sendRequests(req, res, await listPublicCases(d.db, { ids: ids.map(Number), limit: OPEN311_MAX_REQUESTS }))
    }
    const start = dateParam(req.query.start_date, 'start_date')
    const end = dateParam(req.query.end_date, 'end_date')
    const to = end ?? (start !== undefined ? start + OPEN311_MAX_DAYS * DAY_MS : now())
    const from = start ?? to - OPEN311_MAX_DAYS * DAY_MS
    if (from > to) throw new Open311Error(400, 'start_date: after end_date')
    if (to - from > OPEN311_MAX_DAYS * DAY_MS) throw new Open311Error(400, `start_date, end_date: at most ${OPEN311_MAX_DAYS} days apart`)
    const statuses = list(one(req.query.status, 'status'))
    if (statuses && !statuses.every((s) => s === 'open' || s === 'closed')) throw new Open311Error(400, 'status: open, closed, or both separated by a comma')
    const codes = list(one(req.query.service_code, 'service_code'))
    const rows = await listPublicCases(d.db, {
      ...(codes ? { serviceCodes: codes } : {}),
      fromIso: new Date(from).toISOString(),
      toIso: new Date(to).toISOString(),
      open: !statuses || statuses.includes('open'),
      closed: !statuses || statuses.includes('closed'),
      limit: OPEN311_MAX_REQUESTS,
    })
    await sendRequests(req, res, rows)
  })

  route('request', async (req, res) => {
    formatOf(req)
    jurisdiction(req)
    const id = String(req.params.id)
    const rows = /^[1-9]\d{0,15}$/.test(id) ? await listPublicCases(d.db, { ids: [Number(id)], limit: 1 }) : []
    if (rows.length === 0) throw new Open311Error(404, `No request ${id.slice(0, 20)}`)
    await sendRequests(req, res, rows)
  })

  route('token', async (req, res) => {
    const format = formatOf(req)
    jurisdiction(req)
    const token = String(req.params.token)
    const c = /^[A-Za-z0-9_-]{10,64}$/.test(token) ? await caseOfToken(d.db, token) : undefined
    if (!c) throw new Open311Error(404, 'No such token')
    // Until the office accepts the request, the token has no id yet: the element holds the token alone.
    sendList(res, format, 'service_requests', 'request', [{ ...(c.id !== null ? { service_request_id: String(c.id) } : {}), token }])
  })

  route('updates', async (req, res) => {
    const format = formatOf(req)
    jurisdiction(req)
    const start = dateParam(req.query.start_date, 'start_date')
    const end = dateParam(req.query.end_date, 'end_date')
    const to = end ?? now()
    const from = start ?? to - OPEN311_MAX_DAYS * DAY_MS
    if (from > to || to - from > OPEN311_MAX_DAYS * DAY_MS) throw new Open311Error(400, `start_date, end_date: in order and at most ${OPEN311_MAX_DAYS} days apart`)
    const rows = await listPublicUpdates(d.db, new Date(from).toISOString(), new Date(to).toISOString(), OPEN311_MAX_REQUESTS)
    sendList(
      res,
      format,
      'service_request_updates',
      'request_update',
      rows.map((u) => ({ update_id: String(u.id), service_request_id: String(u.caseId), status: fmsStatus(u.status), updated_datetime: u.at, description: u.note ? scrubPersonal(u.note) : '' })),
    )
  })

  route('media', async (req, res) => {
    const id = String(req.params.id)
    const a = /^[1-9]\d{0,15}$/.test(id) ? await attachmentBytes(d.db, Number(id), { publicOnly: true }) : null
    if (!a) throw new Open311Error(404, `No public photo ${id.slice(0, 20)}`)
    res.setHeader('Cache-Control', 'public, max-age=3600')
    res.setHeader('Content-Disposition', 'inline')
    res.type(a.type).send(a.bytes)
  })

  route('openapi', async (req, res) => {
    res.type('application/vnd.oai.openapi+json;version=3.1').send(JSON.stringify(open311OpenApi(`${req.protocol}://${req.get('host')}${OPEN311_BASE}`)))
  })

  route('notFound', async (req) => {
    throw new Open311Error(404, `Nothing at ${req.method} ${req.path.slice(0, 100)}: start at ${OPEN311_BASE}/discovery.json`)
  })

  const onError: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err)
    const format: Open311Format = /\.xml$/.test(req.path) ? 'xml' : 'json'
    if (err instanceof Open311Error) {
      if (err.retryAfterS !== null) res.setHeader('Retry-After', String(err.retryAfterS))
      return sendErrors(res, format, err.status, [{ code: err.status, description: err.message }])
    }
    if (err instanceof ApiError) {
      // Access, origin and rate limits from the shared middleware, in GeoReport's shape.
      if (err.status === 429) res.setHeader('Retry-After', String(res.getHeader('Retry-After') ?? 60))
      return sendErrors(res, format, err.status, [{ code: err.status, description: err.message }])
    }
    const type = (err as { type?: string })?.type
    if (type === 'entity.too.large' || type === 'parameters.too.many') return sendErrors(res, format, 400, [{ code: 400, description: 'The request is too large: at most 32 KiB and 100 fields' }])
    next(err)
  }
  app.use('/open311', onError)
}
