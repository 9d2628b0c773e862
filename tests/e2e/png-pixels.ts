import { inflateSync } from 'node:zlib'

/**
 * Colour statistics of a PNG screenshot (8-bit RGB or RGBA, not interlaced, as Chromium writes them),
 * so a browser test can tell a drawn map from a blank or a one-colour canvas.
 */
export interface PngStats {
  width: number
  height: number
  /** Distinct colours, counted on a 6-bit-per-channel grid (anti-aliasing noise merged). */
  colours: number
  /** Share of pixels that have the most common colour, 0..1. */
  dominantShare: number
  /** Mean luma (0..255) of the most common colour: dark or light background. */
  dominantLuma: number
}

/** Calls `pixel` with each pixel's red, green and blue (8-bit RGB or RGBA, not interlaced); returns the size. */
function eachPixel(png: Buffer, pixel: (r: number, g: number, b: number) => void): { width: number; height: number } {
  let offset = 8
  let width = 0
  let height = 0
  let channels = 0
  const idat: Buffer[] = []
  while (offset < png.length) {
    const length = png.readUInt32BE(offset)
    const type = png.toString('ascii', offset + 4, offset + 8)
    const data = png.subarray(offset + 8, offset + 8 + length)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      const [depth, colourType, , , interlace] = [data[8], data[9], data[10], data[11], data[12]]
      if (depth !== 8 || interlace !== 0 || (colourType !== 2 && colourType !== 6)) throw new Error(`pngStats: unsupported PNG (depth ${depth}, colour type ${colourType}, interlace ${interlace})`)
      channels = colourType === 6 ? 4 : 3
    } else if (type === 'IDAT') idat.push(data)
    offset += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const prev = new Uint8Array(stride)
  const line = new Uint8Array(stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? (line[i - channels] ?? 0) : 0
      const b = prev[i] ?? 0
      const c = i >= channels ? (prev[i - channels] ?? 0) : 0
      const x = src[i] ?? 0
      let v = x
      if (filter === 1) v = x + a
      else if (filter === 2) v = x + b
      else if (filter === 3) v = x + ((a + b) >> 1)
      else if (filter === 4) {
        const p = a + b - c
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)]
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
      }
      line[i] = v & 255
    }
    for (let i = 0; i < stride; i += channels) pixel(line[i]!, line[i + 1]!, line[i + 2]!)
    prev.set(line)
  }
  return { width, height }
}

export function pngStats(png: Buffer): PngStats {
  const counts = new Map<number, number>()
  const { width, height } = eachPixel(png, (r, g, b) => {
    const key = ((r >> 2) << 12) | ((g >> 2) << 6) | (b >> 2)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  })
  let dominant = 0
  let dominantCount = 0
  for (const [key, n] of counts) if (n > dominantCount) [dominant, dominantCount] = [key, n]
  const [r, g, b] = [(dominant >> 12) << 2, ((dominant >> 6) & 63) << 2, (dominant & 63) << 2]
  return { width, height, colours: counts.size, dominantShare: dominantCount / (width * height), dominantLuma: 0.2126 * r + 0.7152 * g + 0.0722 * b }
}

/** How many pixels a predicate of their red, green and blue accepts (e.g. saturated ones: a colour on a grey map). */
export function pngPixelsWhere(png: Buffer, accept: (r: number, g: number, b: number) => boolean): number {
  let n = 0
  eachPixel(png, (r, g, b) => {
    if (accept(r, g, b)) n++
  })
  return n
}

/**
 * How many pixels lie within `tolerance` (the largest per-channel difference) of each colour
 * (`#rrggbb`): a drawn layer of known colours tells itself from the base map this way.
 */
export function pngPixelsNear(png: Buffer, colours: readonly string[], tolerance: number): number[] {
  const targets = colours.map((c) => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16)) as [number, number, number])
  const counts = targets.map(() => 0)
  eachPixel(png, (r, g, b) => {
    targets.forEach(([tr, tg, tb], k) => {
      if (Math.abs(r - tr) <= tolerance && Math.abs(g - tg) <= tolerance && Math.abs(b - tb) <= tolerance) counts[k]!++
    })
  })
  return counts
}
