/** Axis arithmetic for the wall's SVG charts: round tick values and linear scales. */

/** About `count` round tick values (1, 2 or 5 × 10ⁿ apart) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return []
  if (max < min) [min, max] = [max, min]
  if (max === min) {
    if (min === 0) return [0, 1]
    const pad = Math.abs(min) * 0.1
    min -= pad
    max += pad
  }
  const raw = (max - min) / Math.max(1, count)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag
  const first = Math.floor(min / step) * step
  const out: number[] = []
  for (let v = first; v <= max + step * 1e-9; v += step) out.push(Number((Math.round(v / step) * step).toPrecision(12)))
  if (out[out.length - 1]! < max) out.push(Number((out[out.length - 1]! + step).toPrecision(12)))
  return out
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2
  const k = (r1 - r0) / (d1 - d0)
  return (v) => r0 + (v - d0) * k
}

/** The upper end of a value axis: the largest value or reference line, rounded up to a tick. */
export function valueAxisMax(values: Iterable<number | null>, references: readonly number[] = []): number {
  let max = 0
  for (const v of values) if (v !== null && Number.isFinite(v) && v > max) max = v
  for (const r of references) if (r > max) max = r
  const ticks = niceTicks(0, max > 0 ? max * 1.05 : 1)
  return ticks[ticks.length - 1] ?? 1
}
