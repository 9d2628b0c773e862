import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assetType, type AssetType } from '../../../contracts/schemas/census'
import {
  ATTRIBUTION,
  geometrySummary,
  geometryWkt,
  renderCollection,
  renderCollections,
  renderConformance,
  renderItem,
  renderItems,
  renderLanding,
  renderQueryables,
  safeHref,
  type CollectionJson,
  type FeatureCollectionJson,
  type FeatureJson,
  type HtmlContext,
} from './ogc-html'

// ---- A tiny HTML reader: balanced tags, quoted attributes, no raw < > or bare & in text --------------

const VOID = new Set(['meta', 'link', 'input', 'br', 'hr', 'img', 'col', 'wbr'])
const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*>/y
const ATTR = /\s+([a-z-]+)="([^"<>]*)"/g
const BARE_AMP = /&(?!(?:amp|lt|gt|quot|#39);)/
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!)

interface Element { tag: string; attrs: Record<string, string>; text: string }
interface Parsed { errors: string[]; elements: Element[]; text: string }

function parse(doc: string): Parsed {
  const errors: string[] = []
  const elements: Element[] = []
  const open: Element[] = []
  let text = ''
  // Every tag boundary counts as a space (a <td> or <dt> separates words on screen): texts are compared normalised.
  const addText = (t: string) => {
    if (/[<>]/.test(t)) errors.push(`raw < or > in text: ${t.slice(0, 40)}`)
    if (BARE_AMP.test(t)) errors.push(`bare & in text: ${t.slice(0, 40)}`)
    const d = `${decode(t)} `
    text += d
    for (const e of open) e.text += d
  }
  if (!doc.startsWith('<!doctype html>\n')) errors.push('no doctype')
  let i = '<!doctype html>'.length
  while (i < doc.length) {
    const lt = doc.indexOf('<', i)
    addText(doc.slice(i, lt === -1 ? doc.length : lt))
    if (lt === -1) break
    TAG.lastIndex = lt
    const m = TAG.exec(doc)
    if (!m) {
      errors.push(`not a tag at ${lt}: ${doc.slice(lt, lt + 40)}`)
      i = lt + 1
      continue
    }
    i = TAG.lastIndex
    const [, close, tag] = m as unknown as [string, string, string, string]
    if (close) {
      const top = open.pop()
      if (top?.tag !== tag) errors.push(`</${tag}> closes <${top?.tag}>`)
      continue
    }
    const attrs: Record<string, string> = {}
    for (const a of m[3]!.matchAll(ATTR)) {
      if (BARE_AMP.test(a[2]!)) errors.push(`bare & in ${a[1]}="${a[2]}"`)
      if (a[1]! in attrs) errors.push(`duplicate attribute ${a[1]}`)
      attrs[a[1]!] = decode(a[2]!)
    }
    const el: Element = { tag, attrs, text: '' }
    elements.push(el)
    if (tag === 'style') {
      const end = doc.indexOf('</style>', i)
      i = end + '</style>'.length
    } else if (!VOID.has(tag)) open.push(el)
  }
  if (open.length) errors.push(`unclosed: ${open.map((e) => e.tag).join(', ')}`)
  const normal = (s: string) => s.replace(/\s+/g, ' ').trim()
  for (const e of elements) e.text = normal(e.text)
  return { errors, elements, text: normal(text) }
}

/** Parses, fails on malformed HTML or anything a strict CSP would block, and returns the document. */
function wellFormed(doc: string): Parsed {
  const p = parse(doc)
  expect(p.errors).toEqual([])
  expect(p.elements.some((e) => e.tag === 'script' || 'style' in e.attrs || Object.keys(e.attrs).some((a) => a.startsWith('on')))).toBe(false)
  expect(p.elements.filter((e) => e.tag === 'title')).toHaveLength(1)
  expect(p.elements.filter((e) => e.tag === 'h1')).toHaveLength(1)
  return p
}
const anchors = (p: Parsed) => p.elements.filter((e) => e.tag === 'a')
const anchor = (p: Parsed, text: string) => anchors(p).find((a) => a.text.trim() === text)
const lang = (p: Parsed) => p.elements.find((e) => e.tag === 'html')?.attrs.lang

// ---- Fixtures --------------------------------------------------------------------------------------

const BASE = 'http://gemello.test/ogc'
const en: HtmlContext = { lang: 'en', baseUrl: BASE }
const it_: HtmlContext = { lang: 'it', baseUrl: `${BASE}/` }
const lights = assetType('street-lights')!
const ducts = assetType('ducts')!

const link = (rel: string, href: string, title?: string, type = 'application/json') => ({ rel, href, type, ...(title ? { title } : {}) })

function collection(over: Partial<CollectionJson> = {}): CollectionJson {
  return {
    id: 'street-lights',
    title: 'Street lights',
    description: 'Luminaires of the public lighting network.',
    links: [link('self', `${BASE}/collections/street-lights`, 'This collection'), link('items', `${BASE}/collections/street-lights/items`, 'Features', 'application/geo+json')],
    extent: { spatial: { bbox: [[11.2295, 44.4214, 11.4334, 44.5561]], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84' }, temporal: { interval: [['2024-03-01T00:00:00Z', null]] } },
    itemType: 'feature',
    crs: ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'http://www.opengis.net/def/crs/EPSG/0/7791'],
    storageCrs: 'http://www.opengis.net/def/crs/EPSG/0/7791',
    itemCount: 1234,
    ...over,
  }
}

function light(id: number, over: Record<string, unknown> = {}): FeatureJson {
  return {
    type: 'Feature',
    id,
    geometry: { type: 'Point', coordinates: [11.3426, 44.4949] },
    properties: { name: `Light ${id}`, status: 'functional', externalId: null, installedOn: '2021-06-30', owner: 'Comune', lampType: 'HPS', powerW: 70.5, colorTemperatureK: 3000, dimmable: true, poleId: 17, cabinetId: null, circuit: 'C2', _version: 3, ...over },
    links: [link('self', `${BASE}/collections/street-lights/items/${id}`, 'This feature', 'application/geo+json')],
  }
}

function page(features: FeatureJson[], over: Partial<FeatureCollectionJson> = {}): FeatureCollectionJson {
  return { type: 'FeatureCollection', features, numberMatched: 127, numberReturned: features.length, timeStamp: '2025-05-04T10:00:00Z', links: [], ...over }
}

const items = (fcol: FeatureCollectionJson, ctx = en, type: AssetType = lights, extra = {}) => renderItems(fcol, { collectionId: type.id, collectionTitle: type.title.en, assetType: type, ...extra }, ctx)

// ---- Pages -----------------------------------------------------------------------------------------

describe('every page', () => {
  it('has the header, breadcrumbs, the JSON alternate and the attribution', () => {
    const p = wellFormed(renderConformance({ conformsTo: ['http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core'] }, en))
    expect(lang(p)).toBe('en')
    expect(p.text).toContain('Gemello · OGC API – Features')
    expect(p.text).toContain(ATTRIBUTION)
    expect(p.elements.find((e) => e.tag === 'nav')?.text).toBe('Home Conformance')
    expect(anchor(p, 'This page as JSON')?.attrs).toMatchObject({ href: `${BASE}/conformance?f=json`, rel: 'alternate', type: 'application/json' })
    expect(p.elements.find((e) => e.tag === 'link' && e.attrs.rel === 'alternate')?.attrs.href).toBe(`${BASE}/conformance?f=json`)
    expect(p.elements.find((e) => e.tag === 'li' && e.attrs['aria-current'] === 'page')?.text).toBe('Conformance')
  })
})

describe('renderLanding', () => {
  it('shows the title, the description and every link with its rel and title', () => {
    const landing = {
      title: 'Gemello census',
      description: 'Infrastructure census of Bologna.',
      links: [link('self', `${BASE}/`, 'This document'), link('service-desc', `${BASE}/api`, 'The API definition', 'application/vnd.oai.openapi+json;version=3.0'), link('conformance', `${BASE}/conformance`, 'Conformance'), link('data', `${BASE}/collections`, 'Collections')],
    }
    const p = wellFormed(renderLanding(landing, en))
    expect(p.elements.find((e) => e.tag === 'h1')?.text).toBe('Gemello census')
    expect(p.text).toContain('Infrastructure census of Bologna.')
    for (const l of landing.links) expect(anchors(p).find((a) => a.attrs.href === l.href && a.attrs.rel === l.rel)?.attrs.title).toBe(l.title)
    expect(anchor(p, 'This page as JSON')?.attrs.href).toBe(`${BASE}/?f=json`)
  })
})

describe('renderConformance', () => {
  it('links every conformance class', () => {
    const conformsTo = ['core', 'geojson', 'html', 'oas30'].map((c) => `http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/${c}`)
    const p = wellFormed(renderConformance({ conformsTo }, it_))
    for (const c of conformsTo) expect(anchor(p, c)?.attrs.href).toBe(c)
    expect(p.text).toContain('Classi di conformità')
  })
})

describe('renderCollections', () => {
  it('tabulates title, description, item count and extent, and every link', () => {
    const json = { links: [link('self', `${BASE}/collections`, 'Collections')], collections: [collection(), collection({ id: 'ducts', title: 'Ducts', itemCount: undefined, extent: undefined, links: [] })] }
    const p = wellFormed(renderCollections(json, en))
    expect(anchor(p, 'Street lights')?.attrs.href).toBe(`${BASE}/collections/street-lights`)
    expect(anchor(p, 'Ducts')?.attrs.href).toBe(`${BASE}/collections/ducts`)
    const rows = p.elements.filter((e) => e.tag === 'tr')
    expect(rows[1]!.text).toContain('1234')
    expect(rows[1]!.text).toContain('11.2295, 44.4214 – 11.4334, 44.5561')
    expect(rows[2]!.text).toContain('—')
    expect(anchors(p).find((a) => a.attrs.rel === 'items')?.attrs).toMatchObject({ href: `${BASE}/collections/street-lights/items`, title: 'Features' })
  })

  it('titles census collections in the reader’s language', () => {
    const p = wellFormed(renderCollections({ links: [], collections: [collection()] }, it_))
    expect(lang(p)).toBe('it')
    expect(anchor(p, 'Punti luce')).toBeDefined()
    expect(p.text).toContain('Apparecchi della pubblica illuminazione')
    expect(p.elements.find((e) => e.tag === 'h1')?.text).toBe('Collezioni')
  })
})

describe('renderCollection', () => {
  it('shows the extent, the reference systems and links to items and queryables', () => {
    const p = wellFormed(renderCollection(collection(), en))
    expect(p.elements.find((e) => e.tag === 'h1')?.text).toBe('Street lights')
    expect(anchor(p, 'Browse the features')?.attrs.href).toBe(`${BASE}/collections/street-lights/items`)
    expect(anchor(p, 'Queryables')?.attrs.href).toBe(`${BASE}/collections/street-lights/queryables`)
    expect(p.text).toContain('11.2295, 44.4214 – 11.4334, 44.5561 (WGS 84 longitude, latitude (CRS84))')
    expect(p.text).toContain('2024-03-01T00:00:00Z – …')
    expect(p.text).toContain('RDN2008 / UTM zone 32N (E-N)')
    expect(p.elements.find((e) => e.tag === 'nav')?.text).toBe('Home Collections Street lights')
    expect(anchor(p, 'This page as JSON')?.attrs.href).toBe(`${BASE}/collections/street-lights?f=json`)
  })
})

describe('renderQueryables', () => {
  it('lists each queryable with its label, type and the code list’s labels', () => {
    const q = {
      title: 'Street lights',
      properties: {
        geometry: { $ref: 'https://geojson.org/schema/Point.json' },
        status: { title: 'Lifecycle status', type: 'string', enum: ['functional', 'disused'] },
        powerW: { title: 'Power', type: 'number', minimum: 0, maximum: 2000 },
      },
    }
    const p = wellFormed(renderQueryables(q, { collectionId: 'street-lights', assetType: lights }, it_))
    expect(p.text).toContain('functional (In esercizio), disused (Fuori servizio)')
    expect(p.text).toContain('Potenza')
    expect(p.text).toContain('0 – 2000 W')
    expect(anchor(p, 'https://geojson.org/schema/Point.json')).toBeDefined()
    expect(p.elements.find((e) => e.tag === 'nav')?.text).toBe('Inizio Collezioni Punti luce Interrogabili')
    expect(p.elements.find((e) => e.tag === 'link' && e.attrs.rel === 'alternate')?.attrs.type).toBe('application/schema+json')
  })
})

describe('renderItems', () => {
  it('tabulates features with labelled attributes, code-list labels, an em dash for null and id links', () => {
    const p = wellFormed(items(page([light(42), light(43, { lampType: 'LED', status: 'disused' })])))
    const head = p.elements.filter((e) => e.tag === 'th').map((e) => e.text)
    expect(head).toEqual(['Identifier', 'Name', 'Lifecycle status', 'Source identifier', 'Installed on', 'Owner', 'Lamp', 'Power', 'Colour temperature', 'Dimmable', 'On pole', 'Cabinet', 'Circuit', 'Geometry'])
    const row = p.elements.filter((e) => e.tag === 'tr')[1]!
    expect(row.text).toContain('In service')
    expect(row.text).toContain('High-pressure sodium')
    expect(row.text).not.toContain('HPS')
    expect(row.text).toContain('70.5 W')
    expect(row.text).toContain('Yes')
    expect(row.text).toContain('—')
    expect(row.text).toContain('POINT (11.3426 44.4949)')
    expect(anchor(p, '42')?.attrs.href).toBe(`${BASE}/collections/street-lights/items/42`)
    expect(anchor(p, 'Poles 17')?.attrs.href).toBe(`${BASE}/collections/poles/items/17`)
    expect(p.text).toContain('2 of 127 features')
    expect(p.text).not.toContain('_version')
  })

  it('speaks Italian with lang it, decimals included', () => {
    const p = wellFormed(items(page([light(42), light(43)]), it_))
    expect(lang(p)).toBe('it')
    const head = p.elements.filter((e) => e.tag === 'th').map((e) => e.text)
    expect(head).toContain('Stato')
    expect(head).toContain('Sorgente')
    expect(p.text).toContain('In esercizio')
    expect(p.text).toContain('Sodio alta pressione')
    expect(p.text).toContain('70,5 W')
    expect(p.text).toContain('Sì')
    expect(p.text).toContain('2 elementi su 127')
    expect(p.elements.find((e) => e.tag === 'nav')?.text).toBe('Inizio Collezioni Punti luce Elementi')
  })

  it('links the previous and next pages, given or from the collection’s links', () => {
    const given = wellFormed(items(page([light(1)]), en, lights, { prev: `${BASE}/collections/street-lights/items?offset=0&f=html`, next: `${BASE}/collections/street-lights/items?offset=20&f=html` }))
    expect(anchors(given).filter((a) => a.attrs.rel === 'next').map((a) => a.attrs.href)).toEqual([`${BASE}/collections/street-lights/items?offset=20&f=html`, `${BASE}/collections/street-lights/items?offset=20&f=html`])
    expect(anchors(given).find((a) => a.attrs.rel === 'prev')?.text).toBe('← Previous page')
    const fromLinks = wellFormed(items(page([light(1)], { links: [link('next', `${BASE}/n.json`), { rel: 'next', href: `${BASE}/n.html`, type: 'text/html' }] })))
    expect(anchor(fromLinks, 'Next page →')?.attrs.href).toBe(`${BASE}/n.html`)
    const jsonOnly = wellFormed(items(page([light(1)], { links: [link('prev', `${BASE}/collections/street-lights/items?offset=0&f=json&limit=20`)] })))
    expect(anchor(jsonOnly, '← Previous page')?.attrs.href).toBe(`${BASE}/collections/street-lights/items?offset=0&f=html&limit=20`)
    expect(anchors(wellFormed(items(page([light(1)])))).some((a) => a.attrs.rel === 'prev' || a.attrs.rel === 'next')).toBe(false)
  })

  it('shows the query, keeps it in the form and in the GeoJSON link', () => {
    const query = { bbox: '11.3,44.4,11.4,44.5', limit: 20, filter: "status = 'functional'", f: 'html', datetime: undefined }
    const p = wellFormed(items(page([light(1)]), en, lights, { query }))
    const input = (name: string) => p.elements.find((e) => e.tag === 'input' && e.attrs.name === name)?.attrs.value
    expect(input('bbox')).toBe('11.3,44.4,11.4,44.5')
    expect(input('filter')).toBe("status = 'functional'")
    expect(input('limit')).toBe('20')
    expect(p.elements.find((e) => e.tag === 'form')?.attrs).toMatchObject({ method: 'get', action: `${BASE}/collections/street-lights/items` })
    const json = new URL(anchor(p, 'This page as GeoJSON')!.attrs.href!)
    expect(Object.fromEntries(json.searchParams)).toEqual({ bbox: '11.3,44.4,11.4,44.5', limit: '20', filter: "status = 'functional'", f: 'json' })
    expect(p.text).toContain("Query bbox 11.3,44.4,11.4,44.5 limit 20 filter status = 'functional'")
  })

  it('says so when nothing matches', () => {
    const p = wellFormed(items(page([], { numberMatched: 0 }), it_))
    expect(p.text).toContain('Nessun elemento corrisponde alla richiesta.')
    expect(p.elements.some((e) => e.tag === 'table')).toBe(false)
  })
})

describe('renderItem', () => {
  it('shows the attributes, the geometry, the version and a link to the Gemello map', () => {
    const p = wellFormed(renderItem(light(42), { collectionId: 'street-lights', assetType: lights, etag: '"42:v3"' }, en))
    expect(p.elements.find((e) => e.tag === 'h1')?.text).toBe('Light 42')
    const row = (label: string) => p.elements.find((e) => e.tag === 'tr' && e.text.startsWith(label))?.text
    expect(row('Lamp')).toBe('Lamp lampType High-pressure sodium')
    expect(row('Source identifier')).toBe('Source identifier externalId —')
    expect(p.text).toContain('Version 3')
    expect(p.text).toContain('ETag "42:v3"')
    expect(p.text).toContain('Coordinates · WGS 84 longitude, latitude (CRS84) POINT (11.3426 44.4949)')
    expect(anchor(p, 'View on the Gemello map')?.attrs.href).toBe('http://gemello.test/?census=street-lights/42')
    expect(p.elements.find((e) => e.tag === 'nav')?.text).toBe('Home Collections Street lights Items 42')
    expect(anchors(p).find((a) => a.attrs.rel === 'self')?.attrs.title).toBe('This feature')
    expect(anchor(p, 'This page as GeoJSON')?.attrs.href).toBe(`${BASE}/collections/street-lights/items/42?f=json`)
  })

  it('prefers the given version, and labels in Italian', () => {
    const p = wellFormed(renderItem(light(42, { name: null }), { collectionId: 'street-lights', version: 5 }, it_))
    expect(p.elements.find((e) => e.tag === 'h1')?.text).toBe('Punti luce 42')
    expect(p.text).toContain('Versione 5')
    expect(p.text).toContain('Regolabile')
    expect(anchor(p, 'Vedi sulla mappa di Gemello')).toBeDefined()
  })

  it('summarises a line and writes its coordinates', () => {
    const line: FeatureJson = { type: 'Feature', id: 7, geometry: { type: 'LineString', coordinates: [[11.34, 44.49], [11.35, 44.5], [11.36, 44.51]] }, properties: { status: 'functional', usage: 'fibre' } }
    const p = wellFormed(renderItem(line, { collectionId: 'ducts', assetType: ducts }, it_))
    expect(p.text).toContain('LINESTRING, 3 vertici')
    expect(wellFormed(renderItem(line, { collectionId: 'ducts', crs: 'http://www.opengis.net/def/crs/EPSG/0/7791' }, en)).text).toContain('Coordinates · RDN2008 / UTM zone 32N (E-N)')
    expect(p.elements.find((e) => e.tag === 'pre')?.text).toBe('LINESTRING (11.34 44.49, 11.35 44.5, 11.36 44.51)')
    expect(p.text).toContain('Fibra ottica')
  })
})

describe('geometry', () => {
  it('writes WKT for every GeoJSON type and cuts long ones', () => {
    expect(geometryWkt({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }).wkt).toBe('POLYGON ((0 0, 1 0, 1 1, 0 0))')
    expect(geometryWkt({ type: 'MultiPoint', coordinates: [[0, 0], [1, 1]] }).wkt).toBe('MULTIPOINT (0 0, 1 1)')
    expect(geometryWkt({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }] }).wkt).toBe('GEOMETRYCOLLECTION (POINT (1 2))')
    expect(geometryWkt({ type: 'LineString', coordinates: [] }).wkt).toBe('LINESTRING EMPTY')
    const long = geometryWkt({ type: 'LineString', coordinates: Array.from({ length: 600 }, (_, i) => [i, i]) })
    expect(long.omitted).toBe(100)
    expect(long.wkt.endsWith('499 499) …')).toBe(true)
    expect(geometrySummary({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, 'en')).toBe('POLYGON, 4 vertices')
    expect(geometrySummary(null, 'it')).toBe('nessuna geometria')
  })
})

// ---- Hostile input ---------------------------------------------------------------------------------

const HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'

describe('escaping', () => {
  it('keeps a hostile attribute value, title, id and query as text', () => {
    const f = light(42, { name: HOSTILE, owner: `'><b onmouseover=x>`, lampType: HOSTILE })
    for (const doc of [
      items(page([f]), en, lights, { query: { filter: HOSTILE, bbox: '"><script>' } }),
      renderItem(f, { collectionId: 'street-lights', assetType: lights, etag: HOSTILE }, en),
      renderItem({ ...f, id: HOSTILE }, { collectionId: '"><x', collectionTitle: HOSTILE }, en),
      renderCollections({ links: [], collections: [collection({ id: HOSTILE, title: HOSTILE, description: HOSTILE })] }, en),
      renderLanding({ title: HOSTILE, description: HOSTILE, links: [{ rel: HOSTILE, href: HOSTILE, title: HOSTILE, type: HOSTILE }] }, en),
    ]) {
      const p = wellFormed(doc)
      expect(p.text).toContain(HOSTILE)
      expect(p.elements.some((e) => e.tag === 'img' || e.tag === 'b')).toBe(false)
    }
  })

  it('refuses javascript:, data: and disguised schemes in hrefs, keeping the text', () => {
    const bad = ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'jav&#x09;ascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', '\u0001javascript:x']
    const links = bad.map((href, i) => ({ rel: 'related', href, title: `bad ${i}` }))
    const p = wellFormed(renderLanding({ links: [...links, { rel: 'related', href: 'https://opendata.comune.bologna.it/', title: 'ok' }] }, en))
    for (let i = 0; i < bad.length; i++) {
      expect(p.text).toContain(`bad ${i}`)
      expect(anchor(p, `bad ${i}`)?.attrs.href ?? '').not.toMatch(/^\s*(java|data|vbscript)/i)
    }
    expect(anchor(p, 'ok')?.attrs.href).toBe('https://opendata.comune.bologna.it/')
    expect(anchors(p).every((a) => safeHref(a.attrs.href) !== null)).toBe(true)
  })

  it('allows only http, https and relative hrefs', () => {
    expect(safeHref('http://x/y')).toBe('http://x/y')
    expect(safeHref('HTTPS://x')).toBe('HTTPS://x')
    expect(safeHref('/?census=poles/1')).toBe('/?census=poles/1')
    expect(safeHref('items?f=json&limit=10')).toBe('items?f=json&limit=10')
    expect(safeHref('#main')).toBe('#main')
    expect(safeHref('?a=b:c')).toBe('?a=b:c')
    for (const bad of ['javascript:x', 'JAVASCRIPT:x', 'java\nscript:x', 'data:x', 'file:///etc/passwd', 'mailto:a@b', 'blob:x']) expect(safeHref(bad)).toBeNull()
    expect(safeHref(42)).toBeNull()
  })

  it('stays well-formed and script-free for any property values and links', () => {
    const value = fc.oneof(fc.string(), fc.constantFrom(HOSTILE, 'javascript:alert(1)', '&amp;', '</td></tr></table>', '<!--'), fc.double(), fc.boolean(), fc.constant(null))
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('name', 'owner', 'status', 'lampType', 'powerW', 'weird key"<'), value), fc.string(), fc.string(), (props, href, title) => {
        const f: FeatureJson = { type: 'Feature', id: 1, geometry: null, properties: props, links: [{ rel: title, href, title }] }
        for (const doc of [items(page([f])), renderItem(f, { collectionId: 'street-lights', assetType: lights }, en)]) {
          const p = parse(doc)
          expect(p.errors).toEqual([])
          expect(p.elements.some((e) => e.tag === 'script')).toBe(false)
          expect(anchors(p).every((a) => safeHref(a.attrs.href) !== null)).toBe(true)
        }
      }),
      { numRuns: 200 },
    )
  })
})
