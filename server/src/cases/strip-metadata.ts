/**
 * Photos of citizen cases without their metadata (reliability-security §4.4 #23: "EXIF stripped"): a
 * phone's photo carries where it was taken (GPS), when, the device and its serial number, sometimes the
 * owner's name. The type is decided by the file's first bytes, never by its name or Content-Type; the
 * image data itself is copied byte for byte.
 *
 * JPEG: the segments before the scan are walked; APP1 (Exif, XMP), APP3–APP13 (IPTC/Photoshop among
 * them), APP15 and COM are dropped; APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour
 * transform) stay, as do the tables and frames. PNG: the ancillary text and metadata chunks (eXIf,
 * tEXt, zTXt, iTXt, tIME) are dropped; every other chunk is kept with its CRC. Anything else, or a file
 * that does not parse to its end marker, is refused with the reason.
 */

export type ImageType = 'image/jpeg' | 'image/png'

export class ImageRefused extends Error {}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const PNG_DROPPED = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME'])
/** JPEG markers kept before the scan besides the tables and frames: APP0 JFIF, APP2 ICC, APP14 Adobe. */
const JPEG_KEPT_APP = new Set([0xe0, 0xe2, 0xee])

export function sniffImage(bytes: Uint8Array): ImageType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).equals(PNG_SIGNATURE)) return 'image/png'
  return null
}

/** The image without its metadata, and its type; throws ImageRefused saying why it cannot be taken. */
export function stripImageMetadata(input: Uint8Array): { type: ImageType; bytes: Buffer; removed: string[] } {
  const type = sniffImage(input)
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  if (type === 'image/jpeg') return { type, ...stripJpeg(buf) }
  if (type === 'image/png') return { type, ...stripPng(buf) }
  throw new ImageRefused('Only JPEG and PNG photos are accepted (the file’s first bytes are neither)')
}

function stripJpeg(b: Buffer): { bytes: Buffer; removed: string[] } {
  const out: Buffer[] = [b.subarray(0, 2)]
  const removed: string[] = []
  let i = 2
  let inScan = false
  for (;;) {
    if (inScan) {
      // Entropy-coded data: a 0xFF is followed by 0x00 (a stuffed byte) or RST0–7 inside it; any other marker ends it.
      const from = i
      while (i + 1 < b.length && !(b[i] === 0xff && b[i + 1] !== 0x00 && !(b[i + 1]! >= 0xd0 && b[i + 1]! <= 0xd7))) i++
      if (i + 1 >= b.length) throw new ImageRefused('The JPEG has no end marker: it is cut short')
      out.push(b.subarray(from, i))
      inScan = false
    }
    if (i + 2 > b.length) throw new ImageRefused('The JPEG ends before its end marker')
    if (b[i] !== 0xff) throw new ImageRefused(`The JPEG is damaged: no marker at byte ${i}`)
    const marker = b[i + 1]!
    if (marker === 0xff) {
      i++ // fill byte
      continue
    }
    if (marker === 0xd9) {
      // End of image; whatever follows (a phone's trailer, a motion photo's video) is not kept.
      out.push(b.subarray(i, i + 2))
      if (i + 2 < b.length) removed.push(`${b.length - i - 2} bytes after the end of the image`)
      break
    }
    if (i + 4 > b.length) throw new ImageRefused('The JPEG ends inside a segment')
    const length = b.readUInt16BE(i + 2)
    if (length < 2 || i + 2 + length > b.length) throw new ImageRefused(`The JPEG is damaged: a segment at byte ${i} runs past the end`)
    const segment = b.subarray(i, i + 2 + length)
    const isApp = marker >= 0xe0 && marker <= 0xef
    if ((isApp && !JPEG_KEPT_APP.has(marker)) || marker === 0xfe) {
      removed.push(marker === 0xfe ? 'COM' : `APP${marker - 0xe0}${marker === 0xe1 ? (segment.subarray(4, 8).toString('latin1') === 'Exif' ? ' (Exif)' : ' (XMP)') : ''}`)
    } else out.push(segment)
    i += 2 + length
    if (marker === 0xda) inScan = true
  }
  return { bytes: Buffer.concat(out), removed }
}

function stripPng(b: Buffer): { bytes: Buffer; removed: string[] } {
  const out: Buffer[] = [b.subarray(0, 8)]
  const removed: string[] = []
  let i = 8
  let ended = false
  while (i < b.length) {
    if (i + 12 > b.length) throw new ImageRefused(`The PNG is damaged: a chunk at byte ${i} runs past the end`)
    const length = b.readUInt32BE(i)
    const name = b.subarray(i + 4, i + 8).toString('latin1')
    const end = i + 12 + length
    if (end > b.length) throw new ImageRefused(`The PNG is damaged: chunk ${name} runs past the end`)
    if (PNG_DROPPED.has(name)) removed.push(name)
    else out.push(b.subarray(i, end))
    i = end
    if (name === 'IEND') {
      ended = true
      break
    }
  }
  if (!ended) throw new ImageRefused('The PNG has no IEND chunk: it is cut short')
  return { bytes: Buffer.concat(out), removed }
}
