/**
 * Gemello's OGC API – Features at /ogc (ADR 0008, docs/census.md): Part 1 core with GeoJSON and
 * HTML, Part 2 CRSs, Part 3 filtering (queryables, CQL2 text and JSON), Part 4 create, replace,
 * update and delete with strong ETags and If-Match — the census GIS staff edit from QGIS.
 *
 * Reads need census:read-public (everyone: the public attributes) and show every attribute with
 * census:read; writes need census:write. Errors carry the OGC exception's `code` and `description`
 * beside Gemello's error envelope, so both kinds of client read them.
 */
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from 'express'
import { OGC_ROUTES, type OgcRouteName } from '../../../contracts/census-api'
import { ASSET_TYPES, assetType, type AssetType } from '../../../contracts/schemas/census'
import type { ErrorCode } from '../../../contracts/errors'
import type { Db } from '../db/adapter'
import { CensusError } from '../db/census-error'
import { censusQueryables, collectionExtents, featureTombstone, getFeature, listFeatures } from '../db/census-read'
import { auditRefusedWrite, changeFeature, createFeature, deleteFeature, expectationOf, type Expectation } from '../db/census-write'
import { guarded, principalOf } from '../http/access'
import { actorOf } from '../http/actor'
import { ApiError } from '../http/api-error'
import { decide, type Principal } from '../identity/principal'
import { CRS84, contentCrsHeader, parseCrs, CrsError, toCrsAxisOrder, type SupportedCrs } from './crs'
import type { Cql2Node, Cql2Value } from './cql2/cql2-ast'
import { Cql2Error } from './cql2/cql2-ast'
import { compileCql2, type Queryables } from './cql2/cql2-sql'
import { collectionDoc, collectionsDoc, conformance, featureDocumentSchema, featureJson, landingPage, queryablesDoc } from './ogc-documents'
import * as html from './ogc-html'
import { ogcOpenApi } from './ogc-openapi'
import { contentCrsOf, etagOf, MAX_FEATURE_BYTES, outputFormat, parseFeatureBody, parseIfMatch, parseItemsQuery, type ItemsQuery } from './ogc-request'

export interface OgcDeps {
  db: Db
  /** The database has `unaccent` (CQL2 ACCENTI). */
  accentInsensitive: boolean
}

const langOf = (req: Request): 'en' | 'it' => (req.acceptsLanguages('en', 'it') === 'it' ? 'it' : 'en')
const baseOf = (req: Request) => `${req.protocol}://${req.get('host')}/ogc`
const full = (who: Principal) => decide(who, 'census:read', Date.now()).ok
const canWrite = (who: Principal) => decide(who, 'census:write', Date.now()).ok

function typeOf(req: Request): AssetType {
  const t = assetType(String(req.params.collectionId))
  if (!t) throw new ApiError('COLLECTION_NOT_FOUND', `No collection ${String(req.params.collectionId).slice(0, 60)}: the collections are ${ASSET_TYPES.map((x) => x.id).join(', ')}`)
  return t
}

/** A feature id from the path: a positive integer, else 404 (a crafted id is never a query). */
function featureIdOf(req: Request, t: AssetType): number {
  const raw = String(req.params.featureId)
  if (!/^[1-9]\d{0,14}$/.test(raw)) throw new ApiError('FEATURE_NOT_FOUND', `${t.title.en} has no feature ${raw.slice(0, 40)}: feature ids are whole numbers`)
  return Number(raw)
}

function onlyParams(req: Request, allowed: string[]): void {
  for (const k of Object.keys(req.query)) {
    if (!allowed.includes(k)) throw new ApiError('VALIDATION_FAILED', `${k}: unknown parameter; the parameters here are ${allowed.join(', ')}`, [{ path: `query.${k}`, message: 'unknown parameter' }])
  }
}

function crsParam(req: Request): SupportedCrs {
  try {
    return parseCrs(typeof req.query.crs === 'string' ? req.query.crs : undefined, 'crs')
  } catch (e) {
    if (e instanceof CrsError) throw new ApiError('VALIDATION_FAILED', e.message, [{ path: 'query.crs', message: e.message }])
    throw e
  }
}

function send(req: Request, res: Response, json: unknown, page: () => string, type = 'application/json'): void {
  if (outputFormat(req) === 'html') {
    res.type('text/html; charset=utf-8').send(page())
    return
  }
  res.type(type).send(JSON.stringify(json))
}

/** Equality parameters (Part 3 queryables-query-parameters) as CQL2 nodes, typed by their queryable. */
function equalsNodes(q: ItemsQuery, queryables: Queryables): Cql2Node[] {
  return q.equals.map(({ name, value }) => {
    const type = queryables[name]!.type
    let right: Cql2Value
    if (type === 'integer' || type === 'number') {
      if (!/^-?\d+(\.\d+)?$/.test(value)) throw new ApiError('VALIDATION_FAILED', `${name}: a number is expected`, [{ path: `query.${name}`, message: 'a number' }])
      right = { kind: 'number', value: Number(value) }
    } else if (type === 'boolean') {
      if (value !== 'true' && value !== 'false') throw new ApiError('VALIDATION_FAILED', `${name}: true or false`, [{ path: `query.${name}`, message: 'true or false' }])
      right = { kind: 'boolean', value: value === 'true' }
    } else if (type === 'date') right = { kind: 'date', value }
    else if (type === 'timestamp') right = { kind: 'timestamp', value }
    else right = { kind: 'string', value }
    return { kind: 'comparison', op: '=', left: { kind: 'property', name }, right } as Cql2Node
  })
}

function stringQuery(req: Request): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') out[k] = v
  return out
}

function pageLink(req: Request, base: string, collection: string, over: Record<string, string>, rel: string, type: string, title: string, drop: string[] = []) {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string' && !drop.includes(k)) p.set(k, v)
  for (const [k, v] of Object.entries(over)) p.set(k, v)
  return { href: `${base}/collections/${collection}/items?${p.toString()}`, rel, type, title }
}

const toApiError = (e: unknown): unknown => {
  if (e instanceof CensusError) return new ApiError(e.code, e.message, e.details)
  if (e instanceof Cql2Error) return new ApiError('VALIDATION_FAILED', `filter: ${e.message}`, [{ path: 'query.filter', message: e.message }])
  return e
}

/** Declares and mounts one OGC route from contracts/census-api.ts. */
function route(app: Express, name: OgcRouteName, handler: (req: Request, res: Response) => Promise<void>, before: RequestHandler[] = []): void {
  const r = OGC_ROUTES[name]
  // The access guard runs first (guarded), then the body parser: nobody unauthorised gets a body read.
  guarded(app, r.method, r.path, r.permission, ...before, (req, res, next) => {
    handler(req, res).catch((e) => next(toApiError(e)))
  })
}

export function mountOgcRoutes(app: Express, d: OgcDeps): void {
  const body = express.raw({ type: () => true, limit: MAX_FEATURE_BYTES })

  route(app, 'landing', async (req, res) => {
    onlyParams(req, ['f'])
    const doc = landingPage(baseOf(req), langOf(req))
    send(req, res, doc, () => html.renderLanding(doc, { lang: langOf(req), baseUrl: baseOf(req) }))
  })
  route(app, 'conformance', async (req, res) => {
    onlyParams(req, ['f'])
    const doc = conformance({ accentInsensitive: d.accentInsensitive })
    send(req, res, doc, () => html.renderConformance(doc, { lang: langOf(req), baseUrl: baseOf(req) }))
  })
  route(app, 'api', async (req, res) => {
    onlyParams(req, ['f'])
    res.type('application/vnd.oai.openapi+json;version=3.0').send(JSON.stringify(ogcOpenApi(baseOf(req))))
  })
  route(app, 'collections', async (req, res) => {
    onlyParams(req, ['f'])
    const who = await principalOf(req)
    const doc = collectionsDoc(baseOf(req), langOf(req), await collectionExtents(d.db), canWrite(who))
    send(req, res, doc, () => html.renderCollections(doc, { lang: langOf(req), baseUrl: baseOf(req) }))
  })
  route(app, 'collection', async (req, res) => {
    onlyParams(req, ['f'])
    const t = typeOf(req)
    const who = await principalOf(req)
    const doc = collectionDoc(baseOf(req), t, langOf(req), (await collectionExtents(d.db)).get(t.id), canWrite(who))
    send(req, res, doc, () => html.renderCollection(doc, { lang: langOf(req), baseUrl: baseOf(req) }))
  })
  route(app, 'queryables', async (req, res) => {
    onlyParams(req, ['f'])
    const t = typeOf(req)
    const doc = queryablesDoc(baseOf(req), t, langOf(req), censusQueryables(t, full(await principalOf(req))))
    send(req, res, doc, () => html.renderQueryables(doc as html.QueryablesJson, { collectionId: t.id, collectionTitle: t.title[langOf(req)], assetType: t }, { lang: langOf(req), baseUrl: baseOf(req) }), 'application/schema+json')
  })
  route(app, 'schema', async (req, res) => {
    onlyParams(req, ['f'])
    const t = typeOf(req)
    res.type('application/schema+json').send(JSON.stringify(featureDocumentSchema(baseOf(req), t, langOf(req), full(await principalOf(req)))))
  })

  const allowItems = async (req: Request, res: Response) => {
    typeOf(req)
    res.setHeader('Allow', canWrite(await principalOf(req)) ? 'GET, HEAD, POST, OPTIONS' : 'GET, HEAD, OPTIONS')
    res.status(204).end()
  }
  const allowItem = async (req: Request, res: Response) => {
    const t = typeOf(req)
    featureIdOf(req, t)
    res.setHeader('Allow', canWrite(await principalOf(req)) ? 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS' : 'GET, HEAD, OPTIONS')
    res.setHeader('Accept-Patch', 'application/merge-patch+json')
    res.status(204).end()
  }
  route(app, 'itemsOptions', allowItems)
  route(app, 'itemOptions', allowItem)

  route(app, 'items', async (req, res) => {
    const t = typeOf(req)
    const who = await principalOf(req)
    const isFull = full(who)
    const queryables = censusQueryables(t, isFull)
    const q = parseItemsQuery(req, queryables)
    const nodes = [...equalsNodes(q, queryables), ...(q.filter ? [q.filter] : [])]
    const ast: Cql2Node | null = nodes.length === 0 ? null : nodes.length === 1 ? nodes[0]! : { kind: 'and', args: nodes }
    if (ast) compileCql2(ast, queryables, { unaccent: d.accentInsensitive }) // refuses unknown properties and type errors before any SQL runs
    const page = await listFeatures(d.db, {
      type: t,
      full: isFull,
      outSrid: q.crs.srid,
      limit: q.limit,
      offset: q.offset,
      ...(q.after !== undefined ? { afterId: q.after } : {}),
      ...(q.bbox ? { bbox: q.bbox } : {}),
      ...(q.at ? { at: q.at } : {}),
      ...(ast ? { filter: (offset: number) => compileCql2(ast, queryables, { paramOffset: offset, unaccent: d.accentInsensitive }) } : {}),
    })
    const base = baseOf(req)
    const links = [
      pageLink(req, base, t.id, { f: 'json' }, 'self', 'application/geo+json', 'This page'),
      pageLink(req, base, t.id, { f: 'html' }, 'alternate', 'text/html', 'This page as HTML'),
    ]
    // next: keyset (after = the last id), so a deep page costs what the first does and concurrent edits
    // neither skip nor repeat a feature; offset travels along for the prev link and the HTML pager.
    const last = page.features.at(-1)
    if (last && page.hasMore) {
      links.push(pageLink(req, base, t.id, { offset: String(q.offset + q.limit), limit: String(q.limit), after: String(last.id), f: 'json' }, 'next', 'application/geo+json', 'Next page'))
    }
    if (q.offset > 0) links.push(pageLink(req, base, t.id, { offset: String(Math.max(0, q.offset - q.limit)), limit: String(q.limit), f: 'json' }, 'prev', 'application/geo+json', 'Previous page', ['after']))
    links.push({ href: `${base}/collections/${t.id}`, rel: 'collection', type: 'application/json', title: t.title[langOf(req)] })
    const fc = {
      type: 'FeatureCollection' as const,
      features: page.features.map((f) => featureJson(base, f, q.crs)),
      numberMatched: page.numberMatched,
      numberReturned: page.features.length,
      timeStamp: new Date().toISOString(),
      links,
    }
    res.setHeader('Content-Crs', contentCrsHeader(q.crs))
    send(req, res, fc, () => html.renderItems(fc, { collectionId: t.id, collectionTitle: t.title[langOf(req)], assetType: t, query: stringQuery(req), crs: q.crs.uri }, { lang: langOf(req), baseUrl: base }), 'application/geo+json')
  })

  route(app, 'item', async (req, res) => {
    onlyParams(req, ['f', 'crs', 'datetime'])
    const t = typeOf(req)
    const id = featureIdOf(req, t)
    const crs = crsParam(req)
    const who = await principalOf(req)
    let atMs: number | undefined
    if (typeof req.query.datetime === 'string') {
      const ms = Date.parse(req.query.datetime)
      if (!/^\d{4}-\d{2}-\d{2}T/.test(req.query.datetime) || !Number.isFinite(ms)) throw new ApiError('VALIDATION_FAILED', 'datetime: an instant such as 2026-11-27T08:00:00Z (the feature as it was then)', [{ path: 'query.datetime', message: 'an RFC 3339 instant' }])
      atMs = ms
    }
    const f = await getFeature(d.db, t, id, { full: full(who), outSrid: crs.srid, ...(atMs !== undefined ? { atMs } : {}) })
    if (!f) {
      const tomb = atMs === undefined ? await featureTombstone(d.db, t, id) : null
      throw new ApiError('FEATURE_NOT_FOUND', tomb ? `Feature ${id} of ${t.id} was deleted on ${new Date(tomb.deletedAtMs).toISOString()}; its history remains (GET /api/census/${t.id}/${id}/history)` : atMs !== undefined ? `Feature ${id} of ${t.id} did not exist at ${new Date(atMs).toISOString()}` : `${t.title.en} has no feature ${id}`)
    }
    const etag = etagOf(f.id, f.version)
    res.setHeader('ETag', etag)
    res.setHeader('Last-Modified', new Date(f.updatedAtMs).toUTCString())
    res.setHeader('Content-Crs', contentCrsHeader(crs))
    if (atMs === undefined && req.headers['if-none-match'] === etag) {
      res.status(304).end()
      return
    }
    const doc = featureJson(baseOf(req), f, crs)
    send(req, res, doc, () => html.renderItem(doc, { collectionId: t.id, collectionTitle: t.title[langOf(req)], assetType: t, etag, version: f.version, crs: crs.uri }, { lang: langOf(req), baseUrl: baseOf(req) }), 'application/geo+json')
  })

  const noteOf = (req: Request): string | null => {
    const h = req.headers['x-gemello-note']
    if (typeof h !== 'string' || h === '') return null
    try {
      return decodeURIComponent(h).slice(0, 2000)
    } catch {
      return h.slice(0, 2000)
    }
  }

  /** Runs a write; a refusal of the feature's content is audited (who tried what, and why) before it is answered. */
  const audited = async <T>(req: Request, res: Response, t: AssetType, id: number | null, action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (e) {
      if (e instanceof CensusError && ['INVALID_GEOMETRY', 'INVALID_FEATURE', 'PRECONDITION_FAILED', 'PRECONDITION_REQUIRED', 'FEATURE_IN_USE'].includes(e.code)) {
        await auditRefusedWrite(d.db, t.id, id, action, e, actorOf(res)).catch(() => undefined)
      }
      throw e
    }
  }

  const featureParts = (req: Request, b: Record<string, unknown>, requireFeature: boolean) => {
    if (requireFeature && b.type !== 'Feature') throw new ApiError('VALIDATION_FAILED', 'The body must be a GeoJSON Feature ("type": "Feature")', [{ path: 'body.type', message: 'Feature' }])
    const props = b.properties === undefined || b.properties === null ? {} : b.properties
    if (typeof props !== 'object' || Array.isArray(props)) throw new ApiError('VALIDATION_FAILED', 'properties must be an object', [{ path: 'body.properties', message: 'an object' }])
    const crs = contentCrsOf(req)
    const g = b.geometry as { type: string; coordinates?: unknown } | null | undefined
    return { props: props as Record<string, unknown>, crs, geometry: g ? { geometry: toCrsAxisOrder(g, crs), srid: crs.srid } : null }
  }

  const respondFeature = async (req: Request, res: Response, t: AssetType, id: number, crs: SupportedCrs, status: number) => {
    const f = (await getFeature(d.db, t, id, { full: true, outSrid: crs.srid }))!
    res.setHeader('ETag', etagOf(f.id, f.version))
    res.setHeader('Content-Crs', contentCrsHeader(crs))
    res.status(status).type('application/geo+json').send(JSON.stringify(featureJson(baseOf(req), f, crs)))
  }

  const expectation = (req: Request, id: number, props: Record<string, unknown> | undefined): Expectation => {
    const m = parseIfMatch(req.headers['if-match'] as string | undefined, id)
    if (m && 'any' in m) return { version: null, source: 'if-match-any' }
    if (m) return { version: m.versions[0]!, alternatives: m.versions.slice(1), source: 'if-match' }
    return expectationOf(null, props)
  }

  route(app, 'createItem', async (req, res) => {
    const t = typeOf(req)
    const parts = featureParts(req, parseFeatureBody(req), true)
    const r = await audited(req, res, t, null, 'create', () => createFeature(d.db, t, { properties: parts.props, geometry: parts.geometry }, actorOf(res), noteOf(req)))
    res.setHeader('Location', `${baseOf(req)}/collections/${t.id}/items/${r.id}`)
    await respondFeature(req, res, t, r.id, parts.crs, 201)
  }, [body])

  const change = (mode: 'replace' | 'update') => async (req: Request, res: Response) => {
    const t = typeOf(req)
    const id = featureIdOf(req, t)
    const b = parseFeatureBody(req)
    const parts = featureParts(req, b, mode === 'replace')
    if (b.id !== undefined && String(b.id) !== String(id)) throw new ApiError('VALIDATION_FAILED', `The body's id ${String(b.id).slice(0, 20)} is not the feature ${id} of the URL`, [{ path: 'body.id', message: `must be ${id}` }])
    const expect = expectation(req, id, parts.props)
    const r = await audited(req, res, t, id, mode, () => changeFeature(d.db, t, id, { properties: parts.props, geometry: parts.geometry }, mode, expect, actorOf(res), noteOf(req)))
    if (r.lastWriterWins) res.setHeader('X-Lost-Update-Risk', 'last-writer-wins: the change named no version (If-Match or properties._version); it is flagged in the audit and the conflict report')
    await respondFeature(req, res, t, id, parts.crs, 200)
  }
  route(app, 'replaceItem', change('replace'), [body])
  route(app, 'updateItem', change('update'), [body])

  route(app, 'deleteItem', async (req, res) => {
    const t = typeOf(req)
    const id = featureIdOf(req, t)
    const expect = expectation(req, id, undefined)
    const r = await audited(req, res, t, id, 'delete', () => deleteFeature(d.db, t, id, expect, actorOf(res), noteOf(req)))
    if (r.lastWriterWins) res.setHeader('X-Lost-Update-Risk', 'last-writer-wins: the delete named no version (If-Match); it is flagged in the audit')
    res.status(204).end()
  })

  route(app, 'notFound', async (req) => {
    throw new ApiError('NOT_FOUND', `Nothing at ${req.method} ${req.path.slice(0, 120)}: start at /ogc (landing page) or /ogc/api (the API definition)`)
  })

  const onError: ErrorRequestHandler = (err, _req, res, next) => {
    if ((err as { type?: string })?.type === 'entity.too.large') {
      res.status(413).json({ code: 'PAYLOAD_TOO_LARGE', description: `A feature is at most ${MAX_FEATURE_BYTES / 1024 / 1024} MiB`, error: { code: 'PAYLOAD_TOO_LARGE', message: `A feature is at most ${MAX_FEATURE_BYTES / 1024 / 1024} MiB; split it, or import large files through /api/census/<collection>/import` } })
      return
    }
    const e = toApiError(err)
    // The global handler adds the Basic challenge QGIS and GDAL answer with credentials.
    if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') return next(e)
    if (e instanceof ApiError && !res.headersSent) {
      // The OGC exception (code, description) beside Gemello's envelope.
      res.status(e.status).type('application/json').send(JSON.stringify({ code: e.code as ErrorCode, description: e.message, ...e.toEnvelope() }))
      return
    }
    next(err)
  }
  app.use('/ogc', onError)
}

export { CRS84 }
