/**
 * The coordinate reference systems the census API speaks (OGC API – Features Part 2, ADR 0008): their
 * URIs, PostGIS SRIDs and axis order. PostGIS always stores x = easting/longitude, y = northing/latitude;
 * the API writes and reads coordinates in the order the CRS defines — EPSG:4326 is latitude, longitude;
 * EPSG:6707/6708 (RDN2008 / UTM, N-E) are northing, easting; CRS84 and the E-N codes are as stored.
 * Parsing the `crs` and `bbox-crs` parameters and the `Content-Crs` header, and swapping axes, is here.
 */
export interface SupportedCrs {
  uri: string
  srid: number
  /** true when the CRS's first axis is latitude or northing: coordinates are swapped at the API edge. */
  swapAxes: boolean
  label: string
}

const EPSG = (code: number) => `http://www.opengis.net/def/crs/EPSG/0/${code}`
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'

/** In the order the collections list them; CRS84 first (the default of Part 1). */
export const SUPPORTED_CRS: readonly SupportedCrs[] = [
  { uri: CRS84, srid: 4326, swapAxes: false, label: 'WGS 84 longitude, latitude (CRS84)' },
  { uri: EPSG(4326), srid: 4326, swapAxes: true, label: 'WGS 84 latitude, longitude' },
  { uri: EPSG(6706), srid: 6706, swapAxes: true, label: 'RDN2008 geographic, latitude, longitude' },
  { uri: EPSG(6707), srid: 6707, swapAxes: true, label: 'RDN2008 / UTM zone 32N (N-E)' },
  { uri: EPSG(6708), srid: 6708, swapAxes: true, label: 'RDN2008 / UTM zone 33N (N-E)' },
  { uri: EPSG(7791), srid: 7791, swapAxes: false, label: 'RDN2008 / UTM zone 32N (E-N)' },
  { uri: EPSG(7792), srid: 7792, swapAxes: false, label: 'RDN2008 / UTM zone 33N (E-N)' },
  { uri: EPSG(3003), srid: 3003, swapAxes: false, label: 'Monte Mario / Italy zone 1 (Gauss-Boaga Ovest)' },
  { uri: EPSG(3004), srid: 3004, swapAxes: false, label: 'Monte Mario / Italy zone 2 (Gauss-Boaga Est)' },
  { uri: EPSG(3857), srid: 3857, swapAxes: false, label: 'WGS 84 / Pseudo-Mercator' },
]

export class CrsError extends Error {}

const byUri = new Map(SUPPORTED_CRS.map((c) => [c.uri, c]))

/** A CRS from a `crs` / `bbox-crs` parameter or a `Content-Crs` header (angle brackets optional); the default when absent. */
export function parseCrs(value: string | undefined | null, what: 'crs' | 'bbox-crs' | 'Content-Crs'): SupportedCrs {
  if (value === undefined || value === null || value.trim() === '') return byUri.get(CRS84)!
  const uri = value.trim().replace(/^<(.*)>$/, '$1')
  // Also accept the safe-CURIE and http/https variants QGIS and others send.
  const normal = uri
    .replace(/^\[EPSG:(\d+)\]$/i, (_, c: string) => EPSG(Number(c)))
    .replace(/^EPSG:(\d+)$/i, (_, c: string) => EPSG(Number(c)))
    .replace(/^https:/, 'http:')
  const crs = byUri.get(normal)
  if (!crs) throw new CrsError(`${what} ${value} is not supported: use one of ${SUPPORTED_CRS.map((c) => c.uri).join(', ')}`)
  return crs
}

/** The header value of a response in this CRS (`Content-Crs: <uri>`). */
export const contentCrsHeader = (crs: SupportedCrs) => `<${crs.uri}>`

type Position = number[]
type Coords = Position | Coords[]

function swap(c: Coords): Coords {
  if (typeof c[0] === 'number') {
    const p = c as Position
    return [p[1]!, p[0]!, ...p.slice(2)]
  }
  return (c as Coords[]).map(swap)
}

export interface GeoJsonGeometry {
  type: string
  coordinates?: unknown
  geometries?: GeoJsonGeometry[]
}

/** The geometry with its first two axes swapped when the CRS asks for it (input and output alike: swapping is its own inverse). */
export function toCrsAxisOrder<G extends GeoJsonGeometry | null>(geometry: G, crs: SupportedCrs): G {
  if (!crs.swapAxes || geometry === null) return geometry
  if (geometry.type === 'GeometryCollection') return { ...geometry, geometries: (geometry.geometries ?? []).map((g) => toCrsAxisOrder(g, crs)) }
  return { ...geometry, coordinates: swap(geometry.coordinates as Coords) }
}

/** A bbox (4 or 6 numbers) in the CRS's axis order → [minx, miny, maxx, maxy] as stored (x = E/lon). */
export function bboxToStoredOrder(bbox: readonly number[], crs: SupportedCrs): [number, number, number, number] {
  if (bbox.length !== 4 && bbox.length !== 6) throw new CrsError(`bbox has ${bbox.length} numbers: give 4 (or 6 with heights)`)
  const [a, b, c, d] = bbox.length === 4 ? bbox : [bbox[0]!, bbox[1]!, bbox[3]!, bbox[4]!]
  const box: [number, number, number, number] = crs.swapAxes ? [b!, a!, d!, c!] : [a!, b!, c!, d!]
  // CRS84 allows a bbox crossing the antimeridian (minx > maxx); the census (one comune) never needs it.
  if (box[0] > box[2] || box[1] > box[3]) throw new CrsError(`bbox ${bbox.join(',')} has its lower corner above its upper corner${crs.swapAxes ? ` (in ${crs.label}, the first number is the latitude or northing)` : ''}`)
  return box
}
