/**
 * The HTML encoding of the census's OGC API – Features (conformance class `…/conf/html`, ADR 0008): pure
 * functions from the JSON a route already built to a page for a browser (`Accept: text/html` or `f=html`).
 * No map and no script — GIS staff draw maps in QGIS; an item links to the Gemello map instead. Every
 * interpolated value goes through the `html` template, which escapes it; every href goes through
 * `safeHref` (http, https or relative only). The stylesheet is `OGC_CSS`, carried inline (the CSP allows
 * inline styles, never inline scripts). Titles and attribute labels come from contracts/schemas/census.ts
 * in the reader's language; coordinates are shown as given (the route renders HTML from CRS84 features).
 */
import { assetType as findAssetType, VERSION_PROPERTY, type AssetType, type AttributeDef } from '../../../contracts/schemas/census'
import { CRS84, SUPPORTED_CRS } from './crs'
import { OGC_CSS } from './ogc-html.css'

export type HtmlLang = 'en' | 'it'
export interface HtmlContext {
  lang: HtmlLang
  /** The API's root, e.g. `http://host/ogc` (a trailing slash is ignored). */
  baseUrl: string
}
export interface OgcLink { href: string; rel: string; type?: string; title?: string; hreflang?: string; length?: number }
export interface LandingPageJson { title?: string; description?: string; links: readonly OgcLink[] }
export interface ConformanceJson { conformsTo: readonly string[]; links?: readonly OgcLink[] }
export interface ExtentJson {
  spatial?: { bbox?: readonly (readonly number[])[]; crs?: string }
  temporal?: { interval?: readonly (readonly (string | null)[])[]; trs?: string }
}
export interface CollectionJson {
  id: string
  title?: string
  description?: string
  links: readonly OgcLink[]
  extent?: ExtentJson
  itemType?: string
  crs?: readonly string[]
  storageCrs?: string
  /** Gemello's own member: the number of features, when known. */
  itemCount?: number
}
export interface CollectionsJson { links: readonly OgcLink[]; collections: readonly CollectionJson[] }
export interface QueryableJson { title?: string; description?: string; type?: string | readonly string[]; format?: string; enum?: readonly unknown[]; $ref?: string; minimum?: number; maximum?: number; maxLength?: number }
export interface QueryablesJson { title?: string; description?: string; properties: Readonly<Record<string, QueryableJson>>; links?: readonly OgcLink[] }
export interface GeometryJson { type: string; coordinates?: unknown; geometries?: readonly GeometryJson[] }
export interface FeatureJson { type: 'Feature'; id?: string | number; geometry: GeometryJson | null; properties: Readonly<Record<string, unknown>> | null; links?: readonly OgcLink[] }
export interface FeatureCollectionJson {
  type: 'FeatureCollection'
  features: readonly FeatureJson[]
  links?: readonly OgcLink[]
  numberMatched?: number
  numberReturned?: number
  timeStamp?: string
}
/** The collection a page belongs to; `assetType` (when a census collection) gives labels and code lists. */
export interface CollectionRef { collectionId: string; collectionTitle?: string; assetType?: AssetType }
export interface ItemsPage extends CollectionRef {
  /** The CRS URI of the coordinates, when not CRS84 (`crs=`). */
  crs?: string
  /** HTML pages before/after this one; by default the collection's `prev`/`next` links, with `f` set to html. */
  prev?: string
  next?: string
  /** The request's query (bbox, datetime, filter, limit, …): shown, kept in the form and the JSON link. */
  query?: Readonly<Record<string, string | number | undefined>>
}
export interface ItemPage extends CollectionRef {
  /** The CRS URI of the coordinates, when not CRS84 (`crs=`). */
  crs?: string
  /** The feature's version; by default `properties._version`. */
  version?: number
  etag?: string
}

// ---- Safe HTML -------------------------------------------------------------------------------------

class Html {
  constructor(readonly text: string) {}
}
type Part = Html | string | number | null | undefined | readonly Part[]

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!)

const render = (p: Part): string =>
  p instanceof Html ? p.text : Array.isArray(p) ? p.map(render).join('') : p === null || p === undefined ? '' : escapeHtml(String(p))

/** A template whose every interpolation is escaped, except `Html` built by this same template. */
function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!))
  return new Html(out)
}

/**
 * The href if it is http(s) or relative, else null. Browsers drop tabs, newlines and control characters
 * inside a URL, so `java\tscript:` is judged as `javascript:`; any other scheme (data:, vbscript:, …) is refused.
 */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null
  const trimmed = href.trim()
  const scheme = /^([^/?#\\]*):/.exec(trimmed.replace(/[\u0000-\u0020\u007f]/g, ''))
  return scheme && !/^https?$/i.test(scheme[1]!) ? null : trimmed
}

/** An anchor, or the text alone when the href is refused. */
function anchor(href: unknown, text: Part, at: { rel?: string; type?: string; title?: string; hreflang?: string } = {}): Html {
  const safe = safeHref(href)
  if (safe === null) return html`<span class="refused">${text}</span>`
  const attr = (name: string, v: string | undefined) => (v ? html` ${name}="${v}"` : null)
  return html`<a href="${safe}"${attr('rel', at.rel)}${attr('type', at.type)}${attr('hreflang', at.hreflang)}${attr('title', at.title)}>${text}</a>`
}

// ---- Words -----------------------------------------------------------------------------------------

const WORDS = {
  en: {
    home: 'Home', collections: 'Collections', items: 'Items', queryables: 'Queryables', conformance: 'Conformance',
    skip: 'Skip to content', breadcrumb: 'Breadcrumb', links: 'Links', asJson: 'This page as JSON', asGeoJson: 'This page as GeoJSON',
    title: 'Title', description: 'Description', count: 'Features', extent: 'Extent', spatial: 'Spatial extent', temporal: 'Temporal extent',
    id: 'Identifier', itemType: 'Item type', crs: 'Reference systems', storageCrs: 'Storage CRS', browse: 'Browse the features',
    name: 'Name', field: 'Field', type: 'Type', values: 'Values', range: 'Range', attribute: 'Attribute', value: 'Value', geometry: 'Geometry',
    coordinates: 'Coordinates', version: 'Version', etag: 'ETag', onMap: 'View on the Gemello map',
    yes: 'Yes', no: 'No', none: 'No features match this query.', noGeometry: 'no geometry', prev: '← Previous page', next: 'Next page →',
    pages: 'Pages', query: 'Query', apply: 'Apply', generated: 'Generated', classes: 'Conformance classes',
    limitHint: 'Features per page', bboxHint: 'bbox (lon,lat,lon,lat)', filterHint: 'filter (CQL2 text)', datetimeHint: 'datetime',
    shown: (n: number, of?: number) => (of === undefined ? `${n} features` : `${n} of ${of} features`),
    vertices: (n: number) => `${n} vertices`, truncated: (n: number) => `… ${n} more positions: see the JSON`,
  },
  it: {
    home: 'Inizio', collections: 'Collezioni', items: 'Elementi', queryables: 'Interrogabili', conformance: 'Conformità',
    skip: 'Vai al contenuto', breadcrumb: 'Percorso', links: 'Collegamenti', asJson: 'Questa pagina in JSON', asGeoJson: 'Questa pagina in GeoJSON',
    title: 'Titolo', description: 'Descrizione', count: 'Elementi', extent: 'Estensione', spatial: 'Estensione spaziale', temporal: 'Estensione temporale',
    id: 'Identificativo', itemType: 'Tipo di elemento', crs: 'Sistemi di riferimento', storageCrs: 'Sistema di archiviazione', browse: 'Sfoglia gli elementi',
    name: 'Nome', field: 'Campo', type: 'Tipo', values: 'Valori', range: 'Intervallo', attribute: 'Attributo', value: 'Valore', geometry: 'Geometria',
    coordinates: 'Coordinate', version: 'Versione', etag: 'ETag', onMap: 'Vedi sulla mappa di Gemello',
    yes: 'Sì', no: 'No', none: 'Nessun elemento corrisponde alla richiesta.', noGeometry: 'nessuna geometria', prev: '← Pagina precedente', next: 'Pagina successiva →',
    pages: 'Pagine', query: 'Richiesta', apply: 'Applica', generated: 'Generato', classes: 'Classi di conformità',
    limitHint: 'Elementi per pagina', bboxHint: 'bbox (lon,lat,lon,lat)', filterHint: 'filtro (CQL2 testo)', datetimeHint: 'datetime',
    shown: (n: number, of?: number) => (of === undefined ? `${n} elementi` : `${n} elementi su ${of}`),
    vertices: (n: number) => `${n} vertici`, truncated: (n: number) => `… altre ${n} posizioni: vedi il JSON`,
  },
} as const
type Words = (typeof WORDS)[HtmlLang]

export const ATTRIBUTION = 'Fonte: Comune di Bologna – opendata.comune.bologna.it, CC BY 4.0; © OpenStreetMap contributors, ODbL'
const BRAND = 'Gemello · OGC API – Features'

// ---- URLs and page shell ---------------------------------------------------------------------------

const seg = (s: string | number) => encodeURIComponent(String(s))
function urls(ctx: HtmlContext) {
  const b = ctx.baseUrl.replace(/\/+$/, '')
  const collection = (c: string) => `${b}/collections/${seg(c)}`
  return {
    landing: `${b}/`,
    conformance: `${b}/conformance`,
    collections: `${b}/collections`,
    collection,
    queryables: (c: string) => `${collection(c)}/queryables`,
    items: (c: string) => `${collection(c)}/items`,
    item: (c: string, id: string | number) => `${collection(c)}/items/${seg(id)}`,
    /** The Gemello map, at the site's root (the API is mounted at `<root>/ogc`). */
    map: (c: string, id: string | number) => `${b.endsWith('/ogc') ? b.slice(0, -4) : ''}/?census=${seg(c)}/${seg(id)}`,
  }
}
const withQuery = (href: string, q: Readonly<Record<string, string | number | undefined>>) => {
  const s = new URLSearchParams(Object.entries(q).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [[k, String(v)]]))).toString()
  return s ? `${href}?${s}` : href
}

type Crumb = readonly [label: string, href: string]
interface Shell { title: string; crumbs: readonly Crumb[]; json: { href: string; type: string; label: string }; body: Html }

function page(ctx: HtmlContext, p: Shell): string {
  const w = WORDS[ctx.lang]
  const last = p.crumbs.length - 1
  const crumbs = p.crumbs.map(([label, href], i) => (i === last ? html`<li aria-current="page">${label}</li>` : html`<li>${anchor(href, label)}</li>`))
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${p.title} · ${BRAND}</title>
<link rel="alternate" type="${p.json.type}" href="${safeHref(p.json.href) ?? ''}">
<style>${new Html(OGC_CSS)}</style>
</head>
<body>
<a class="skip" href="#main">${w.skip}</a>
<header>
<p class="brand">${anchor(urls(ctx).landing, BRAND)}</p>
<nav class="crumbs" aria-label="${w.breadcrumb}"><ol>${crumbs}</ol></nav>
</header>
<main id="main">
<h1>${p.title}</h1>
<p class="formats">${anchor(p.json.href, p.json.label, { rel: 'alternate', type: p.json.type })}</p>
${p.body}
</main>
<footer>
<p>${ATTRIBUTION}</p>
</footer>
</body>
</html>
`.text
}

const jsonOf = (href: string, w: Words) => ({ href: withQuery(href, { f: 'json' }), type: 'application/json', label: w.asJson })

function linkList(links: readonly OgcLink[] | undefined, w: Words): Html | null {
  if (!links?.length) return null
  const items = links.map((l) => html`<li>${anchor(l.href, l.title || l.href, l)}<span class="rel">${l.rel}</span>${l.type ? html`<span class="kind">${l.type}</span>` : null}</li>`)
  return html`<h2>${w.links}</h2><ul class="links">${items}</ul>`
}

const table = (head: readonly string[], rows: readonly Html[]) =>
  html`<div class="table"><table><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`

const facts = (pairs: ReadonlyArray<readonly [string, Part] | null>) =>
  html`<dl class="facts">${pairs.map((p) => (p ? html`<dt>${p[0]}</dt><dd>${p[1]}</dd>` : null))}</dl>`

// ---- Values ----------------------------------------------------------------------------------------

const crsName = (uri: string) => SUPPORTED_CRS.find((c) => c.uri === uri)?.label
const crsLabel = (uri: string | undefined) => (uri ? (crsName(uri) ?? uri) : crsName(CRS84)!)
/** A JSON page's link made the HTML page's: its `f` parameter, if any, set to html. */
const htmlPage = (href: string) => href.replace(/([?&])f=[^&#]*/, '$1f=html')

const DASH = html`<span class="muted">—</span>`
const typeOf = (ref: CollectionRef) => ref.assetType ?? findAssetType(ref.collectionId)
const titleOf = (ref: CollectionRef, lang: HtmlLang) => typeOf(ref)?.title[lang] ?? ref.collectionTitle ?? ref.collectionId
const collectionTitle = (c: CollectionJson, lang: HtmlLang) => findAssetType(c.id)?.title[lang] ?? c.title ?? c.id
const collectionDescription = (c: CollectionJson, lang: HtmlLang) => findAssetType(c.id)?.description[lang] ?? c.description

/** An attribute value as a reader reads it: code-list labels, yes/no, units, links to related features. */
function valueHtml(a: AttributeDef | undefined, v: unknown, ctx: HtmlContext): Html {
  const w = WORDS[ctx.lang]
  if (v === null || v === undefined || v === '') return DASH
  if (a?.kind === 'code') {
    const label = a.codes?.find((c) => c.code === v)?.label[ctx.lang]
    return label ? html`<span title="${String(v)}">${label}</span>` : html`${String(v)}`
  }
  if (typeof v === 'boolean') return html`${v ? w.yes : w.no}`
  if (typeof v === 'number') {
    const n = a?.kind === 'ref' ? String(v) : new Intl.NumberFormat(ctx.lang === 'it' ? 'it-IT' : 'en-GB', { useGrouping: false, maximumFractionDigits: 10 }).format(v)
    const target = a?.ref?.kind === 'feature' && a.ref.collections.length === 1 ? a.ref.collections[0] : undefined
    if (target) return anchor(urls(ctx).item(target, v), `${titleOf({ collectionId: target }, ctx.lang)} ${n}`)
    return html`${n}${a?.unit ? ` ${a.unit}` : ''}`
  }
  return html`${typeof v === 'string' ? v : JSON.stringify(v)}`
}

/** Columns of a feature table: the type's attributes the features carry (public readers get fewer), then any others. */
function columns(type: AssetType | undefined, props: readonly (Readonly<Record<string, unknown>> | null)[]): { name: string; def?: AttributeDef }[] {
  const present = new Set(props.flatMap((p) => Object.keys(p ?? {})))
  present.delete(VERSION_PROPERTY)
  const known = (type?.attributes ?? []).filter((a) => present.has(a.name))
  const rest = [...present].filter((n) => !known.some((a) => a.name === n))
  return [...known.map((def) => ({ name: def.name, def })), ...rest.map((name) => ({ name }))]
}

// ---- Geometry --------------------------------------------------------------------------------------

const isPosition = (c: unknown): c is number[] => Array.isArray(c) && c.length > 0 && typeof c[0] === 'number'
const countPositions = (c: unknown): number => (isPosition(c) ? 1 : Array.isArray(c) ? c.reduce((n: number, x) => n + countPositions(x), 0) : 0)
const geometryPositions = (g: GeometryJson): number => (g.geometries ? g.geometries.reduce((n, x) => n + geometryPositions(x), 0) : countPositions(g.coordinates))

/** `POINT (11.34 44.49)`; `LINESTRING, 12 vertices` for the rest. */
export function geometrySummary(g: GeometryJson | null, lang: HtmlLang): string {
  const w = WORDS[lang]
  if (!g) return w.noGeometry
  if (g.type === 'Point' && isPosition(g.coordinates)) return `POINT (${g.coordinates.join(' ')})`
  return `${g.type.toUpperCase()}, ${w.vertices(geometryPositions(g))}`
}

/** The geometry as WKT, cut after `max` positions. */
export function geometryWkt(g: GeometryJson, max = 500): { wkt: string; omitted: number } {
  let left = max
  let omitted = 0
  const text = (c: unknown): string => {
    if (isPosition(c)) return left-- > 0 ? c.join(' ') : (omitted++, '')
    const parts = Array.isArray(c) ? c.map(text).filter((s) => s !== '') : []
    return parts.length ? `(${parts.join(', ')})` : ''
  }
  const one = (x: GeometryJson): string =>
    x.geometries ? `GEOMETRYCOLLECTION (${x.geometries.map(one).join(', ')})` : `${x.type.toUpperCase()} ${x.type === 'Point' ? `(${text(x.coordinates)})` : text(x.coordinates) || 'EMPTY'}`
  const wkt = one(g)
  return { wkt: omitted ? `${wkt} …` : wkt, omitted }
}

// ---- Pages -----------------------------------------------------------------------------------------

export function renderLanding(landing: LandingPageJson, ctx: HtmlContext): string {
  const w = WORDS[ctx.lang]
  const u = urls(ctx)
  const body = html`${landing.description ? html`<p class="lead">${landing.description}</p>` : null}
${linkList(landing.links, w)}`
  return page(ctx, { title: landing.title || BRAND, crumbs: [[w.home, u.landing]], json: jsonOf(u.landing, w), body })
}

export function renderConformance(conf: ConformanceJson, ctx: HtmlContext): string {
  const w = WORDS[ctx.lang]
  const u = urls(ctx)
  const body = html`<h2>${w.classes}</h2><ul class="links">${conf.conformsTo.map((c) => html`<li>${anchor(c, c)}</li>`)}</ul>${linkList(conf.links, w)}`
  return page(ctx, { title: w.conformance, crumbs: [[w.home, u.landing], [w.conformance, u.conformance]], json: jsonOf(u.conformance, w), body })
}

const num = (n: number) => String(Math.round(n * 1e6) / 1e6)
function extentHtml(e: ExtentJson | undefined): { spatial: Html | null; temporal: Html | null } {
  const boxes = e?.spatial?.bbox ?? []
  const spatial = boxes.length ? html`${boxes.map((b, i) => { const h = b.length / 2; return html`${i ? '; ' : ''}${b.slice(0, h).map(num).join(', ')} – ${b.slice(h).map(num).join(', ')}` })}` : null
  const intervals = e?.temporal?.interval ?? []
  const temporal = intervals.length ? html`${intervals.map((t, i) => html`${i ? '; ' : ''}${t[0] ?? '…'} – ${t[1] ?? '…'}`)}` : null
  return { spatial, temporal }
}

export function renderCollections(json: CollectionsJson, ctx: HtmlContext): string {
  const w = WORDS[ctx.lang]
  const u = urls(ctx)
  const counted = json.collections.some((c) => c.itemCount !== undefined)
  const rows = json.collections.map((c) => {
    const ext = extentHtml(c.extent)
    const links = c.links.map((l) => html` ${anchor(l.href, l.rel, l)}`)
    return html`<tr><td>${anchor(u.collection(c.id), collectionTitle(c, ctx.lang))}</td><td>${collectionDescription(c, ctx.lang) ?? DASH}</td>${counted ? html`<td class="num">${c.itemCount ?? DASH}</td>` : null}<td>${ext.spatial ?? DASH}</td><td class="rel">${links}</td></tr>`
  })
  const head = [w.title, w.description, ...(counted ? [w.count] : []), `${w.extent} (CRS84)`, w.links]
  const body = html`${table(head, rows)}${linkList(json.links, w)}`
  return page(ctx, { title: w.collections, crumbs: [[w.home, u.landing], [w.collections, u.collections]], json: jsonOf(u.collections, w), body })
}


export function renderCollection(c: CollectionJson, ctx: HtmlContext): string {
  const w = WORDS[ctx.lang]
  const u = urls(ctx)
  const title = collectionTitle(c, ctx.lang)
  const ext = extentHtml(c.extent)
  const description = collectionDescription(c, ctx.lang)
  const body = html`${description ? html`<p class="lead">${description}</p>` : null}
<p>${anchor(u.items(c.id), w.browse, { rel: 'items' })} · ${anchor(u.queryables(c.id), w.queryables, { rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables' })}</p>
${facts([
  [w.id, html`<code>${c.id}</code>`],
  c.itemType ? [w.itemType, c.itemType] : null,
  c.itemCount !== undefined ? [w.count, c.itemCount] : null,
  ext.spatial ? [w.spatial, html`${ext.spatial} (${crsName(c.extent?.spatial?.crs ?? '') ?? c.extent?.spatial?.crs ?? 'CRS84'})`] : null,
  ext.temporal ? [w.temporal, ext.temporal] : null,
  c.storageCrs ? [w.storageCrs, crsName(c.storageCrs) ?? c.storageCrs] : null,
])}
${c.crs?.length ? html`<h2>${w.crs}</h2><ul class="links">${c.crs.map((uri) => html`<li>${anchor(uri, uri)}${crsName(uri) ? html`<span class="kind">${crsName(uri)}</span>` : null}</li>`)}</ul>` : null}
${linkList(c.links, w)}`
  return page(ctx, { title, crumbs: [[w.home, u.landing], [w.collections, u.collections], [title, u.collection(c.id)]], json: jsonOf(u.collection(c.id), w), body })
}

export function renderQueryables(q: QueryablesJson, ref: CollectionRef, ctx: HtmlContext): string {
  const w = WORDS[ctx.lang]
  const u = urls(ctx)
  const type = typeOf(ref)
  const title = titleOf(ref, ctx.lang)
  const rows = Object.entries(q.properties).map(([name, p]) => {
    const def = type?.attributes.find((a) => a.name === name)
    const kind = [Array.isArray(p.type) ? p.type.join(' | ') : p.type, p.format].filter(Boolean).join(' · ')
    const values = p.enum?.map((v, i) => html`${i ? ', ' : ''}<code>${String(v)}</code>${def?.codes?.find((c) => c.code === v) ? html` (${def.codes.find((c) => c.code === v)!.label[ctx.lang]})` : null}`)
    const range = p.minimum !== undefined || p.maximum !== undefined ? `${p.minimum ?? '…'} – ${p.maximum ?? '…'}${def?.unit ? ` ${def.unit}` : ''}` : p.maxLength !== undefined ? `≤ ${p.maxLength}` : null
    return html`<tr><td><code>${name}</code></td><td>${def?.label[ctx.lang] ?? p.title ?? DASH}</td><td>${kind || (p.$ref ? anchor(p.$ref, p.$ref) : DASH)}</td><td>${values?.length ? values : range ?? DASH}</td><td>${p.description ?? DASH}</td></tr>`
  })
  const body = html`${q.description ? html`<p class="lead">${q.description}</p>` : null}${table([w.name, w.title, w.type, `${w.values} / ${w.range}`, w.description], rows)}${linkList(q.links, w)}`
  const crumbs: Crumb[] = [[w.home, u.landing], [w.collections, u.collections], [title, u.collection(ref.collectionId)], [w.queryables, u.queryables(ref.collectionId)]]
  return page(ctx, { title: `${w.queryables} · ${title}`, crumbs, json: { href: withQuery(u.queryables(ref.collectionId), { f: 'json' }), type: 'application/schema+json', label: w.asJson }, body })
}

function queryForm(action: string, query: Readonly<Record<string, string | number | undefined>>, w: Words): Html {
  const field = (name: string, label: string, type = 'text') => html`<label>${label}<input type="${type}" name="${name}" value="${query[name] ?? ''}"></label>`
  return html`<form class="query" method="get" action="${safeHref(action) ?? ''}">${field('bbox', w.bboxHint)}${field('datetime', w.datetimeHint)}${field('filter', w.filterHint)}${field('limit', w.limitHint, 'number')}<input type="hidden" name="f" value="html"><button type="submit">${w.apply}</button></form>`
}

export function renderItems(fc: FeatureCollectionJson, p: ItemsPage, ctx: HtmlContext): string {
  const w = WORDS[ctx.lang]
  const u = urls(ctx)
  const id = p.collectionId
  const title = titleOf(p, ctx.lang)
  const query = Object.fromEntries(Object.entries(p.query ?? {}).filter(([k, v]) => k !== 'f' && v !== undefined && v !== ''))
  const cols = columns(typeOf(p), fc.features.map((f) => f.properties))
  const rows = fc.features.map((f) => {
    const cells = cols.map((c) => html`<td>${valueHtml(c.def, f.properties?.[c.name], ctx)}</td>`)
    const fid = f.id === undefined ? DASH : anchor(u.item(id, f.id), String(f.id))
    return html`<tr><td>${fid}</td>${cells}<td>${geometrySummary(f.geometry, ctx.lang)}</td></tr>`
  })
  const head = [w.id, ...cols.map((c) => c.def?.label[ctx.lang] ?? c.name), p.crs && p.crs !== CRS84 ? `${w.geometry} (${crsLabel(p.crs)})` : w.geometry]
  const rel = (r: string) => fc.links?.find((l) => l.rel === r && l.type === 'text/html')?.href ?? fc.links?.filter((l) => l.rel === r).map((l) => htmlPage(l.href))[0]
  const prev = p.prev ?? rel('prev')
  const next = p.next ?? rel('next')
  const pager = prev || next ? html`<nav class="pager" aria-label="${w.pages}">${prev ? anchor(prev, w.prev, { rel: 'prev' }) : null}${next ? anchor(next, w.next, { rel: 'next' }) : null}</nav>` : null
  const returned = fc.numberReturned ?? fc.features.length
  const body = html`${queryForm(u.items(id), query, w)}
${Object.keys(query).length ? html`<h2>${w.query}</h2>${facts(Object.entries(query).map(([k, v]) => [k, html`<code>${String(v)}</code>`] as const))}` : null}
<p>${w.shown(returned, fc.numberMatched)}${fc.timeStamp ? html` · ${w.generated} ${fc.timeStamp}` : null}</p>
${pager}
${fc.features.length ? table(head, rows) : html`<p>${w.none}</p>`}
${pager}
${linkList(fc.links, w)}`
  const crumbs: Crumb[] = [[w.home, u.landing], [w.collections, u.collections], [title, u.collection(id)], [w.items, u.items(id)]]
  const json = { href: withQuery(u.items(id), { ...query, f: 'json' }), type: 'application/geo+json', label: w.asGeoJson }
  return page(ctx, { title: `${w.items} · ${title}`, crumbs, json, body })
}

export function renderItem(f: FeatureJson, p: ItemPage, ctx: HtmlContext): string {
  const w = WORDS[ctx.lang]
  const u = urls(ctx)
  const cid = p.collectionId
  const fid = f.id ?? ''
  const title = titleOf(p, ctx.lang)
  const props = f.properties ?? {}
  const version = p.version ?? (typeof props[VERSION_PROPERTY] === 'number' ? (props[VERSION_PROPERTY] as number) : undefined)
  const rows = columns(typeOf(p), [props]).map((c) => html`<tr><th scope="row">${c.def?.label[ctx.lang] ?? c.name}</th><td><code>${c.name}</code></td><td>${valueHtml(c.def, props[c.name], ctx)}</td></tr>`)
  const geometry = f.geometry ? geometryWkt(f.geometry) : null
  const summary = geometrySummary(f.geometry, ctx.lang)
  const name = typeof props.name === 'string' && props.name ? props.name : `${title} ${fid}`
  const body = html`<p>${anchor(u.map(cid, fid), w.onMap)}</p>
${facts([[w.id, html`<code>${String(fid)}</code>`], version !== undefined ? [w.version, version] : null, p.etag ? [w.etag, html`<code>${p.etag}</code>`] : null])}
${table([w.attribute, w.field, w.value], rows)}
<h2>${w.geometry}</h2>
${geometry?.wkt === summary ? null : html`<p>${summary}</p>`}
${geometry ? html`<p class="muted">${w.coordinates} · ${crsLabel(p.crs)}</p><pre>${geometry.wkt}</pre>${geometry.omitted ? html`<p class="muted">${w.truncated(geometry.omitted)}</p>` : null}` : null}
${linkList(f.links, w)}`
  const crumbs: Crumb[] = [[w.home, u.landing], [w.collections, u.collections], [title, u.collection(cid)], [w.items, u.items(cid)], [String(fid), u.item(cid, fid)]]
  return page(ctx, { title: name, crumbs, json: { href: withQuery(u.item(cid, fid), { f: 'json' }), type: 'application/geo+json', label: w.asGeoJson }, body })
}
