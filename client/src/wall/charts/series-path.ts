/** SVG path data of a time series, with gaps where values are missing. */
import { linearScale } from './scale'

export interface SeriesPoint {
  tMs: number
  value: number | null
}

export interface PlotBox {
  width: number
  height: number
  /** Inner margin, so strokes and end dots are not clipped. */
  pad: number
}

/** "M…L…" segments through the points inside [fromMs, toMs] on a 0..yMax axis; a null value breaks the line. */
export function seriesPath(points: readonly SeriesPoint[], fromMs: number, toMs: number, yMax: number, box: PlotBox): string {
  const x = linearScale(fromMs, toMs, box.pad, box.width - box.pad)
  const y = linearScale(0, yMax, box.height - box.pad, box.pad)
  let d = ''
  let pen = false
  for (const p of [...points].sort((a, b) => a.tMs - b.tMs)) {
    if (p.value === null || !Number.isFinite(p.value) || p.tMs < fromMs || p.tMs > toMs) {
      pen = false
      continue
    }
    d += `${pen ? 'L' : 'M'}${round(x(p.tMs))} ${round(y(Math.min(p.value, yMax)))}`
    pen = true
  }
  return d
}

/** The last point with a value, or null. */
export function lastValue(points: readonly SeriesPoint[]): SeriesPoint | null {
  let last: SeriesPoint | null = null
  for (const p of points) if (p.value !== null && Number.isFinite(p.value) && (!last || p.tMs > last.tMs)) last = p
  return last
}

const round = (v: number) => Math.round(v * 10) / 10
