/**
 * Photos with metadata for the tests of the EXIF stripping (server/src/cases/strip-metadata.ts): a
 * clean JPEG as GDAL writes it, and the same image with what a phone adds — Exif with a GPS position
 * and a serial number, XMP, IPTC, a comment and a trailer after the end of the image.
 */

// An 8×8 grey JPEG as GDAL writes it (APP0 JFIF, DQT, SOF0, 2 × DHT, SOS, scan, EOI): no metadata at all.
export const CLEAN_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/wAALCAAIAAgBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAAP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AP//Z',
  'base64',
)
export const segment = (marker: number, payload: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload])

/** A TIFF/Exif block with a GPS IFD: latitude 44° 29′ 37.7″ N, longitude 11° 20′ 34.7″ E, and a camera serial number. */
export function exifWithGps(): Buffer {
  const tiff = Buffer.alloc(120)
  tiff.write('II*\u0000', 0, 'latin1')
  tiff.writeUInt32LE(8, 4)
  tiff.writeUInt16LE(1, 8) // one entry: GPSInfo → IFD at 26
  tiff.writeUInt16LE(0x8825, 10)
  tiff.writeUInt16LE(4, 12)
  tiff.writeUInt32LE(1, 14)
  tiff.writeUInt32LE(26, 18)
  tiff.writeUInt16LE(2, 26) // GPS IFD: GPSLatitudeRef 'N', GPSLatitude rationals at 60
  tiff.writeUInt16LE(1, 28)
  tiff.writeUInt16LE(2, 30)
  tiff.writeUInt32LE(2, 32)
  tiff.write('N\u0000', 36, 'latin1')
  tiff.writeUInt16LE(2, 40)
  tiff.writeUInt16LE(5, 42)
  tiff.writeUInt32LE(3, 44)
  tiff.writeUInt32LE(60, 48)
  for (const [k, [n, d]] of [[44, 1], [29, 1], [377, 10]].entries()) {
    tiff.writeUInt32LE(n!, 60 + k * 8)
    tiff.writeUInt32LE(d!, 64 + k * 8)
  }
  tiff.write('SERIAL-SN1234567', 90, 'latin1')
  return Buffer.concat([Buffer.from('Exif\u0000\u0000', 'latin1'), tiff])
}

export function jpegWithMetadata(): Buffer {
  const soi = CLEAN_JPEG.subarray(0, 2)
  const rest = CLEAN_JPEG.subarray(2)
  return Buffer.concat([
    soi,
    segment(0xe1, exifWithGps()),
    rest.subarray(0, 18), // APP0 JFIF
    segment(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\u0000<x:xmpmeta><exif:GPSLatitude>44,29.63N</exif:GPSLatitude></x:xmpmeta>', 'latin1')),
    segment(0xed, Buffer.from('Photoshop 3.0\u0000 IPTC by-line: Mario Rossi', 'latin1')),
    segment(0xfe, Buffer.from('taken by Mario Rossi at via Rizzoli 1', 'latin1')),
    rest.subarray(18),
    Buffer.from('MotionPhoto_Data GPS 44.4938 11.3430', 'latin1'),
  ])
}

