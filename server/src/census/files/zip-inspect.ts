/**
 * Opens a zipped Shapefile without trusting it (reliability-security.md §4.4 items 8 and 10). From the
 * central directory alone, before a byte is inflated: at most `maxZipEntries` entries, their declared
 * sizes summing to at most `maxZipUncompressedBytes`, each at most `maxZipRatio`:1, no path that is
 * absolute, has a drive letter, a backslash or a `..` (zip slip), no nested archive, only .shp .shx
 * .dbf .prj .cpg of exactly one layer, with its .shx, .dbf and .prj. Then only those parts are
 * inflated, each to a fixed name (layer.shp, …) in the caller's directory, counting the bytes: an
 * entry inflating past its declared size (a lying central directory) or starting like an archive is
 * refused mid-stream. macOS's __MACOSX/ and ._ files are skipped. Every refusal is UPLOAD_REFUSED.
 */
import { createWriteStream } from 'node:fs'
import path from 'node:path'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import yauzl from 'yauzl'
import { ApiError } from '../../http/api-error'
import { archiveKind } from './sniff'
import { formatBytes, formatCount, type UploadLimits } from './upload-limits'

export const SHAPEFILE_PARTS = ['shp', 'shx', 'dbf', 'prj', 'cpg'] as const
export type ShapefilePart = (typeof SHAPEFILE_PARTS)[number]

const ARCHIVE_EXTENSIONS = new Set(['zip', 'gz', 'tgz', 'tar', '7z', 'rar', 'bz2', 'xz', 'zst', 'kmz', 'shz'])
const NOT_ZIPPED = new Set(['gpkg', 'geojson', 'json', 'csv'])
/** .prj and .cpg are a line of text; a bigger one is not what it claims to be. */
const TEXT_PART_MAX_BYTES: Partial<Record<ShapefilePart, number>> = { prj: 64 * 1024, cpg: 1024 }
const SHP_MAGIC = [0x00, 0x00, 0x27, 0x0a]

type Limits = Pick<UploadLimits, 'maxZipEntries' | 'maxZipUncompressedBytes' | 'maxZipRatio' | 'zipRatioFloorBytes'>

interface Part {
  ext: ShapefilePart
  /** The entry's path in the archive, for messages only. */
  name: string
  entry: yauzl.Entry
}

export interface ShapefileArchive {
  /** The .shp's name without folder and extension ('lampioni'): a label, never a path. */
  stem: string
  /** Inflates the parts into `dir` as layer.shp, layer.shx, layer.dbf, layer.prj (and layer.cpg). */
  extract(dir: string): Promise<void>
  close(): void
}

/** Checks the archive's central directory; UPLOAD_REFUSED naming the first problem. */
export async function openShapefileZip(bytes: Buffer, limits: Limits): Promise<ShapefileArchive> {
  let zip: yauzl.ZipFile
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, autoClose: false })
  } catch (err) {
    throw refused(`The zip archive cannot be read: ${(err as Error).message}.`)
  }
  try {
    if (zip.entryCount > limits.maxZipEntries) {
      throw refused(`The archive holds ${formatCount(zip.entryCount)} entries; at most ${formatCount(limits.maxZipEntries)} are accepted. Zip only the layer's .shp, .shx, .dbf, .prj and .cpg.`)
    }
    const parts = await centralDirectory(zip, limits)
    const stem = checkLayer(parts)
    return { stem, extract: (dir) => extractParts(zip, parts, dir), close: () => zip.close() }
  } catch (err) {
    zip.close()
    throw err
  }
}

async function centralDirectory(zip: yauzl.ZipFile, limits: Limits): Promise<Part[]> {
  const parts: Part[] = []
  let declared = 0
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      try {
        const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true)
        checkPath(name)
        declared += entry.uncompressedSize
        if (declared > limits.maxZipUncompressedBytes) {
          throw refused(`The archive's entries declare more than ${formatBytes(limits.maxZipUncompressedBytes)} uncompressed (the most accepted); it may be a zip bomb.`)
        }
        const part = classify(name, entry, limits)
        if (part) parts.push(part)
        zip.readEntry()
      } catch (err) {
        reject(err)
      }
    })
    zip.on('end', () => resolve())
    zip.on('error', (err: Error) => reject(refused(`The zip archive is damaged: ${err.message}.`)))
    zip.readEntry()
  })
  return parts
}

/** Zip slip: only plain relative paths. */
function checkPath(name: string): void {
  const outside = `The archive entry ${JSON.stringify(name)} points outside the archive (zip slip); entries must be plain relative paths.`
  if (name.includes('\\')) throw refused(`${outside} Backslashes are refused.`)
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw refused(outside)
  if (name.split('/').includes('..')) throw refused(outside)
  if (/[\u0000-\u001f\u007f]/.test(name)) throw refused(`The archive entry ${JSON.stringify(name)} has control characters in its name.`)
}

/** The Shapefile part an entry is, null for one to skip; refuses anything else. */
function classify(name: string, entry: yauzl.Entry, limits: Limits): Part | null {
  if (name.endsWith('/')) return null
  const base = name.slice(name.lastIndexOf('/') + 1)
  if (name.startsWith('__MACOSX/') || base.startsWith('._')) return null
  const dot = base.lastIndexOf('.')
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : ''
  if (ARCHIVE_EXTENSIONS.has(ext)) throw refused(`The archive holds another archive, ${JSON.stringify(name)}; nested archives are refused. Upload the Shapefile's parts zipped once.`)
  if (NOT_ZIPPED.has(ext)) throw refused(`The archive holds ${JSON.stringify(name)}: upload a .${ext} file directly, not zipped. A zip must hold a Shapefile.`)
  if (!(SHAPEFILE_PARTS as readonly string[]).includes(ext)) {
    throw refused(`The archive holds ${JSON.stringify(name)}, which is not part of a Shapefile. Accepted in a zip: ${SHAPEFILE_PARTS.map((e) => `.${e}`).join(', ')}; remove the rest and zip again.`)
  }
  if (entry.isEncrypted()) throw refused(`The archive entry ${JSON.stringify(name)} is password-protected; zip it without a password.`)
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw refused(`The archive entry ${JSON.stringify(name)} uses compression method ${entry.compressionMethod}; only Deflate and Store are accepted.`)
  }
  const size = entry.uncompressedSize
  if (size >= limits.zipRatioFloorBytes && (entry.compressedSize === 0 || size / entry.compressedSize > limits.maxZipRatio)) {
    const ratio = entry.compressedSize === 0 ? '∞' : String(Math.round(size / entry.compressedSize))
    throw refused(`The archive entry ${JSON.stringify(name)} expands ${ratio}:1 (${formatBytes(size)}); at most ${limits.maxZipRatio}:1 is accepted, so it is refused as a possible zip bomb.`)
  }
  const textMax = TEXT_PART_MAX_BYTES[ext as ShapefilePart]
  if (textMax !== undefined && size > textMax) throw refused(`The archive entry ${JSON.stringify(name)} is ${formatBytes(size)}; a .${ext} is a line of text (at most ${formatBytes(textMax)}).`)
  return { ext: ext as ShapefilePart, name, entry }
}

/** Exactly one .shp, with its .shx, .dbf and .prj beside it under the same name; returns the name. */
function checkLayer(parts: Part[]): string {
  const shps = parts.filter((p) => p.ext === 'shp')
  if (shps.length === 0) throw refused(`The archive holds no .shp file. Zip a Shapefile's ${SHAPEFILE_PARTS.map((e) => `.${e}`).join(', ')} files.`)
  if (shps.length > 1) throw refused(`The archive holds ${shps.length} Shapefiles (${shps.map((p) => p.name).join(', ')}); upload one layer per archive.`)
  const shp = shps[0] as Part
  const stemOf = (p: Part) => p.name.slice(0, p.name.length - p.ext.length - 1)
  const stem = stemOf(shp)
  for (const p of parts) {
    if (stemOf(p).toLowerCase() !== stem.toLowerCase()) throw refused(`The archive entry ${JSON.stringify(p.name)} does not belong to ${shp.name}: a Shapefile's parts share its name and folder.`)
    if (parts.filter((q) => q.ext === p.ext).length > 1) throw refused(`The archive holds more than one .${p.ext} for ${shp.name}.`)
  }
  const has = (ext: ShapefilePart) => parts.some((p) => p.ext === ext)
  for (const ext of ['shx', 'dbf'] as const) {
    if (!has(ext)) throw refused(`${shp.name} comes without its .${ext}; a Shapefile needs .shp, .shx, .dbf and .prj together. Zip all of them.`)
  }
  if (!has('prj')) {
    throw refused(`${shp.name} comes without its .prj, so its coordinate reference system is unknown, and Gemello does not guess it. Zip the .prj the layer was saved with (QGIS writes it), or save the layer with a CRS first.`)
  }
  return stem.slice(stem.lastIndexOf('/') + 1)
}

async function extractParts(zip: yauzl.ZipFile, parts: Part[], dir: string): Promise<void> {
  for (const part of parts) {
    let stream: NodeJS.ReadableStream
    try {
      stream = await openReadStream(zip, part.entry)
    } catch (err) {
      throw refused(`The archive entry ${JSON.stringify(part.name)} cannot be read: ${(err as Error).message}.`)
    }
    const target = path.join(dir, `layer.${part.ext}`)
    try {
      await pipeline(stream, new EntryGuard(part), createWriteStream(target, { flags: 'wx', mode: 0o600 }))
    } catch (err) {
      if (err instanceof ApiError) throw err
      throw refused(`The archive entry ${JSON.stringify(part.name)} is damaged: ${(err as Error).message}.`)
    }
  }
}

function openReadStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream))))
}

/** Counts the inflated bytes against the declared size and looks at the first ones (nested archive, .shp magic). */
class EntryGuard extends Transform {
  private count = 0
  private head = Buffer.alloc(0)
  private headChecked = false
  constructor(private readonly part: Part) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length
    const declared = this.part.entry.uncompressedSize
    if (this.count > declared) {
      return done(refused(`The archive entry ${JSON.stringify(this.part.name)} inflates to more than the ${formatBytes(declared)} its header declares: the archive lies about its sizes (a zip bomb?) and is refused.`))
    }
    if (!this.headChecked) {
      this.head = Buffer.concat([this.head, chunk]).subarray(0, 512)
      if (this.head.length >= 512) {
        const problem = this.checkHead()
        if (problem) return done(problem)
      }
    }
    done(null, chunk)
  }

  override _flush(done: TransformCallback): void {
    if (!this.headChecked) {
      const problem = this.checkHead()
      if (problem) return done(problem)
    }
    if (this.count < this.part.entry.uncompressedSize) return done(refused(`The archive entry ${JSON.stringify(this.part.name)} is shorter than its header declares: the archive is damaged.`))
    done()
  }

  private checkHead(): ApiError | null {
    this.headChecked = true
    const kind = archiveKind(this.head)
    if (kind) return refused(`The archive entry ${JSON.stringify(this.part.name)} is itself a ${kind} archive; nested archives are refused.`)
    if ((this.part.ext === 'shp' || this.part.ext === 'shx') && !SHP_MAGIC.every((b, i) => this.head[i] === b)) {
      return refused(`The archive entry ${JSON.stringify(this.part.name)} is not a Shapefile ${this.part.ext === 'shp' ? 'geometry (.shp)' : 'index (.shx)'} file.`)
    }
    return null
  }
}

const refused = (message: string) => new ApiError('UPLOAD_REFUSED', message)
