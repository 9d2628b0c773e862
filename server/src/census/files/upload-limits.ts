/**
 * The limits a census upload is read within (reliability-security.md §4.4 items 8–10). Every limit is
 * checked before the work it bounds: the byte size before sniffing, the zip's central directory
 * before extracting, the JSON nesting before parsing, the feature count before converting.
 */

export interface UploadLimits {
  /** The uploaded file. */
  maxUploadBytes: number
  /** Entries in a zip, directories included. */
  maxZipEntries: number
  /** Sum of the uncompressed sizes the zip's central directory declares. */
  maxZipUncompressedBytes: number
  /** Uncompressed : compressed size of one zip entry. */
  maxZipRatio: number
  /** Entries declaring less than this are not held to maxZipRatio (a small, padded .dbf compresses well and is no bomb). */
  zipRatioFloorBytes: number
  /** Features (CSV data rows) in one file. */
  maxFeatures: number
  /** Positions in one feature's geometry. */
  maxVerticesPerFeature: number
  /** Nesting of JSON arrays and objects. */
  maxJsonDepth: number
  /** The GeoJSON ogr2ogr writes from a GeoPackage or Shapefile. */
  maxConvertedBytes: number
  /** Wall-clock time of one GDAL run; the process is killed (SIGKILL) after it. CPU time is capped the same. */
  gdalTimeoutMs: number
  /** Address space of one GDAL run (prlimit --as). */
  gdalMemoryBytes: number
}

const MIB = 1024 * 1024

export const DEFAULT_UPLOAD_LIMITS: Readonly<UploadLimits> = Object.freeze({
  maxUploadBytes: 50 * MIB,
  maxZipEntries: 100,
  maxZipUncompressedBytes: 200 * MIB,
  maxZipRatio: 100,
  zipRatioFloorBytes: 1 * MIB,
  maxFeatures: 100_000,
  maxVerticesPerFeature: 100_000,
  maxJsonDepth: 64,
  maxConvertedBytes: 256 * MIB,
  gdalTimeoutMs: 30_000,
  gdalMemoryBytes: 512 * MIB,
})

/** The defaults with `overrides` applied; a limit that is not a positive number is a programmer error. */
export function resolveLimits(overrides: Partial<UploadLimits> = {}): UploadLimits {
  const limits: UploadLimits = { ...DEFAULT_UPLOAD_LIMITS }
  for (const key of Object.keys(DEFAULT_UPLOAD_LIMITS) as Array<keyof UploadLimits>) {
    const value = overrides[key]
    if (value === undefined) continue
    if (!Number.isFinite(value) || value <= 0) throw new Error(`Upload limit ${key} must be a positive number, not ${String(value)}`)
    limits[key] = value
  }
  return limits
}

/** '50 MiB', '1.5 KiB', '12 bytes' for messages. */
export function formatBytes(n: number): string {
  if (n >= MIB) return `${round(n / MIB)} MiB`
  if (n >= 1024) return `${round(n / 1024)} KiB`
  return `${n} bytes`
}

/** 100000 → '100,000' for messages (fixed, not the server's locale). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

const round = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1))
