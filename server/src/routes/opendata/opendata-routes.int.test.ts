/**
 * The open-data catalogue end to end (PGlite, or PostgreSQL under test:services) on Bologna's real
 * registries — districts, traffic loops, bicycle counters, ARPAE stations, the census seeded from them —
 * with generated readings and citizens' cases: a refresh publishes every dataset, the catalogue it
 * makes passes the DCAT-AP 2.1.1 + national + Gemello SHACL shapes with zero violations; the RDF pages
 * (Turtle, RDF/XML, JSON-LD) parse back to the same graph and page as ckanext-dcat does; the CKAN
 * actions answer as CKAN's harvester reads them (envelope, package fields, paging to the empty page,
 * metadata_modified filter); the files carry no personal data, keep their ETag, and only change
 * dct:modified when their content changes.
 */
import { createHash } from 'node:crypto'
import { get as httpGet } from 'node:http'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { Parser, type Quad } from 'n3'
import jsonld from 'jsonld'
import { RdfXmlParser } from 'rdfxml-streaming-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OpenDataCatalogueSchema, type OpenDataCatalogue } from '../../../../contracts/opendata-api'
import { importDataset } from '../../../../geodata/src/importers/dataset-import'
import { datasetById } from '../../../../geodata/src/manifest'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { CITY_DATA_DIR } from '../../../../tests/helpers/test-env'
import type { OpenDataConfig } from '../../config/config'
import { createCase, seedCaseCatalogue } from '../../db/cases'
import { seedCensus } from '../../db/census-seed'
import { claimRefresh, datasetFile, publishedDatasets } from '../../db/opendata'
import { col, type DatasetDefinition, type DatasetRow } from '../../opendata/datasets/dataset-definition'
import { writeBatch, type ValidReading } from '../../db/readings'
import { runRollups } from '../../jobs/rollup-job'
import { refreshOpenData } from '../../opendata/opendata-refresh'
import { mountOpenDataRoutes } from './opendata-routes'

const HOUR = 3_600_000
const NOW = Math.floor(Date.now() / HOUR) * HOUR - HOUR + 20 * 60_000
const EMAIL = 'mario.rossi@example.org'
const FISCAL = 'RSSMRA80A01A944X'
const SHAPES_DIR = path.resolve(CITY_DATA_DIR, '..', 'specs', 'dcat-ap-it')
const config: OpenDataConfig = {
  publisherName: 'Comune di Bologna', ipaCode: 'c_a944', place: { name: 'Bologna', geonames: 'http://sws.geonames.org/3181928/' }, contactName: 'Comune di Bologna – Open data', contactEmail: 'opendata@comune.bologna.it',
  baseUrl: 'https://gemello.example.it', refreshMs: HOUR, historyDays: 2, shapesDir: SHAPES_DIR,
}
const log = { info: () => undefined, warn: () => undefined, error: () => undefined }
const PAGE = 4

let t: TestDb
let app: RouteApp
let catalogue: OpenDataCatalogue
const get = (p: string) => fetch(`${app.url}${p}`)

const traffic = (deviceId: string, at: number, flowVehH: number): ValidReading => ({
  deviceId, kind: 'traffic-loop', stream: 'traffic', shape: 'traffic', seq: at / 1000, observedAtMs: at, receivedAtMs: at + 2000, quality: 'good',
  values: { flowVehH, occupancyPct: 12, speedKmh: null, intervalS: 300, lane: null },
})
async function writeAndRoll(readings: ValidReading[]): Promise<void> {
  await t.db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))
  for (let i = 0; i < 200; i++) if ((await t.db.transaction((tx) => runRollups(tx))).queueRows === 0) return
}
const loops = async () => (await t.db.query<{ id: string }>(`SELECT id FROM device WHERE kind = 'traffic-loop' ORDER BY id LIMIT 2`)).rows.map((r) => r.id)

beforeAll(async () => {
  t = await createTestDb()
  for (const id of ['bologna-quartieri', 'bologna-loops', 'bologna-bike-counters', 'arpae-stations']) {
    await importDataset(t.db, id, path.join(CITY_DATA_DIR, datasetById(id)!.file), { cityDataDir: CITY_DATA_DIR })
  }
  await seedCensus(t.db, NOW)
  await seedCaseCatalogue(t.db)
  const base = { serviceCode: 'buca-stradale', lon: 11.34297, lat: 44.49381, attributes: { dimensione: 2 }, address: 'Piazza Maggiore 1, scrive Mario Rossi', addressId: null, mediaUrl: null, source: 'open311' as const, open311ClientId: null }
  await createCase(t.db, { ...base, description: `Buca. Contattatemi: ${EMAIL}, CF ${FISCAL}`, personal: { email: EMAIL, phone: '+39 051 123 4567', firstName: 'Mario', lastName: 'Rossi' } }, { actor: 'open311:test', actorRole: 'system', requestId: null }, NOW - 2 * HOUR)
  const [a, b] = await loops()
  await writeAndRoll([0, 5, 10].flatMap((m) => [traffic(a!, NOW - 2 * HOUR + m * 60_000, 600), traffic(b!, NOW - 2 * HOUR + m * 60_000, 300)]))
  const s = await refreshOpenData({ db: t.db, config, log }, NOW)
  expect(s.refused).toEqual([])
  app = await serveRoutes(t.db, (x) => mountOpenDataRoutes(x, { db: t.db, config, rdfPageSize: PAGE }))
  catalogue = (await app.call<OpenDataCatalogue>('GET', '/api/opendata', null)).body
}, 400_000)
afterAll(async () => {
  await app?.close()
  await t?.drop()
})

const listed = () => catalogue.datasets.filter((d) => d.status === 'published' && (d.rowCount ?? 0) > 0)

describe('the catalogue', () => {
  it('publishes the datasets from the twin, each with its files, and passes SHACL with zero violations', () => {
    expect(OpenDataCatalogueSchema.safeParse(catalogue).success).toBe(true)
    const ids = listed().map((d) => d.id)
    expect(ids).toEqual(expect.arrayContaining(['sensori', 'traffico-spire-orario', 'segnalazioni-cittadini', 'censimento-traffic-loops', 'censimento-air-quality-stations']))
    const counts = catalogue.datasets.find((d) => d.id === 'traffico-spire-orario')!
    expect(counts.rowCount).toBe(2)
    expect(counts.temporal).toEqual({ startMs: NOW - 2 * HOUR - 20 * 60_000, endMs: NOW - HOUR - 20 * 60_000 })
    expect(counts.distributions.map((x) => x.format)).toEqual(['csv'])
    const loopsCensus = catalogue.datasets.find((d) => d.id === 'censimento-traffic-loops')!
    expect(loopsCensus.distributions.map((x) => x.format)).toEqual(expect.arrayContaining(['csv', 'geojson', 'api']))
    expect(loopsCensus.distributions.find((x) => x.format === 'api')!.url).toBe('https://gemello.example.it/ogc/collections/traffic-loops/items')
    expect(catalogue.validation).toMatchObject({ validated: true, conforms: true, violations: [] })
  })

  it('leaves out generated devices and the census’s internal attributes', async () => {
    const csv = await (await get('/opendata/datasets/censimento-access-points/data.csv')).text()
    expect(csv).not.toMatch(/ipAddress|notes/)
    const sensors = catalogue.datasets.find((d) => d.id === 'sensori')!
    const gj = (await (await get('/opendata/datasets/sensori/data.geojson')).json()) as { features: Array<{ properties: { kind: string } }> }
    expect(gj.features.length).toBe(sensors.rowCount)
    expect(new Set(gj.features.map((f) => f.properties.kind))).toEqual(new Set(['traffic-loop', 'bike-counter', 'air-quality']))
  })
})

describe('the files', () => {
  it('publishes citizens’ reports without anything personal or written by the reporter', async () => {
    const res = await get('/opendata/datasets/segnalazioni-cittadini/data.csv')
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text.split('\r\n')[0]).toBe('wkt,id,service_code,service,status,district,requested_at,expected_at,closed_at,sla_breached')
    for (const s of [EMAIL, FISCAL, 'Mario', 'Rossi', '051', 'Contattatemi', 'Piazza Maggiore']) expect(text).not.toContain(s)
    expect(text).toContain('buca-stradale')
  })

  it('answers a file with its SHA-256 as ETag, 304 when unchanged, and names it for saving', async () => {
    const res = await get('/opendata/datasets/traffico-spire-orario/data.csv')
    const etag = res.headers.get('etag')!
    const d = catalogue.datasets.find((x) => x.id === 'traffico-spire-orario')!
    expect(etag).toBe(`"${d.distributions[0]!.sha256}"`)
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="traffico-spire-orario.csv"')
    expect((await fetch(`${app.url}/opendata/datasets/traffico-spire-orario/data.csv`, { headers: { 'if-none-match': etag } })).status).toBe(304)
    // Stored gzip-compressed: as is to a client that accepts gzip, decompressed for one that does not.
    const plain = await fetch(`${app.url}/opendata/datasets/traffico-spire-orario/data.csv`, { headers: { 'accept-encoding': 'identity' } })
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(createHash('sha256').update(Buffer.from(await plain.arrayBuffer())).digest('hex')).toBe(d.distributions[0]!.sha256)
    const zipped = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) =>
      httpGet(`${app.url}/opendata/datasets/traffico-spire-orario/data.csv`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
        const parts: Buffer[] = []
        r.on('data', (c: Buffer) => parts.push(c)).on('end', () => resolve({ encoding: r.headers['content-encoding'], body: Buffer.concat(parts) }))
      }).on('error', reject),
    )
    expect(zipped.encoding).toBe('gzip')
    expect(gunzipSync(zipped.body).length).toBe(d.distributions[0]!.byteSize)
    const missing = await app.call('GET', '/opendata/datasets/traffico-spire-orario/data.gpkg', null)
    expect(missing.error?.code).toBe('DATASET_NOT_FOUND')
  })

  it('moves dct:modified only when the content changed', async () => {
    const before = catalogue.datasets.find((x) => x.id === 'traffico-spire-orario')!.modifiedMs
    await refreshOpenData({ db: t.db, config, log }, NOW + 60_000)
    const same = (await app.call<OpenDataCatalogue>('GET', '/api/opendata', null)).body.datasets
    expect(same.find((x) => x.id === 'traffico-spire-orario')!.modifiedMs).toBe(before)
    expect(same.find((x) => x.id === 'traffico-spire-orario')!.refreshedMs).toBe(NOW + 60_000)
    const [a] = await loops()
    await writeAndRoll([traffic(a!, NOW - 2 * HOUR + 15 * 60_000, 900)])
    await refreshOpenData({ db: t.db, config, log }, NOW + 120_000)
    const after = (await app.call<OpenDataCatalogue>('GET', '/api/opendata', null)).body.datasets
    expect(after.find((x) => x.id === 'traffico-spire-orario')!.modifiedMs).toBe(NOW + 120_000)
    expect(after.find((x) => x.id === 'sensori')!.modifiedMs).toBe(before)
    catalogue = (await app.call<OpenDataCatalogue>('GET', '/api/opendata', null)).body
  })

  it('lets one process refresh per period', async () => {
    const due = Date.now() + 10 * 365 * 24 * HOUR
    expect(await t.db.transaction((tx) => claimRefresh(tx, 'a', due, HOUR))).toBe(true)
    expect(await t.db.transaction((tx) => claimRefresh(tx, 'b', due + 60_000, HOUR))).toBe(false)
    expect(await t.db.transaction((tx) => claimRefresh(tx, 'b', due + HOUR, HOUR))).toBe(true)
  })
})

describe('the privacy guard', () => {
  const guarded = (rows: () => DatasetRow[], extra: string[] = []): DatasetDefinition => ({
    id: 'prova-guardia', title: { it: 'Prova', en: 'Test' }, description: { it: 'Prova', en: 'Test' }, keywords: [], themes: ['GOVE'], frequency: 'DAILY',
    licence: 'CC-BY-4.0', sources: [], geometry: null, columns: ['id', 'status', ...extra].map((n) => col(n, 'string', n, n)),
    read: async () => ({ rows: rows(), temporal: null }),
  })

  it('refuses a dataset with a column on the deny list: no row, no file written, the reason recorded', async () => {
    const s = await refreshOpenData({ db: t.db, config, log, datasets: [guarded(() => [{ properties: { id: '1', status: 'open', email: 'x' }, geometry: null }], ['email'])] }, NOW)
    expect(s.published).toEqual([])
    expect(s.refused[0]!.reason).toMatch(/column email is on the personal-data deny list/)
    const row = (await publishedDatasets(t.db)).get('prova-guardia')!
    expect(row.files).toEqual([])
    expect(row.refusal).toMatch(/deny list/)
    expect(await datasetFile(t.db, 'prova-guardia', 'csv')).toBeNull()
  })

  it('keeps the last good files when a later refresh finds personal data, and publishes again once it is gone', async () => {
    let status = 'aperta'
    const def = guarded(() => [{ properties: { id: '1', status }, geometry: null }])
    await refreshOpenData({ db: t.db, config, log, datasets: [def] }, NOW)
    const good = (await datasetFile(t.db, 'prova-guardia', 'csv'))!
    expect(good.bytes().toString()).toContain('aperta')
    status = 'chiusa, avvisare RSSMRA80A01A944X'
    const s = await refreshOpenData({ db: t.db, config, log, datasets: [def] }, NOW + 60_000)
    expect(s.refused[0]!.reason).toBe('Dataset prova-guardia: row 1, column status holds what looks like a fiscal code; personal data are never published.')
    expect((await datasetFile(t.db, 'prova-guardia', 'csv'))!.bytes().equals(good.bytes())).toBe(true)
    expect((await publishedDatasets(t.db)).get('prova-guardia')!.refusal).toMatch(/fiscal code/)
    status = 'chiusa'
    await refreshOpenData({ db: t.db, config, log, datasets: [def] }, NOW + 120_000)
    expect((await publishedDatasets(t.db)).get('prova-guardia')!.refusal).toBeNull()
    expect((await datasetFile(t.db, 'prova-guardia', 'csv'))!.bytes().toString()).toContain('chiusa')
  })
})

type Triple = string
const asTriples = (quads: Array<{ subject: { termType: string; value: string }; predicate: { value: string }; object: { termType: string; value: string; language?: string; datatype?: { value: string } } }>): Set<Triple> =>
  new Set(
    quads.map((q) =>
      [q.subject.termType === 'BlankNode' ? '_' : q.subject.value, q.predicate.value, q.object.termType === 'BlankNode' ? '_' : `${q.object.value}@${q.object.language ?? ''}^${q.object.datatype?.value ?? ''}`]
        .join(' ')
        // each format's page names itself: /catalog.ttl?page=1, /catalog.rdf?page=1, …
        .replace(/catalog\.(ttl|rdf|jsonld)\?/g, 'catalog.*?'),
    ),
  )
async function parseRdfXml(text: string) {
  const quads: Parameters<typeof asTriples>[0] = []
  const parser = new RdfXmlParser()
  await new Promise<void>((resolve, reject) => {
    parser.on('data', (q) => quads.push(q)).on('error', reject).on('end', () => resolve())
    parser.write(text)
    parser.end()
  })
  return quads
}

describe('the RDF', () => {
  const DCAT_DATASET = 'http://www.w3.org/ns/dcat#dataset'
  const HYDRA = 'http://www.w3.org/ns/hydra/core#'

  it('writes the same graph as Turtle, RDF/XML and JSON-LD', async () => {
    const ttl = await get('/catalog.ttl')
    expect(ttl.headers.get('content-type')).toMatch(/^text\/turtle/)
    const fromTtl = asTriples(new Parser().parse(await ttl.text()))
    const rdfRes = await get('/catalog.rdf')
    expect(rdfRes.headers.get('content-type')).toMatch(/^application\/rdf\+xml/)
    const fromXml = asTriples(await parseRdfXml(await rdfRes.text()))
    const ld = (await (await get('/catalog.jsonld')).json()) as object
    const nquads = (await jsonld.toRDF(ld, { format: 'application/n-quads' })) as unknown as string
    const fromLd = asTriples(new Parser({ format: 'N-Quads' }).parse(nquads))
    expect(fromTtl.size).toBeGreaterThan(50)
    expect([...fromXml].sort()).toEqual([...fromTtl].sort())
    expect([...fromLd].sort()).toEqual([...fromTtl].sort())
  })

  it('pages as ckanext-dcat does: every dataset once over the pages, each page complete in itself', async () => {
    const seen: string[] = []
    let next: string | null = '/catalog.ttl?page=1'
    let pages = 0
    while (next !== null && pages < 20) {
      const quads: Quad[] = new Parser().parse(await (await get(next)).text())
      pages++
      const onPage = quads.filter((q) => q.predicate.value === DCAT_DATASET).map((q) => q.object.value)
      expect(onPage.length).toBeLessThanOrEqual(PAGE)
      seen.push(...onPage)
      // the publisher and the contact point are on every page
      expect(quads.some((q) => q.subject.value === 'https://gemello.example.it/opendata/publisher' && q.predicate.value === 'http://xmlns.com/foaf/0.1/name')).toBe(true)
      const nextPage: Quad | undefined = quads.find((q) => q.predicate.value === `${HYDRA}nextPage`)
      expect(quads.find((q) => q.predicate.value === `${HYDRA}totalItems`)?.object.value).toBe(String(listed().length))
      next = nextPage ? new URL(nextPage.object.value).pathname + new URL(nextPage.object.value).search : null
    }
    expect(pages).toBe(Math.ceil(listed().length / PAGE))
    expect(seen.sort()).toEqual(listed().map((d) => `https://gemello.example.it/opendata/datasets/${d.id}`).sort())
    expect((await app.call('GET', '/catalog.ttl?page=0', null)).error?.code).toBe('VALIDATION_FAILED')
  })
})

interface Envelope<T> {
  help: string
  success: boolean
  result: T
  error?: { __type: string; message: string }
}
const ckan = async <T,>(p: string) => {
  const res = await get(`/api/3/action/${p}`)
  return { status: res.status, body: (await res.json()) as Envelope<T> }
}

describe('the CKAN API', () => {
  it('lists, shows and searches packages in CKAN’s envelope, with the DCAT-AP_IT fields', async () => {
    const list = await ckan<string[]>('package_list')
    expect(list.body.success).toBe(true)
    expect(list.body.result).toEqual(listed().map((d) => d.id).sort())
    const show = await ckan<Record<string, unknown>>('package_show?id=traffico-spire-orario')
    expect(show.body.result).toMatchObject({
      name: 'traffico-spire-orario', type: 'dataset', state: 'active', owner_org: 'c_a944', license_id: 'cc-by-4.0',
      identifier: 'c_a944:traffico-spire-orario', frequency: 'HOURLY', publisher_identifier: 'c_a944', holder_identifier: 'c_a944',
      organization: { name: 'c_a944', title: 'Comune di Bologna' },
    })
    expect(JSON.parse(show.body.result.theme as string)).toEqual([{ theme: 'TRAN', subthemes: [] }])
    const res = (show.body.result.resources as Array<Record<string, unknown>>)[0]!
    expect(res).toMatchObject({ format: 'CSV', url: 'https://gemello.example.it/opendata/datasets/traffico-spire-orario/data.csv', license_type: 'https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40' })
    // No extras key repeats a schema field (a receiving CKAN would refuse the package).
    for (const e of show.body.result.extras as Array<{ key: string }>) expect(Object.keys(show.body.result)).not.toContain(e.key)
    expect(list.body.help).toBe('https://gemello.example.it/api/3/action/help_show?name=package_list')
  })

  it('pages package_search as the CKAN harvester does until an empty page, and filters by metadata_modified', async () => {
    const got: string[] = []
    for (let start = 0; ; start += 3) {
      const r = await ckan<{ count: number; results: Array<{ id: string }> }>(`package_search?rows=3&start=${start}&sort=id+asc`)
      expect(r.body.result.count).toBe(listed().length)
      if (r.body.result.results.length === 0) break
      got.push(...r.body.result.results.map((p) => p.id))
    }
    expect(got).toEqual(listed().map((d) => d.id).sort())
    const since = new Date(NOW + 100_000).toISOString().replace('Z', '')
    const recent = await ckan<{ count: number; results: Array<{ id: string }> }>(`package_search?fq=${encodeURIComponent(`metadata_modified:[${since}Z TO *]`)}&rows=100`)
    expect(recent.body.result.results.map((p) => p.id)).toEqual(['traffico-spire-orario'])
    const words = await ckan<{ count: number; results: Array<{ id: string }> }>('package_search?q=qualita+aria')
    expect(words.body.result.results.map((p) => p.id)).toContain('censimento-air-quality-stations')
  })

  it('answers what it does not understand as CKAN does', async () => {
    const unknown = await ckan('package_create')
    expect(unknown.status).toBe(400)
    expect(unknown.body.success).toBe(false)
    const bad = await ckan('package_search?fq=author:x')
    expect(bad.status).toBe(409)
    expect(bad.body.error).toMatchObject({ __type: 'Search Query Error' })
    const missing = await ckan('package_show?id=nope')
    expect(missing.status).toBe(404)
    expect(missing.body.error?.__type).toBe('Not Found Error')
    expect((await fetch(`${app.url}/api/action/package_list`)).status).toBe(200)
  })
})
