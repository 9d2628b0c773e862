/**
 * Open311 GeoReport v2 at /open311/v2 over HTTP (PGlite, or PostgreSQL under test:services), with
 * Bologna's real districts: the specification's rules one by one (formats by extension, errors as a
 * list of { code, description } with 404/403/400, api_key, service definitions, the 90-day window and
 * its defaults, ids overriding every filter, the token flow of a batch service), every GET answer
 * checked against the FIWARE IssueTracking schemas, and privacy: what a reporter gives about themselves
 * is stored apart and appears in no GET, JSON or XML.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serviceEntity, serviceRequestEntity } from '../../../contracts/cases/fiware-views'
import { OPEN311_ROUTES, Open311RequestSchema, Open311ServiceDefinitionSchema, Open311ServiceSchema, type Open311Request } from '../../../contracts/open311-api'
import { assetType } from '../../../contracts/schemas/census'
import { importDataset } from '../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../geodata/src/manifest'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { serveRoutes, type RouteApp } from '../../../tests/helpers/route-app'
import { createOpen311Client, seedCaseCatalogue } from '../db/cases'
import { seedCensus } from '../db/census-seed'
import { createFeature } from '../db/census-write'
import { mountOpen311Routes } from './open311-routes'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const SPECS = path.resolve(ROOT, process.env.GEMELLO_SHARED_DIR ?? '../shared', 'specs')
const B = '/open311/v2'
const JURISDICTION = 'comune.bologna.it'
// Piazza Maggiore and via Rizzoli; Milan's Duomo is outside every district of Bologna.
const MAGGIORE = { lat: '44.49381', long: '11.34297' }
const RIZZOLI = { lat: '44.49420', long: '11.34640' }
const MILAN = { lat: '45.46420', long: '9.18998' }
// A fixed clock, so the default window (the latest 90 days) is known.
const NOW = Date.parse('2026-11-27T10:00:00Z')
let clock = NOW

let t: TestDb
let app: RouteApp
let apiKey = ''
let clientId = 0

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => ['request', 'service', 'error', 'attribute', 'value', 'request_update', 'endpoint', 'format'].includes(name) })

async function get(p: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${app.url}${p}`, { headers })
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() }
}
async function post(fields: Record<string, string | string[]>, format = 'json') {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x)
  const res = await fetch(`${app.url}${B}/requests.${format}`, { method: 'POST', body })
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() }
}
const json = <T>(r: { text: string }) => JSON.parse(r.text) as T

beforeAll(async () => {
  t = await createTestDb()
  await importDataset(t.db, 'bologna-quartieri', path.join(CITY_DATA_DIR, datasetById('bologna-quartieri')!.file), { cityDataDir: CITY_DATA_DIR })
  // The census's extent comes from the districts (a street light is placed below).
  await seedCensus(t.db)
  await seedCaseCatalogue(t.db)
  ;({ apiKey, id: clientId } = await createOpen311Client(t.db, 'FixMyStreet Bologna (test)', { actor: 'admin', actorRole: 'admin', requestId: null }))
  app = await serveRoutes(t.db, (a) => mountOpen311Routes(a, { db: t.db, jurisdictionId: JURISDICTION, now: () => clock }))
}, 300_000)
afterAll(async () => {
  await app?.close()
  await t?.drop()
})

describe('discovery and services', () => {
  it('discovery names this endpoint, GeoReport v2 and both formats, in JSON and XML', async () => {
    const j = json<{ endpoints: Array<{ specification: string; url: string; formats: string[] }> }>(await get(`${B}/discovery.json`))
    expect(j.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${app.url}${B}`, formats: ['text/xml', 'application/json'] })
    const x = await get(`${B}/discovery.xml`)
    expect(x.type).toBe('text/xml; charset=utf-8')
    expect(x.text.startsWith('<?xml version="1.0" encoding="utf-8"?><discovery>')).toBe(true)
    expect(xml.parse(x.text).discovery.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json'])
  })

  it('lists the services in Italian (English when asked), each a FIWARE IssueTracking service', async () => {
    const it = json<unknown[]>(await get(`${B}/services.json`)).map((s) => Open311ServiceSchema.parse(s))
    expect(it.map((s) => s.service_code)).toContain('buca-stradale')
    expect(it.find((s) => s.service_code === 'buca-stradale')).toMatchObject({ service_name: 'Buca nella strada', metadata: true, type: 'realtime' })
    expect(it.find((s) => s.service_code === 'passo-carrabile')).toMatchObject({ type: 'batch' })
    expect(it.find((s) => s.service_code === 'semaforo-guasto')).toMatchObject({ metadata: false })
    const en = json<Array<{ service_code: string; service_name: string }>>(await get(`${B}/services.json`, { 'accept-language': 'en' }))
    expect(en.find((s) => s.service_code === 'buca-stradale')!.service_name).toBe('Pothole')
    const x = xml.parse((await get(`${B}/services.xml`)).text)
    expect(x.services.service.map((s: { service_code: string }) => s.service_code)).toEqual(it.map((s) => s.service_code))
    if (existsSync(SPECS)) {
      const validate = fiware('services')
      for (const s of it) expect(validate(serviceEntity(s, JURISDICTION)), JSON.stringify(validate.errors)).toBe(true)
    }
  })

  it('defines a service’s attributes: order from 1, list values with numeric keys, in both formats', async () => {
    const d = Open311ServiceDefinitionSchema.parse(json(await get(`${B}/services/buca-stradale.json`)))
    expect(d.attributes.map((a) => [a.code, a.order, a.datatype, a.required])).toEqual([
      ['dimensione', 1, 'singlevaluelist', true],
      ['pericolo', 2, 'singlevaluelist', false],
    ])
    expect(d.attributes[0]!.values!.map((v) => v.key)).toEqual([1, 2, 3])
    const x = xml.parse((await get(`${B}/services/buca-stradale.xml`)).text)
    expect(x.service_definition.attributes.attribute[0].values.value.map((v: { key: string }) => v.key)).toEqual(['1', '2', '3'])
  })

  it('answers what does not exist with 404 and GeoReport’s error list, in the format asked', async () => {
    const j = await get(`${B}/services/no-such-thing.json`)
    expect(j.status).toBe(404)
    expect(json(j)).toEqual([{ code: 404, description: expect.stringContaining('no-such-thing') }])
    const x = await get(`${B}/services/no-such-thing.xml`)
    expect(x.status).toBe(404)
    expect(xml.parse(x.text).errors.error).toEqual([{ code: '404', description: expect.any(String) }])
    expect((await get(`${B}/services.yaml`)).status).toBe(404)
    expect((await get(`${B}/nothing/here.json`)).status).toBe(404)
    expect((await get(`${B}/services.json?jurisdiction_id=comune.milano.it`)).status).toBe(404)
    expect((await get(`${B}/services.json?jurisdiction_id=${JURISDICTION}`)).status).toBe(200)
  })
})

describe('POST a request', () => {
  const pothole = { service_code: 'buca-stradale', ...MAGGIORE, 'attribute[dimensione]': '2', description: 'Buca profonda davanti al Nettuno' }

  it('needs an api_key: none or a wrong one is 403', async () => {
    expect((await post(pothole)).status).toBe(403)
    const wrong = await post({ ...pothole, api_key: 'o311_wrong' })
    expect(wrong.status).toBe(403)
    expect(json(wrong)).toEqual([{ code: 403, description: expect.stringContaining('api_key') }])
  })

  it('refuses what GeoReport and the service definition refuse, saying what', async () => {
    const cases: Array<[Record<string, string | string[]>, number, RegExp]> = [
      [{ ...pothole, service_code: '' }, 400, /service_code: required/],
      [{ ...pothole, service_code: 'no-such' }, 404, /no service no-such/],
      [{ ...pothole, 'attribute[dimensione]': '' }, 400, /attribute\[dimensione\]: required/],
      [{ ...pothole, 'attribute[dimensione]': '9' }, 400, /attribute\[dimensione\]: one of 1, 2, 3/],
      [{ ...pothole, 'attribute[colour]': 'red' }, 400, /attribute\[colour\]: buca-stradale has no such attribute/],
      [{ ...pothole, lat: '', long: '', address_string: 'Piazza Maggiore 1' }, 400, /does not geocode address_string/],
      [{ ...pothole, ...MILAN }, 400, /outside the comune's districts/],
      [{ ...pothole, lat: '144', long: '11' }, 400, /WGS84/],
      [{ ...pothole, description: 'x'.repeat(4001) }, 400, /at most 4000/],
      [{ ...pothole, email: 'not-an-address' }, 400, /email: not an e-mail address/],
      [{ ...pothole, jurisdiction_id: 'comune.milano.it' }, 404, /No jurisdiction/],
    ]
    for (const [fields, status, message] of cases) {
      const r = await post({ ...fields, api_key: apiKey })
      expect(r.status, JSON.stringify(fields).slice(0, 120)).toBe(status)
      expect(json<Array<{ description: string }>>(r)[0]!.description).toMatch(message)
    }
    const none = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM citizen_case`)
    expect(none.rows[0]!.n).toBe(0)
  })

  it('creates a realtime service’s request: its id at once, routed to its office, with the SLA and the audit row', async () => {
    const r = await post({ ...pothole, api_key: apiKey, jurisdiction_id: JURISDICTION }, 'xml')
    expect(r.status).toBe(201)
    const id = xml.parse(r.text).service_requests.request[0].service_request_id as string
    expect(id).toMatch(/^\d+$/)
    const row = await t.db.query<{ office_id: string; district_name: string; status: string; published: boolean; hours: number; source: string }>(
      `SELECT office_id, district_name, status, published, extract(epoch FROM expected_at - requested_at)::float8 / 3600 AS hours, source FROM citizen_case WHERE id = $1`,
      [id],
    )
    expect(row.rows[0]).toEqual({ office_id: 'strade', district_name: 'Santo Stefano', status: 'new', published: true, hours: 72, source: 'open311' })
    const audit = await t.db.query<{ actor: string; action: string }>(`SELECT actor, action FROM audit_log WHERE target = $1`, [`case:${id}`])
    expect(audit.rows).toEqual([{ actor: `system:open311:${clientId}`, action: 'case.create' }])
  })

  it('routes by district when a rule says so, and links a street light report to the light within 50 m', async () => {
    await t.db.query(`INSERT INTO case_routing (service_code, area_id, office_id) SELECT 'lampione-spento', id, 'urp' FROM area WHERE kind = 'quartiere' AND name = 'Santo Stefano'`)
    const light = await createFeature(t.db, assetType('street-lights')!, { properties: { status: 'functional' }, geometry: { geometry: { type: 'Point', coordinates: [11.3464, 44.4942] }, srid: 4326 } }, { actor: 'gis', actorRole: 'gis_editor', requestId: null })
    const r = await post({ service_code: 'lampione-spento', ...RIZZOLI, 'attribute[sintomo]': '1', api_key: apiKey })
    expect(r.status, r.text).toBe(201)
    const id = json<Array<{ service_request_id: string }>>(r)[0]!.service_request_id
    const row = await t.db.query<{ office_id: string; asset_collection: string; asset_feature_id: string }>(`SELECT office_id, asset_collection, asset_feature_id FROM citizen_case WHERE id = $1`, [id])
    expect(row.rows[0]).toEqual({ office_id: 'urp', asset_collection: 'street-lights', asset_feature_id: expect.anything() })
    expect(Number(row.rows[0]!.asset_feature_id)).toBe(light.id)
  })

  it('a batch service gives a token; the token has its id once the office accepts the request', async () => {
    const r = await post({ service_code: 'passo-carrabile', ...RIZZOLI, 'attribute[larghezza_m]': '3.5', api_key: apiKey })
    expect(r.status, r.text).toBe(201)
    const { token, service_notice } = json<Array<{ token: string; service_notice: string; service_request_id?: string }>>(r)[0]!
    expect(service_notice).toMatch(/checked by the office/)
    expect(json(await get(`${B}/tokens/${token}.json`))).toEqual([{ token }])
    // Not published yet: no GET shows it.
    const row = await t.db.query<{ id: string }>(`SELECT id FROM citizen_case WHERE token = $1`, [token])
    const id = row.rows[0]!.id
    expect((await get(`${B}/requests/${id}.json`)).status).toBe(404)
    await t.db.query(`UPDATE citizen_case SET published = true, status = 'triaged' WHERE id = $1`, [id])
    expect(json(await get(`${B}/tokens/${token}.json`))).toEqual([{ service_request_id: String(id), token }])
    expect(xml.parse((await get(`${B}/tokens/${token}.xml`)).text).service_requests.request[0]).toEqual({ service_request_id: String(id), token })
    expect((await get(`${B}/tokens/nosuchtoken123.json`)).status).toBe(404)
  })
})

describe('GET requests', () => {
  let ids: string[] = []

  beforeAll(async () => {
    // Three more, at known times: 100 days ago, 10 days ago (then closed), and now.
    const at = async (ms: number, code = 'rifiuti-abbandonati') => {
      clock = ms
      const r = await post({ service_code: code, ...MAGGIORE, api_key: apiKey, description: `a ${new Date(ms).toISOString()}` })
      clock = NOW
      return json<Array<{ service_request_id: string }>>(r)[0]!.service_request_id
    }
    ids = [await at(NOW - 100 * 86_400_000), await at(NOW - 10 * 86_400_000), await at(NOW, 'alberi-verde')]
    await t.db.query(`UPDATE citizen_case SET status = 'fixed', closed_at = requested_at + interval '2 days', status_notes = 'Rimossi' WHERE id = $1`, [ids[1]])
  })

  it('by default: the latest 90 days, newest first, open and closed; each a FIWARE service request', async () => {
    const all = json<unknown[]>(await get(`${B}/requests.json`)).map((r) => Open311RequestSchema.parse(r))
    const mine = all.filter((r) => ids.includes(r.service_request_id)).map((r) => r.service_request_id)
    expect(mine).toEqual([ids[2], ids[1]])
    expect(all.map((r) => r.requested_datetime)).toEqual([...all.map((r) => r.requested_datetime)].sort().reverse())
    const closed = all.find((r) => r.service_request_id === ids[1])!
    expect(closed).toMatchObject({ status: 'closed', status_notes: 'Rimossi', agency_responsible: 'Ambiente e igiene urbana' })
    expect(closed.updated_datetime).toBe(new Date(NOW - 8 * 86_400_000).toISOString())
    if (existsSync(SPECS)) {
      const validate = fiware('service_requests')
      for (const r of all) expect(validate(serviceRequestEntity(r, JURISDICTION)), JSON.stringify(validate.errors)).toBe(true)
    }
  })

  it('filters by status, service codes and period; ids override every other filter', async () => {
    const codes = (r: { text: string }) => json<Open311Request[]>(r).map((x) => x.service_request_id)
    expect(codes(await get(`${B}/requests.json?status=closed`))).toEqual([ids[1]])
    expect(codes(await get(`${B}/requests.json?service_code=alberi-verde`))).toEqual([ids[2]])
    const old = new Date(NOW - 101 * 86_400_000).toISOString()
    expect(codes(await get(`${B}/requests.json?start_date=${old}&end_date=${new Date(NOW - 50 * 86_400_000).toISOString()}`))).toEqual([ids[0]])
    expect(codes(await get(`${B}/requests.json?service_request_id=${ids[0]},${ids[2]}&status=closed&service_code=buca-stradale`))).toEqual([ids[2], ids[0]])
    const x = xml.parse((await get(`${B}/requests.xml?service_request_id=${ids[1]}`)).text).service_requests.request
    expect(x).toEqual([expect.objectContaining({ service_request_id: ids[1], status: 'closed', lat: '44.49381', long: '11.34297' })])
    expect(json(await get(`${B}/requests/${ids[2]}.json`))).toEqual([expect.objectContaining({ service_request_id: ids[2], service_code: 'alberi-verde' })])
    expect((await get(`${B}/requests/999999.json`)).status).toBe(404)
  })

  it('refuses a period over 90 days, a date without offset, an unknown status — 400 naming the argument', async () => {
    for (const [q, message] of [
      [`start_date=${new Date(NOW - 120 * 86_400_000).toISOString()}&end_date=${new Date(NOW).toISOString()}`, /at most 90 days/],
      ['start_date=2026-11-01', /start_date: a W3C date/],
      ['status=pending', /status: open, closed/],
      ['service_request_id=1;DROP', /whole numbers/],
    ] as const) {
      const r = await get(`${B}/requests.json?${q}`)
      expect(r.status, q).toBe(400)
      expect(json<Array<{ description: string }>>(r)[0]!.description).toMatch(message)
    }
  })
})

describe('privacy', () => {
  it('what a reporter gives about themselves is stored apart and is in no GET, JSON or XML; a description is scrubbed', async () => {
    const personal = { email: 'mario.rossi@example.it', first_name: 'Mario', last_name: 'Rossiniani', phone: '+39 051 1234567', account_id: 'acct-778899', device_id: 'dev-ABCDEF' }
    const r = await post({ service_code: 'buca-stradale', ...MAGGIORE, 'attribute[dimensione]': '1', api_key: apiKey, ...personal, description: 'Scrivetemi a mario.rossi@example.it o al 333 1234567, codice RSSMRA80A01A944X' })
    expect(r.status, r.text).toBe(201)
    const id = json<Array<{ service_request_id: string }>>(r)[0]!.service_request_id
    const stored = await t.db.query(`SELECT email, first_name, last_name, phone, account_id, device_id FROM citizen_case_personal WHERE case_id = $1`, [id])
    expect(stored.rows[0]).toEqual(personal)
    const answers = [
      await get(`${B}/requests.json`),
      await get(`${B}/requests.xml`),
      await get(`${B}/requests/${id}.json`),
      await get(`${B}/requests/${id}.xml`),
      await get(`${B}/servicerequestupdates.json`),
      await get(`${B}/servicerequestupdates.xml`),
    ]
    for (const a of answers) {
      expect(a.status).toBe(200)
      for (const v of [...Object.values(personal), 'RSSMRA80A01A944X', '1234567']) expect(a.text).not.toContain(v)
      for (const field of ['email', 'first_name', 'last_name', 'phone', 'account_id', 'device_id']) expect(a.text).not.toMatch(new RegExp(`"${field}"|<${field}>`))
    }
    expect(json<Open311Request[]>(answers[2]!)[0]!.description).toBe('Scrivetemi a […] o al […], codice […]')
  })
})

function fiware(model: 'services' | 'service_requests') {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  const common = JSON.parse(readFileSync(path.join(SPECS, 'fiware-sdm', '_shared', 'common-schema.json'), 'utf8')) as { $id: string }
  ajv.addSchema(common, common.$id)
  return ajv.compile(JSON.parse(readFileSync(path.join(SPECS, 'open311-fiware', model, 'schema.json'), 'utf8')) as object)
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document with a path for every route, and the answers match its schemas', async () => {
    const r = await get(`${B}/openapi.json`)
    expect(r.type).toMatch(/openapi/)
    const doc = JSON.parse(r.text) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } }
    const SwaggerParser = (await import('@apidevtools/swagger-parser')).default
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy()
    const routes = Object.entries(OPEN311_ROUTES)
      .filter(([name]) => name !== 'notFound')
      .map(([, x]) => `${x.method} ${x.path.slice(B.length).replace(/:([A-Za-z]+)/g, '{$1}').replace('{serviceCode}', '{service_code}').replace('requests/{id}', 'requests/{service_request_id}')}`)
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
    expect(documented.sort()).toEqual(routes.sort())
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    addFormats.default(ajv)
    const check = (name: string, value: unknown) => {
      const v = ajv.compile({ ...(doc.components.schemas[name] as object) })
      expect(v(value), `${name}: ${JSON.stringify(v.errors)}`).toBe(true)
    }
    for (const s of json<unknown[]>(await get(`${B}/services.json`))) check('service', s)
    for (const q of json<unknown[]>(await get(`${B}/requests.json`))) check('request', q)
    check('serviceDefinition', json(await get(`${B}/services/buca-stradale.json`)))
    check('discovery', json(await get(`${B}/discovery.json`)))
  })
})

// Last: it stores a dozen requests the other tests would count.
describe('rate limit', () => {
  it('takes at most 10 requests an hour from one reporter (429 with Retry-After, nothing stored), others still pass, and again after the hour', async () => {
    const pothole = { service_code: 'buca-stradale', ...MAGGIORE, 'attribute[dimensione]': '2', description: 'Buca profonda davanti al Nettuno' }
    const from = (email: string) => ({ ...pothole, api_key: apiKey, email })
    const before = Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM citizen_case`)).rows[0]!.n)
    for (let i = 0; i < 10; i++) expect((await post(from('flood@example.org'))).status).toBe(201)
    const refused = await fetch(`${app.url}${B}/requests.json`, { method: 'POST', body: new URLSearchParams(from('FLOOD@example.org')) })
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3000)
    expect((await refused.json()) as unknown).toEqual([{ code: 429, description: expect.stringMatching(/at most 10 an hour/) }])
    expect((await post(from('someone.else@example.org'))).status).toBe(201)
    expect(Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM citizen_case`)).rows[0]!.n)).toBe(before + 11)
    clock += 3_600_000
    expect((await post(from('flood@example.org'))).status).toBe(201)
    clock = NOW
  })
})
