/**
 * The coordinate reference systems a GeoJSON source may be in, and the conversion of its positions
 * to lon/lat EPSG:4326. Each CRS is defined here explicitly as a proj4 string (no lookup in a
 * registry at run time), so what a code means is reviewable in one place.
 *
 * Positions are read as GeoJSON writes them, x then y: easting, northing for projected CRSs and
 * lon, lat for geographic ones, whatever the axis order the EPSG definition declares (4326, 4258
 * and 6706 are lat/lon there, 7791/7792 northing/easting). That is the order ogr2ogr and QGIS
 * write GeoJSON in, and the order `gdaltransform` reads and writes.
 *
 * Datum shifts are the transformation PROJ/GDAL choose for mainland Italy, written as +towgs84
 * (position-vector convention, as proj4 reads it):
 *   - Monte Mario (3003, 3004): EPSG:1660 "Monte Mario to WGS 84 (4)", Italy mainland incl. San
 *     Marino and Vatican, 7 parameters, accuracy 4 m. Sardinia (EPSG:1661) and Sicily (EPSG:1662)
 *     have their own parameters: a file there is converted with the mainland ones, off by metres.
 *   - ED50 (23032): EPSG:1133 "ED50 to WGS 84 (1)", the Europe-wide 3 parameters whose area lists
 *     Italy, accuracy 10 m. GDAL 3.6 picks "(2)" for Bologna (it falls in that area's bounding box):
 *     2.0 m from ours at Piazza Maggiore.
 *   - ETRS89 (25832, 25833, 4258) and RDN2008 = ETRF2000 (6706–6708, 7791, 7792): the null
 *     transformation (EPSG:1149 and its RDN2008 equivalent), accuracy 1 m; ETRS89 drifts from WGS 84
 *     by a few cm a year, which no static transformation models.
 */
import proj4 from 'proj4'
import { DatasetFileError } from './read-result'

export interface SourceCrs {
  /** 'EPSG:3003', or 'OGC:CRS84'. */
  code: string
  name: string
  /** Positions are degrees (lon, lat); the out-of-range check for projected metres applies. */
  geographic: boolean
  proj: string
}

const UTM_WGS84 = (zone: number) => `+proj=utm +zone=${zone} +datum=WGS84 +units=m +no_defs`
const UTM_GRS80 = (zone: number) => `+proj=utm +zone=${zone} +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs`
const LONLAT_GRS80 = '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs'
/** EPSG:1660, Monte Mario to WGS 84 (4): Italy mainland. */
const MONTE_MARIO_TOWGS84 = '+towgs84=-104.1,-49.1,-9.9,0.971,-2.917,0.714,-11.68'
const WGS84 = '+proj=longlat +datum=WGS84 +no_defs'

const crs = (code: string, name: string, proj: string, geographic = false): SourceCrs => ({ code, name, proj, geographic })

/** Every supported CRS, by code. */
export const SUPPORTED_CRS: ReadonlyMap<string, SourceCrs> = new Map(
  [
    crs('EPSG:4326', 'WGS 84 (lon, lat)', WGS84, true),
    crs('OGC:CRS84', 'WGS 84 (lon, lat)', WGS84, true),
    crs('EPSG:4258', 'ETRS89 (lon, lat)', LONLAT_GRS80, true),
    crs('EPSG:6706', 'RDN2008 (lon, lat)', LONLAT_GRS80, true),
    crs('EPSG:3857', 'WGS 84 / Pseudo-Mercator', '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs'),
    crs('EPSG:32632', 'WGS 84 / UTM zone 32N', UTM_WGS84(32)),
    crs('EPSG:32633', 'WGS 84 / UTM zone 33N', UTM_WGS84(33)),
    crs('EPSG:25832', 'ETRS89 / UTM zone 32N', UTM_GRS80(32)),
    crs('EPSG:25833', 'ETRS89 / UTM zone 33N', UTM_GRS80(33)),
    crs('EPSG:6707', 'RDN2008 / UTM zone 32N', UTM_GRS80(32)),
    crs('EPSG:6708', 'RDN2008 / UTM zone 33N', UTM_GRS80(33)),
    crs('EPSG:7791', 'RDN2008 / UTM zone 32N (N-E; read as easting, northing)', UTM_GRS80(32)),
    crs('EPSG:7792', 'RDN2008 / UTM zone 33N (N-E; read as easting, northing)', UTM_GRS80(33)),
    crs('EPSG:3003', 'Monte Mario / Italy zone 1', `+proj=tmerc +lat_0=0 +lon_0=9 +k=0.9996 +x_0=1500000 +y_0=0 +ellps=intl ${MONTE_MARIO_TOWGS84} +units=m +no_defs`),
    crs('EPSG:3004', 'Monte Mario / Italy zone 2', `+proj=tmerc +lat_0=0 +lon_0=15 +k=0.9996 +x_0=2520000 +y_0=0 +ellps=intl ${MONTE_MARIO_TOWGS84} +units=m +no_defs`),
    crs('EPSG:23032', 'ED50 / UTM zone 32N', '+proj=utm +zone=32 +ellps=intl +towgs84=-87,-98,-121,0,0,0,0 +units=m +no_defs'),
  ].map((c) => [c.code, c]),
)

/** Where the source CRS came from: the file's `crs` member, the `--crs` option, or neither (RFC 7946 lon/lat assumed). */
export type CrsOrigin = 'file' | 'option' | 'default'

/** The CRS a file was read in, for the dataset report. */
export interface SourceCrsUsed {
  /** 'EPSG:3003', 'OGC:CRS84', 'EPSG:4326'. */
  code: string
  from: CrsOrigin
}

export const DEFAULT_CRS = SUPPORTED_CRS.get('EPSG:4326') as SourceCrs

/** 'EPSG:3003, EPSG:3004, …' for messages. */
export function supportedCrsList(): string {
  return [...SUPPORTED_CRS.keys()].join(', ')
}

/**
 * The code a CRS name stands for: 'EPSG:<n>' from `EPSG:3003`, `urn:ogc:def:crs:EPSG::3003`,
 * `urn:ogc:def:crs:EPSG:6.6:3003`, `http://www.opengis.net/def/crs/EPSG/0/3003`; 'OGC:CRS84' from
 * `urn:ogc:def:crs:OGC:1.3:CRS84`, `OGC:CRS84`, `CRS84`. Null when the name is neither form.
 */
export function crsCode(name: string): string | null {
  const t = name.trim()
  if (/(^|[:/])CRS84$/i.test(t)) return 'OGC:CRS84'
  const m = /^(?:urn:(?:x-)?ogc:def:crs:)?EPSG:(?:[\d.]*:)?(\d+)$/i.exec(t) ?? /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[\d.]+\/(\d+)$/i.exec(t)
  return m ? `EPSG:${Number(m[1])}` : null
}

/** The supported CRS `name` stands for; a DatasetFileError naming it and the supported list otherwise. `where` says who named it. */
export function resolveCrs(name: string, file: string, where: string): SourceCrs {
  const code = crsCode(name)
  const found = code === null ? undefined : SUPPORTED_CRS.get(code)
  if (found) return found
  throw new DatasetFileError(
    `${where} CRS "${name}"${code !== null && code !== name ? ` (${code})` : ''}, which Gemello does not convert. Supported: ${supportedCrsList()}. Reproject it first (ogr2ogr -t_srs EPSG:4326).`,
    file,
  )
}

/** Why `text` (a --crs value) cannot be used, or null. */
export function crsOptionProblem(text: string): string | null {
  const code = crsCode(text)
  if (code !== null && SUPPORTED_CRS.has(code)) return null
  return `--crs "${text}" is not a supported CRS. Supported: ${supportedCrsList()}.`
}

/** x, y in `from` → lon, lat in EPSG:4326; the identity for WGS 84 itself. */
export function toLonLat(from: SourceCrs): (xy: readonly [number, number]) => [number, number] {
  if (from.proj === WGS84) return ([x, y]) => [x, y]
  const converter = proj4(from.proj, WGS84)
  return ([x, y]) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return [Number.NaN, Number.NaN]
    const [lon, lat] = converter.forward([x, y])
    return [lon as number, lat as number]
  }
}
