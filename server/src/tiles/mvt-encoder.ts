/**
 * Mapbox Vector Tile 2.1 encoder for geometries already in tile coordinates (integers, y down),
 * used where the database cannot run ST_AsMVT. Follows the spec's rules that decoders rely on:
 * command integers (MoveTo 1, LineTo 2, ClosePath 7) with zigzag-encoded deltas, exterior rings
 * with a positive surveyor's-formula area in tile coordinates (clockwise on screen) and interior
 * rings negative, no repeated points, no degenerate parts, and per-layer keys/values tables.
 */
import { PbfWriter } from 'pbf'
import { EXTENT } from './tile-grid'

type Position = number[]
export type TileGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }

export type TileValue = string | number | boolean
export interface TileFeature {
  /** Unsigned integer feature id, when the source has one. */
  id?: number
  properties: Record<string, TileValue | null | undefined>
  geometry: TileGeometry
}
export interface TileLayerData {
  name: string
  features: TileFeature[]
}

const GEOM_POINT = 1
const GEOM_LINE = 2
const GEOM_POLYGON = 3
const MOVE_TO = 1
const LINE_TO = 2
const CLOSE_PATH = 7

const command = (id: number, count: number) => (id & 0x7) | (count << 3)
const zigzag = (n: number) => (n << 1) ^ (n >> 31)

/** Encodes the layers; layers without a drawable feature are left out. Empty input → empty tile. */
export function encodeMvt(layers: readonly TileLayerData[]): Uint8Array {
  const pbf = new PbfWriter()
  for (const layer of layers) {
    const encoded = encodeLayerFeatures(layer)
    if (encoded.features.length === 0) continue
    pbf.writeMessage(3, writeLayer, { name: layer.name, ...encoded })
  }
  return pbf.finish()
}

interface EncodedFeature {
  id?: number
  tags: number[]
  type: number
  geometry: number[]
}
interface EncodedLayer {
  name: string
  features: EncodedFeature[]
  keys: string[]
  values: TileValue[]
}

function encodeLayerFeatures(layer: TileLayerData): Omit<EncodedLayer, 'name'> {
  const keys: string[] = []
  const keyIndex = new Map<string, number>()
  const values: TileValue[] = []
  const valueIndex = new Map<string, number>()
  const features: EncodedFeature[] = []
  for (const f of layer.features) {
    const g = encodeGeometry(f.geometry)
    if (!g) continue
    const tags: number[] = []
    for (const [k, v] of Object.entries(f.properties)) {
      if (v === null || v === undefined) continue
      let ki = keyIndex.get(k)
      if (ki === undefined) {
        ki = keys.push(k) - 1
        keyIndex.set(k, ki)
      }
      const vk = `${typeof v}:${String(v)}`
      let vi = valueIndex.get(vk)
      if (vi === undefined) {
        vi = values.push(v) - 1
        valueIndex.set(vk, vi)
      }
      tags.push(ki, vi)
    }
    features.push({ ...(f.id !== undefined ? { id: f.id } : {}), tags, type: g.type, geometry: g.commands })
  }
  return { features, keys, values }
}

function writeLayer(layer: EncodedLayer, pbf: PbfWriter): void {
  pbf.writeVarintField(15, 2)
  pbf.writeStringField(1, layer.name)
  for (const f of layer.features) pbf.writeMessage(2, writeFeature, f)
  for (const k of layer.keys) pbf.writeStringField(3, k)
  for (const v of layer.values) pbf.writeMessage(4, writeValue, v)
  pbf.writeVarintField(5, EXTENT)
}

function writeFeature(f: EncodedFeature, pbf: PbfWriter): void {
  if (f.id !== undefined) pbf.writeVarintField(1, f.id)
  if (f.tags.length) pbf.writePackedVarint(2, f.tags)
  pbf.writeVarintField(3, f.type)
  pbf.writePackedVarint(4, f.geometry)
}

function writeValue(v: TileValue, pbf: PbfWriter): void {
  if (typeof v === 'string') pbf.writeStringField(1, v)
  else if (typeof v === 'boolean') pbf.writeBooleanField(7, v)
  else if (!Number.isInteger(v) || !Number.isSafeInteger(v)) pbf.writeDoubleField(3, v)
  else if (v < 0) pbf.writeSVarintField(6, v)
  else pbf.writeVarintField(5, v)
}

/** The cursor of the geometry command stream: deltas are relative to the previous point written. */
class Cursor {
  x = 0
  y = 0
  readonly out: number[] = []
  moveTo(p: Position): void {
    this.out.push(command(MOVE_TO, 1))
    this.delta(p)
  }
  lineTo(points: Position[]): void {
    this.out.push(command(LINE_TO, points.length))
    for (const p of points) this.delta(p)
  }
  close(): void {
    this.out.push(command(CLOSE_PATH, 1))
  }
  private delta(p: Position): void {
    const x = Math.round(p[0]!)
    const y = Math.round(p[1]!)
    this.out.push(zigzag(x - this.x), zigzag(y - this.y))
    this.x = x
    this.y = y
  }
}

/** Rounds to integers and drops consecutive repeats. */
function cleanPath(coords: Position[]): Position[] {
  const out: Position[] = []
  for (const c of coords) {
    const p = [Math.round(c[0]!), Math.round(c[1]!)]
    const last = out[out.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p)
  }
  return out
}

/** Twice the surveyor's-formula area of a ring (positive = exterior in MVT, clockwise on screen). */
export function ringArea2(ring: Position[]): number {
  let sum = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!
  return sum
}

/** An open ring (no closing point) of at least 3 distinct points, oriented as asked; null when degenerate. */
function cleanRing(ring: Position[], exterior: boolean): Position[] | null {
  const pts = cleanPath(ring)
  const first = pts[0]
  const last = pts[pts.length - 1]
  if (first && last && pts.length > 1 && first[0] === last[0] && first[1] === last[1]) pts.pop()
  if (pts.length < 3) return null
  const area = ringArea2(pts)
  if (area === 0) return null
  if (area > 0 !== exterior) pts.reverse()
  return pts
}

function encodeGeometry(g: TileGeometry): { type: number; commands: number[] } | null {
  const c = new Cursor()
  switch (g.type) {
    case 'Point':
    case 'MultiPoint': {
      const pts = (g.type === 'Point' ? [g.coordinates] : g.coordinates).map((p) => [Math.round(p[0]!), Math.round(p[1]!)])
      if (pts.length === 0) return null
      c.out.push(command(MOVE_TO, pts.length))
      for (const p of pts) {
        c.out.push(zigzag(p[0]! - c.x), zigzag(p[1]! - c.y))
        c.x = p[0]!
        c.y = p[1]!
      }
      return { type: GEOM_POINT, commands: c.out }
    }
    case 'LineString':
    case 'MultiLineString': {
      for (const line of g.type === 'LineString' ? [g.coordinates] : g.coordinates) {
        const pts = cleanPath(line)
        if (pts.length < 2) continue
        c.moveTo(pts[0]!)
        c.lineTo(pts.slice(1))
      }
      return c.out.length ? { type: GEOM_LINE, commands: c.out } : null
    }
    case 'Polygon':
    case 'MultiPolygon': {
      for (const polygon of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
        const [outer, ...holes] = polygon
        const ext = outer ? cleanRing(outer, true) : null
        if (!ext) continue
        for (const ring of [ext, ...holes.map((h) => cleanRing(h, false)).filter((h): h is Position[] => h !== null)]) {
          c.moveTo(ring[0]!)
          c.lineTo(ring.slice(1))
          c.close()
        }
      }
      return c.out.length ? { type: GEOM_POLYGON, commands: c.out } : null
    }
  }
}
