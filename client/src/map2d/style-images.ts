import type { Map as MapLibreMap } from 'maplibre-gl'

/** Colours of our icons, from the style's `metadata["gemello:images"]` (server/src/style/base-style.ts). */
export interface StyleImageColours {
  'gemello-signal'?: { fill: string; stroke: string }
  'gemello-detector'?: { fill: string; stroke: string }
  'gemello-ztl-hatch'?: { line: string }
}

const RATIO = 2

type Draw = (ctx: CanvasRenderingContext2D) => void

function raster(width: number, height: number, draw: Draw): ImageData {
  const canvas = document.createElement('canvas')
  canvas.width = width * RATIO
  canvas.height = height * RATIO
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('style images: no 2D canvas context')
  ctx.scale(RATIO, RATIO)
  draw(ctx)
  return ctx.getImageData(0, 0, canvas.width, canvas.height)
}

/** A traffic-light pictogram: a rounded body with three lamps cut out, the shape says what it is. */
function signal({ fill, stroke }: { fill: string; stroke: string }): ImageData {
  return raster(14, 22, (ctx) => {
    ctx.beginPath()
    ctx.roundRect(1.5, 1.5, 11, 19, 3)
    ctx.fillStyle = fill
    ctx.fill()
    ctx.lineWidth = 1.5
    ctx.strokeStyle = stroke
    ctx.stroke()
    ctx.fillStyle = stroke
    for (const y of [6, 11, 16]) {
      ctx.beginPath()
      ctx.arc(7, y, 2, 0, Math.PI * 2)
      ctx.fill()
    }
  })
}

/** An induction loop seen from above: a small rectangle across the lane. */
function detector({ fill, stroke }: { fill: string; stroke: string }): ImageData {
  return raster(12, 12, (ctx) => {
    ctx.fillStyle = stroke
    ctx.fillRect(1, 1, 10, 10)
    ctx.strokeStyle = fill
    ctx.lineWidth = 2
    ctx.strokeRect(2.5, 2.5, 7, 7)
  })
}

/** Diagonal hatching for the ZTL zones, seamless when tiled. */
function hatch({ line }: { line: string }): ImageData {
  return raster(8, 8, (ctx) => {
    ctx.strokeStyle = line
    ctx.lineWidth = 1
    ctx.beginPath()
    for (const o of [-8, 0, 8]) {
      ctx.moveTo(o, 8)
      ctx.lineTo(o + 8, 0)
    }
    ctx.stroke()
  })
}

/** Adds (or replaces) the images the current style names, in the current style's colours. */
export function addStyleImages(map: MapLibreMap): void {
  const metadata = (map.getStyle()?.metadata ?? {}) as Record<string, unknown>
  const colours = (metadata['gemello:images'] ?? {}) as StyleImageColours
  const images: Array<[string, ImageData | null]> = [
    ['gemello-signal', colours['gemello-signal'] ? signal(colours['gemello-signal']) : null],
    ['gemello-detector', colours['gemello-detector'] ? detector(colours['gemello-detector']) : null],
    ['gemello-ztl-hatch', colours['gemello-ztl-hatch'] ? hatch(colours['gemello-ztl-hatch']) : null],
  ]
  for (const [id, data] of images) {
    if (!data) continue
    if (map.hasImage(id)) map.removeImage(id)
    map.addImage(id, data, { pixelRatio: RATIO })
  }
}
