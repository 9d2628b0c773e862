/**
 * Tells an upload's format from its first bytes, never from its name: a zip is read as a Shapefile
 * archive, an SQLite file as a GeoPackage, UTF-8 text as GeoJSON (starts with `{` or `[`) or CSV.
 * Everything else — XML (KML, GML, VRT), a bare .shp, other archives, binary files — is refused here,
 * naming what is accepted. XML is never parsed: a DOCTYPE or ENTITY (XXE) gets its own message.
 */
import { ApiError } from '../../http/api-error'

export const ACCEPTED_FORMATS =
  'GeoJSON (.geojson), CSV with lon/lat or WKT columns (.csv), GeoPackage (.gpkg) or a zipped Shapefile (.zip holding .shp, .shx, .dbf and .prj)'

export type Sniffed = { kind: 'zip' } | { kind: 'gpkg' } | { kind: 'json'; text: string } | { kind: 'csv'; text: string }

const startsWith = (bytes: Uint8Array, magic: readonly number[], at = 0) => magic.every((b, i) => bytes[at + i] === b)
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0))

const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04]
const SQLITE = ascii('SQLite format 3\0')

/** Archive and compressed formats, by magic bytes; the zip ones first. */
const ARCHIVES: ReadonlyArray<[string, readonly number[], number?]> = [
  ['zip', ZIP_LOCAL],
  ['zip', [0x50, 0x4b, 0x05, 0x06]],
  ['zip', [0x50, 0x4b, 0x07, 0x08]],
  ['gzip', [0x1f, 0x8b]],
  ['bzip2', ascii('BZh')],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['rar', ascii('Rar!\x1a\x07')],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['tar', ascii('ustar'), 257],
]

/** The archive format `bytes` start with ('zip', 'gzip', '7z', …), or null. */
export function archiveKind(bytes: Uint8Array): string | null {
  for (const [name, magic, at] of ARCHIVES) if (startsWith(bytes, magic, at ?? 0)) return name
  return null
}

/** Other binary formats a GIS person might send, for a precise refusal. */
const KNOWN_BINARY: ReadonlyArray<[readonly number[], string]> = [
  [[0x00, 0x00, 0x27, 0x0a], 'a bare Shapefile part (.shp or .shx): zip the .shp, .shx, .dbf and .prj together and upload the .zip'],
  [ascii('fgb\x03'), 'a FlatGeobuf file: export the layer as GeoPackage or GeoJSON'],
  [ascii('%PDF'), 'a PDF document'],
  [[0xff, 0xfe], 'UTF-16 text: save it as UTF-8'],
  [[0xfe, 0xff], 'UTF-16 text: save it as UTF-8'],
]

/** The format of an upload; UPLOAD_REFUSED for anything that is not one of ACCEPTED_FORMATS. */
export function sniffUpload(bytes: Buffer): Sniffed {
  if (bytes.length === 0) throw refused('The file is empty.')
  if (startsWith(bytes, ZIP_LOCAL)) return { kind: 'zip' }
  if (startsWith(bytes, SQLITE)) return { kind: 'gpkg' }
  const archive = archiveKind(bytes)
  if (archive === 'zip') throw refused('The zip archive holds no files.')
  if (archive) throw refused(`The file is a ${archive} archive, which is not accepted. Upload one of: ${ACCEPTED_FORMATS}.`)
  for (const [magic, what] of KNOWN_BINARY) if (startsWith(bytes, magic)) throw refused(`The file is ${what}. Accepted: ${ACCEPTED_FORMATS}.`)

  const text = decodeUtf8(bytes)
  const start = text.search(/\S/)
  const first = start < 0 ? '' : text.charAt(start)
  if (first === '') throw refused('The file holds only blank space.')
  if (first === '<') throw refusedXml(text)
  if (first === '{' || first === '[') return { kind: 'json', text }
  return { kind: 'csv', text }
}

function decodeUtf8(bytes: Buffer): string {
  // NUL never occurs in GeoJSON or CSV text, and is how most binary formats give themselves away.
  if (bytes.subarray(0, 8192).includes(0)) throw refused(`The file is binary and of no accepted format. Accepted: ${ACCEPTED_FORMATS}.`)
  try {
    // ignoreBOM: false strips a UTF-8 byte order mark.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw refused('The file is text but not UTF-8 (e.g. Windows-1252): save it as UTF-8 and upload it again.')
  }
}

/** Which XML it is, for the message; a DOCTYPE or ENTITY is named as the reason. */
function refusedXml(text: string): ApiError {
  const head = text.slice(0, 65_536)
  if (/<!DOCTYPE|<!ENTITY/i.test(head)) {
    return refused(`The file is XML with a DOCTYPE or ENTITY declaration, which is refused (it can make a parser read other files). XML formats are not accepted at all: upload one of ${ACCEPTED_FORMATS}.`)
  }
  const what = /<kml[\s>]/i.test(head) ? 'KML' : /<OGRVRTDataSource[\s>]/i.test(head) ? 'a GDAL VRT' : /xmlns(:\w+)?="http:\/\/www\.opengis\.net\/gml/i.test(head) ? 'GML' : 'XML'
  return refused(`The file is ${what}, which is not accepted. Convert it (e.g. in QGIS: Export → Save Features As…) to one of: ${ACCEPTED_FORMATS}.`)
}

const refused = (message: string) => new ApiError('UPLOAD_REFUSED', message)
