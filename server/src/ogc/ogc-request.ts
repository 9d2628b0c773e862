/**
 * Reading an OGC API request (ADR 0008): the output format (`f`, else Accept), the items query
 * (limit, offset, bbox + bbox-crs, crs, datetime, filter + filter-lang + filter-crs, and queryables
 * as parameters) with a 400 naming every unknown or malformed parameter, If-Match (RFC 9110 strong
 * comparison), and request bodies (GeoJSON with a nesting limit and finite numbers only).
 */
import type { Request } from 'express'
import { ApiError } from '../http/api-error'
import { type AssetType, type PropertyValue } from '../../../contracts/schemas/census'
import { bboxToStoredOrder, CrsError, parseCrs, type SupportedCrs } from './crs'
import { Cql2Error, type Cql2Node } from './cql2/cql2-ast'
import { parseCql2Json } from './cql2/cql2-json'
import { parseCql2Text } from './cql2/cql2-text'
import type { Queryables } from './cql2/cql2-sql'

export type OutputFormat = 'json' | 'html'

/** `f=json|html` wins; otherwise a browser (text/html before any JSON in Accept) gets HTML. */
export function outputFormat(req: Request): OutputFormat {
  const f = req.query.f
  if (f !== undefined) {
    if (f === 'json' || f === 'geojson') return 'json'
    if (f === 'html') return 'html'
    throw new ApiError('VALIDATION_FAILED', `f=${String(f)} is not offered: use f=json or f=html`, [{ path: 'query.f', message: 'json or html' }])
  }
  const accept = String(req.headers.accept ?? '')
  const html = accept.indexOf('text/html')
  if (html < 0) return 'json'
  const json = accept.search(/application\/(geo\+)?json/)
  return json < 0 || html < json ? 'html' : 'json'
}

const single = (req: Request, name: string): string | undefined => {
  const v = req.query[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw new ApiError('VALIDATION_FAILED', `${name} is given more than once`, [{ path: `query.${name}`, message: 'give it once' }])
  return v
}

const bad = (name: string, message: string) => new ApiError('VALIDATION_FAILED', `${name}: ${message}`, [{ path: `query.${name}`, message }])

export const DEFAULT_LIMIT = 10
export const MAX_LIMIT = 10_000

export interface ItemsQuery {
  limit: number
  offset: number
  /** The next link's keyset cursor: the id after which the page starts (offset is then informative). */
  after?: number
  crs: SupportedCrs
  bbox?: { box: [number, number, number, number]; srid: number }
  at?: { startMs: number | null; endMs: number | null }
  filter?: Cql2Node
  /** Queryables given as parameters (Part 3 queryables-query-parameters): name = value. */
  equals: Array<{ name: string; value: string }>
}

const STANDARD = new Set(['f', 'limit', 'offset', 'after', 'bbox', 'bbox-crs', 'crs', 'datetime', 'filter', 'filter-lang', 'filter-crs'])

/** Parses the items query of a collection; every problem is a 400 that names the parameter. */
export function parseItemsQuery(req: Request, queryables: Queryables): ItemsQuery {
  for (const name of Object.keys(req.query)) {
    if (!STANDARD.has(name) && !Object.prototype.hasOwnProperty.call(queryables, name)) {
      throw bad(name, `unknown parameter; the parameters are ${[...STANDARD].join(', ')} and the queryables ${Object.keys(queryables).join(', ')}`)
    }
  }
  const limitText = single(req, 'limit')
  let limit = DEFAULT_LIMIT
  if (limitText !== undefined) {
    if (!/^\d{1,9}$/.test(limitText) || Number(limitText) < 1) throw bad('limit', 'a whole number from 1')
    limit = Math.min(Number(limitText), MAX_LIMIT)
  }
  const offsetText = single(req, 'offset')
  if (offsetText !== undefined && !/^\d{1,9}$/.test(offsetText)) throw bad('offset', 'a whole number from 0')
  const offset = offsetText === undefined ? 0 : Number(offsetText)
  let crs: SupportedCrs
  let bboxCrs: SupportedCrs
  try {
    crs = parseCrs(single(req, 'crs'), 'crs')
    bboxCrs = parseCrs(single(req, 'bbox-crs'), 'bbox-crs')
  } catch (e) {
    if (e instanceof CrsError) throw new ApiError('VALIDATION_FAILED', e.message, [{ path: 'query.crs', message: e.message }])
    throw e
  }
  const afterText = single(req, 'after')
  if (afterText !== undefined && !/^\d{1,15}$/.test(afterText)) throw bad('after', 'the id of the last feature of the previous page (from a next link)')
  const q: ItemsQuery = { limit, offset, crs, equals: [], ...(afterText !== undefined ? { after: Number(afterText) } : {}) }
  const bboxText = single(req, 'bbox')
  if (bboxText !== undefined) {
    const nums = bboxText.split(',').map((s) => (/^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(s) ? Number(s) : NaN))
    if (nums.some((n) => !Number.isFinite(n))) throw bad('bbox', 'four (or six) numbers separated by commas')
    try {
      q.bbox = { box: bboxToStoredOrder(nums, bboxCrs), srid: bboxCrs.srid }
    } catch (e) {
      if (e instanceof CrsError) throw bad('bbox', e.message)
      throw e
    }
  } else if (req.query['bbox-crs'] !== undefined) throw bad('bbox-crs', 'given without bbox')
  const dt = single(req, 'datetime')
  if (dt !== undefined) q.at = parseDatetime(dt)
  const filter = single(req, 'filter')
  const lang = single(req, 'filter-lang') ?? 'cql2-text'
  const filterCrs = single(req, 'filter-crs')
  if (filterCrs !== undefined) {
    let c: SupportedCrs
    try {
      c = parseCrs(filterCrs, 'crs')
    } catch {
      throw bad('filter-crs', 'only CRS84 (http://www.opengis.net/def/crs/OGC/1.3/CRS84) is supported for filter geometries')
    }
    if (c.srid !== 4326 || c.swapAxes) throw bad('filter-crs', 'only CRS84 (http://www.opengis.net/def/crs/OGC/1.3/CRS84) is supported for filter geometries')
  }
  if (filter !== undefined) {
    try {
      if (lang === 'cql2-text') q.filter = parseCql2Text(filter)
      else if (lang === 'cql2-json') {
        let json: unknown
        try {
          json = parseJsonLimited(filter, 64)
        } catch (e) {
          throw new Cql2Error(`filter is not JSON: ${(e as Error).message}`, 'syntax')
        }
        q.filter = parseCql2Json(json)
      } else throw bad('filter-lang', 'cql2-text or cql2-json')
    } catch (e) {
      if (e instanceof Cql2Error) throw new ApiError('VALIDATION_FAILED', `filter: ${e.message}`, [{ path: 'query.filter', message: e.message }])
      throw e
    }
  } else if (req.query['filter-lang'] !== undefined) throw bad('filter-lang', 'given without filter')
  for (const name of Object.keys(req.query)) {
    if (STANDARD.has(name)) continue
    const value = single(req, name)!
    if (queryables[name]!.type === 'geometry') throw bad(name, 'filter geometries with bbox or a CQL2 spatial function')
    q.equals.push({ name, value })
  }
  return q
}

/** RFC 3339 instant or interval (`a/b`, `../b`, `a/..`), as ms; a date alone is its whole day (UTC). */
export function parseDatetime(text: string): { startMs: number | null; endMs: number | null } {
  const one = (s: string, end: boolean): number | null => {
    if (s === '..' || s === '') return null
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
      const ms = Date.parse(`${s}T00:00:00Z`)
      if (Number.isFinite(ms)) return end ? ms + 86_400_000 - 1 : ms
    }
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s)) {
      const ms = Date.parse(s)
      if (Number.isFinite(ms)) return ms
    }
    throw bad('datetime', `"${s.slice(0, 40)}" is not an RFC 3339 date-time (e.g. 2026-11-27T08:00:00Z), a date, or ".."`)
  }
  const parts = text.split('/')
  if (parts.length === 1) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { startMs: one(text, false), endMs: one(text, true) }
    const t = one(text, false)
    if (t === null) throw bad('datetime', '".." alone is not an instant')
    return { startMs: t, endMs: t }
  }
  if (parts.length !== 2) throw bad('datetime', 'an instant or an interval start/end')
  const r = { startMs: one(parts[0]!, false), endMs: one(parts[1]!, true) }
  if (r.startMs !== null && r.endMs !== null && r.startMs > r.endMs) throw bad('datetime', 'the interval ends before it starts')
  return r
}

/** JSON.parse after checking the nesting depth (a 10,000-deep array is refused before parsing), finite numbers only. */
export function parseJsonLimited(text: string, maxDepth: number): unknown {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++
      else if (c === 34) inString = false
      continue
    }
    if (c === 34) inString = true
    else if (c === 91 || c === 123) {
      if (++depth > maxDepth) throw new Error(`nested deeper than ${maxDepth} levels`)
    } else if (c === 93 || c === 125) depth--
  }
  return JSON.parse(text, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('a number is out of range (e.g. 1e400)')
    return v
  })
}

export const MAX_FEATURE_BYTES = 8 * 1024 * 1024

/** A request body as a JSON object (GeoJSON Feature or a partial one for PATCH). */
export function parseFeatureBody(req: Request): Record<string, unknown> {
  const raw = req.body as Buffer | undefined
  if (!raw || !Buffer.isBuffer(raw) || raw.length === 0) throw new ApiError('VALIDATION_FAILED', 'The request has no body: send a GeoJSON Feature', [{ path: 'body', message: 'required' }])
  const type = String(req.headers['content-type'] ?? '')
  if (!/^application\/(geo\+json|json|merge-patch\+json)\b/i.test(type)) {
    throw new ApiError('VALIDATION_FAILED', `Content-Type ${type || '(none)'} is not accepted: send application/geo+json`, [{ path: 'header.content-type', message: 'application/geo+json' }])
  }
  let body: unknown
  try {
    body = parseJsonLimited(raw.toString('utf8'), 64)
  } catch (e) {
    throw new ApiError('VALIDATION_FAILED', `The body is not acceptable JSON: ${(e as Error).message}`, [{ path: 'body', message: (e as Error).message }])
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError('VALIDATION_FAILED', 'The body must be a GeoJSON Feature object', [{ path: 'body', message: 'a Feature' }])
  return body as Record<string, unknown>
}

/** The CRS of a request body: Content-Crs, CRS84 when absent. */
export function contentCrsOf(req: Request): SupportedCrs {
  try {
    return parseCrs(req.headers['content-crs'] as string | undefined, 'Content-Crs')
  } catch (e) {
    if (e instanceof CrsError) throw new ApiError('VALIDATION_FAILED', e.message, [{ path: 'header.content-crs', message: e.message }])
    throw e
  }
}

export const etagOf = (id: number, version: number) => `"${id}:v${version}"`

/**
 * If-Match (RFC 9110 §13.1.1, strong comparison): null when absent; `any` for `*`; else the versions
 * its strong tags name for this feature. A list with only weak tags or other features' tags matches
 * nothing: PRECONDITION_FAILED.
 */
export function parseIfMatch(header: string | undefined, id: number): { any: true } | { versions: number[] } | null {
  if (header === undefined) return null
  const text = header.trim()
  if (text === '*') return { any: true }
  const versions: number[] = []
  for (const tag of text.split(',').map((s) => s.trim())) {
    const m = /^"(\d+):v(\d+)"$/.exec(tag)
    if (m && Number(m[1]) === id) versions.push(Number(m[2]))
  }
  if (versions.length === 0) {
    const weak = /^W\//.test(text)
    throw new ApiError('PRECONDITION_FAILED', `If-Match ${text.slice(0, 60)} matches no version of feature ${id}${weak ? ': a weak ETag never matches for a change (strong comparison)' : ''}. GET the feature and send its ETag.`)
  }
  return { versions }
}

export type Properties = Record<string, PropertyValue>
export type { AssetType }
