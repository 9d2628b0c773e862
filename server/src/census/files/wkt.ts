/**
 * Well-Known Text (OGC Simple Features / ISO 13249) for CSV files: a parser for what GIS tools write
 * in a geometry column — POINT, LINESTRING, POLYGON, their MULTI forms and GEOMETRYCOLLECTION, with
 * Z, M or ZM (M is dropped: GeoJSON has no measure), EMPTY, an EWKT `SRID=4326;` prefix — and a writer
 * for the CSV export. Parse errors name the character where reading stopped. The parser counts
 * positions and stops past `maxVertices`, so a huge geometry is not built before it is refused.
 */
import type { Geometry, Position } from './uploaded-features'

/** Why a WKT text could not be read; the message is for a person. */
export class WktError extends Error {
  override name = 'WktError'
}

/** The text has more positions than the limit given to parseWkt. */
export class WktVertexLimitError extends Error {
  override name = 'WktVertexLimitError'
}

type Token = { kind: 'word' | 'number' | '(' | ')' | ','; text: string; at: number }
/** As tagged (Z, M, ZM), or 'auto': 2 numbers XY, 3 XYZ, 4 XYZM. */
type Dims = 'XYZ' | 'XYM' | 'XYZM' | 'auto'

const DIMS = { ZM: 'XYZM', Z: 'XYZ', M: 'XYM' } as const
const MAX_COLLECTION_NESTING = 4

/**
 * The geometry `text` stands for, with positions as written (x = lon, y = lat for EPSG:4326).
 * An EWKT SRID other than 4326 is an error: CSV geometries are lon/lat.
 */
export function parseWkt(text: string, maxVertices = Number.POSITIVE_INFINITY): Geometry {
  let body = text.trim()
  const srid = /^SRID=(\d+);/i.exec(body)
  if (srid) {
    if (Number(srid[1]) !== 4326) throw new WktError(`SRID=${srid[1]} is not lon/lat WGS 84: CSV geometries must be in EPSG:4326`)
    body = body.slice(srid[0].length)
  }
  const parser = new Parser(tokenize(body), maxVertices)
  const g = parser.geometry(0)
  parser.end()
  return g
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  const re = /\s*(?:([A-Za-z]+)|([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|([(),])|(\S))/gy
  let m: RegExpExecArray | null
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    const at = re.lastIndex - (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').length + 1
    if (m[1] !== undefined) tokens.push({ kind: 'word', text: m[1].toUpperCase(), at })
    else if (m[2] !== undefined) tokens.push({ kind: 'number', text: m[2], at })
    else if (m[3] !== undefined) tokens.push({ kind: m[3] as '(' | ')' | ',', text: m[3], at })
    else if (m[4] !== undefined) throw new WktError(`unexpected "${m[4]}" at character ${at}`)
    else break
  }
  return tokens
}

class Parser {
  private i = 0
  private vertices = 0
  constructor(
    private readonly tokens: Token[],
    private readonly maxVertices: number,
  ) {}

  geometry(nesting: number): Geometry {
    const word = this.take('word', 'a geometry type (POINT, LINESTRING, POLYGON, MULTI…)').text
    // Some writers glue the dimension to the type: POINTZ, LINESTRINGM.
    const glued = /^(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)(ZM|Z|M)$/.exec(word)
    const type = glued ? (glued[1] as string) : word
    const dims = glued ? DIMS[glued[2] as 'ZM' | 'Z' | 'M'] : this.dims()
    if (this.acceptWord('EMPTY')) throw new WktError(`${type} EMPTY has no position`)
    switch (type) {
      case 'POINT':
        return { type: 'Point', coordinates: this.inParens(() => this.position(dims)) }
      case 'LINESTRING':
        return { type: 'LineString', coordinates: this.positions(dims) }
      case 'POLYGON':
        return { type: 'Polygon', coordinates: this.list(() => this.positions(dims)) }
      case 'MULTIPOINT':
        // Both MULTIPOINT (1 2, 3 4) and MULTIPOINT ((1 2), (3 4)) are in use.
        return { type: 'MultiPoint', coordinates: this.list(() => (this.tokens[this.i]?.kind === '(' ? this.inParens(() => this.position(dims)) : this.position(dims))) }
      case 'MULTILINESTRING':
        return { type: 'MultiLineString', coordinates: this.list(() => this.positions(dims)) }
      case 'MULTIPOLYGON':
        return { type: 'MultiPolygon', coordinates: this.list(() => this.list(() => this.positions(dims))) }
      case 'GEOMETRYCOLLECTION':
        if (nesting >= MAX_COLLECTION_NESTING) throw new WktError(`GEOMETRYCOLLECTIONs are nested more than ${MAX_COLLECTION_NESTING} deep`)
        return { type: 'GeometryCollection', geometries: this.list(() => this.geometry(nesting + 1)) }
      default:
        throw new WktError(`"${type}" is not a WKT geometry type (POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON, GEOMETRYCOLLECTION)`)
    }
  }

  end(): void {
    const t = this.tokens[this.i]
    if (t) throw new WktError(`unexpected "${t.text}" at character ${t.at} after the end of the geometry`)
  }

  private dims(): Dims {
    for (const d of ['ZM', 'Z', 'M'] as const) if (this.acceptWord(d)) return DIMS[d]
    return 'auto'
  }

  private position(dims: Dims): Position {
    if (++this.vertices > this.maxVertices) throw new WktVertexLimitError(`more than ${this.maxVertices} positions`)
    const ns: number[] = []
    while (this.tokens[this.i]?.kind === 'number') {
      const t = this.tokens[this.i++] as Token
      const n = Number(t.text)
      if (!Number.isFinite(n)) throw new WktError(`the number ${t.text} at character ${t.at} is too large`)
      ns.push(n)
    }
    const want = dims === 'XYZ' || dims === 'XYM' ? [3] : dims === 'XYZM' ? [4] : [2, 3, 4]
    if (!want.includes(ns.length)) {
      const t = this.tokens[this.i]
      if (!t) throw new WktError('the text ends in the middle of a position')
      throw new WktError(`a position has ${ns.length} number${ns.length === 1 ? '' : 's'} where ${want.join(' or ')} were expected${t ? ` (at character ${t.at})` : ''}`)
    }
    const [x, y, third] = ns as [number, number, number | undefined]
    const hasZ = dims === 'XYZ' || dims === 'XYZM' || (dims === 'auto' && ns.length >= 3)
    return hasZ && third !== undefined ? [x, y, third] : [x, y]
  }

  private positions(dims: Dims): Position[] {
    return this.list(() => this.position(dims))
  }

  private list<T>(item: () => T): T[] {
    return this.inParens(() => {
      const out = [item()]
      while (this.accept(',')) out.push(item())
      return out
    })
  }

  private inParens<T>(inner: () => T): T {
    this.take('(', '"("')
    const v = inner()
    this.take(')', '")" or ","')
    return v
  }

  private accept(kind: Token['kind']): boolean {
    if (this.tokens[this.i]?.kind !== kind) return false
    this.i++
    return true
  }

  private acceptWord(word: string): boolean {
    const t = this.tokens[this.i]
    if (t?.kind !== 'word' || t.text !== word) return false
    this.i++
    return true
  }

  private take(kind: Token['kind'], expected: string): Token {
    const t = this.tokens[this.i]
    if (!t) throw new WktError(`the text ends where ${expected} was expected`)
    if (t.kind !== kind) throw new WktError(`expected ${expected} at character ${t.at}, found "${t.text}"`)
    this.i++
    return t
  }
}

/** WKT of a GeoJSON geometry: 'POINT (11.34 44.49)', 'POLYGON Z ((…))' when every position has a height. */
export function toWkt(g: Geometry): string {
  const z = allHaveZ(g)
  const tag = z ? ' Z ' : ' '
  const pos = (p: Position) => (z ? `${p[0]} ${p[1]} ${p[2]}` : `${p[0]} ${p[1]}`)
  const seq = (ps: Position[]) => `(${ps.map(pos).join(', ')})`
  const rings = (rs: Position[][]) => `(${rs.map(seq).join(', ')})`
  switch (g.type) {
    case 'Point':
      return `POINT${tag}(${pos(g.coordinates)})`
    case 'MultiPoint':
      return `MULTIPOINT${tag}(${g.coordinates.map((p) => `(${pos(p)})`).join(', ')})`
    case 'LineString':
      return `LINESTRING${tag}${seq(g.coordinates)}`
    case 'MultiLineString':
      return `MULTILINESTRING${tag}${rings(g.coordinates)}`
    case 'Polygon':
      return `POLYGON${tag}${rings(g.coordinates)}`
    case 'MultiPolygon':
      return `MULTIPOLYGON${tag}(${g.coordinates.map(rings).join(', ')})`
    case 'GeometryCollection':
      return `GEOMETRYCOLLECTION (${g.geometries.map(toWkt).join(', ')})`
  }
}

function allHaveZ(g: Geometry): boolean {
  if (g.type === 'GeometryCollection') return false
  const flat = (c: unknown): boolean => (typeof (c as unknown[])[0] === 'number' ? (c as unknown[]).length >= 3 : (c as unknown[]).every(flat))
  return flat(g.coordinates)
}
