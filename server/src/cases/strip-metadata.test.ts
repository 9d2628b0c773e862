import { crc32, deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { CLEAN_JPEG, exifWithGps, jpegWithMetadata, segment } from '../../../tests/helpers/photos'
import { ImageRefused, sniffImage, stripImageMetadata } from './strip-metadata'

describe('stripping a JPEG', () => {
  it('removes Exif with its GPS position, XMP, IPTC, comments and a trailer, and keeps every byte of the image', () => {
    const dirty = jpegWithMetadata()
    expect(dirty.includes('SERIAL-SN1234567')).toBe(true)
    const r = stripImageMetadata(dirty)
    expect(r.type).toBe('image/jpeg')
    expect(r.bytes.equals(CLEAN_JPEG)).toBe(true)
    expect(r.removed).toEqual(['APP1 (Exif)', 'APP1 (XMP)', 'APP13', 'COM', '36 bytes after the end of the image'])
  })

  it('walks entropy-coded data with stuffed bytes and restart markers, and keeps a progressive image’s later tables and scans', () => {
    const at = CLEAN_JPEG.indexOf(Buffer.from([0xff, 0xda]))
    const sos = CLEAN_JPEG.subarray(at, at + 10)
    const head = CLEAN_JPEG.subarray(0, at)
    const scan1 = Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56])
    const dhtAt = CLEAN_JPEG.indexOf(Buffer.from([0xff, 0xc4]))
    const dht = CLEAN_JPEG.subarray(dhtAt, dhtAt + 2 + CLEAN_JPEG.readUInt16BE(dhtAt + 2))
    const clean = Buffer.concat([head, sos, scan1, dht, sos, Buffer.from([0x78, 0xff, 0x00]), Buffer.from([0xff, 0xd9])])
    const dirty = Buffer.concat([clean.subarray(0, clean.length - 2), Buffer.from([0xff, 0xd9])])
    const withComment = Buffer.concat([dirty.subarray(0, 2), segment(0xfe, Buffer.from('GPS 44.49 11.34')), dirty.subarray(2)])
    expect(stripImageMetadata(withComment).bytes.equals(clean)).toBe(true)
  })

  it('refuses a cut-short JPEG and a file that is no image, saying why', () => {
    expect(() => stripImageMetadata(CLEAN_JPEG.subarray(0, 100))).toThrow(ImageRefused)
    expect(() => stripImageMetadata(CLEAN_JPEG.subarray(0, CLEAN_JPEG.length - 2))).toThrow(/cut short/)
    expect(() => stripImageMetadata(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toThrow(/Only JPEG and PNG/)
    expect(sniffImage(Buffer.from('GIF89a'))).toBeNull()
  })
})

const chunk = (name: string, data: Buffer) => {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(name, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0)
  return Buffer.concat([head, data, crc])
}

describe('stripping a PNG', () => {
  it('removes eXIf, text and time chunks and keeps the image chunks as they were', () => {
    const ihdr = Buffer.alloc(13)
    ihdr.writeUInt32BE(2, 0)
    ihdr.writeUInt32BE(2, 4)
    ihdr.set([8, 0, 0, 0, 0], 8) // 8-bit greyscale
    const image = [chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from([0, 10, 20, 0, 30, 40]))), chunk('IEND', Buffer.alloc(0))]
    const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const dirty = Buffer.concat([sig, image[0]!, chunk('tEXt', Buffer.from('Author\u0000Mario Rossi', 'latin1')), chunk('eXIf', exifWithGps().subarray(6)), chunk('tIME', Buffer.from([7, 234, 11, 27, 10, 0, 0])), image[1]!, chunk('iTXt', Buffer.from('GPS\u0000\u0000\u0000\u0000\u000044.49,11.34')), image[2]!])
    const r = stripImageMetadata(dirty)
    expect(r.type).toBe('image/png')
    expect(r.bytes.equals(Buffer.concat([sig, ...image]))).toBe(true)
    expect(r.removed).toEqual(['tEXt', 'eXIf', 'tIME', 'iTXt'])
    expect(() => stripImageMetadata(Buffer.concat([sig, image[0]!, image[1]!]))).toThrow(/IEND/)
  })
})
