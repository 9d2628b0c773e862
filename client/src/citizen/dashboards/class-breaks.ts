/**
 * A choropleth's classes: five classes by quantiles of the areas' values (each class holds about as
 * many areas as the others), fewer when there are fewer distinct values, one when every area has the
 * same value. Areas without data have no class: they are hatched, never coloured as zero.
 * The ramp is sequential (ColorBrewer "Blues", light = low), the same whether a higher value is
 * better or worse; the legend says which.
 */

export const CLASS_COUNT = 5

/** ColorBrewer Blues, 5 classes: light (low) to dark (high); each edge against the next ≥ 1.2:1. */
export const RAMP = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'] as const

export interface ClassBreaks {
  /** Ascending bounds: class i is [bounds[i], bounds[i+1]), the last one closed; length = classes + 1. */
  bounds: number[]
  /** One colour per class, spread over the ramp when there are fewer than five. */
  colours: string[]
}

/**
 * Quantile classes of the values (nulls and non-finite ignored); null when no area has a value. Each
 * class starts at a data value: class i at the value ranked i·n/k. Where repeated values would make
 * a class start where the previous one did (counts with many zeros), it starts at the next distinct
 * value instead, so that different values never share a class while there are classes to spare.
 */
export function quantileBreaks(values: ReadonlyArray<number | null>, classes = CLASS_COUNT): ClassBreaks | null {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return null
  const min = sorted[0]!
  const max = sorted[sorted.length - 1]!
  if (min === max) return { bounds: [min, max], colours: [RAMP[RAMP.length - 1]!] }
  const bounds = [min]
  for (let i = 1; i < classes; i++) {
    const last = bounds[bounds.length - 1]!
    let b = sorted[Math.floor((i * sorted.length) / classes)]!
    if (b <= last) b = sorted.find((v) => v > last) ?? last
    if (b > last) bounds.push(b)
  }
  // The last class is closed: [.., max]; when the max starts a class of its own, that class is [max, max].
  bounds.push(max)
  return { bounds, colours: rampOf(bounds.length - 1) }
}

/** n colours spread over the ramp, keeping its light and dark ends. */
export function rampOf(n: number): string[] {
  if (n >= RAMP.length) return [...RAMP]
  if (n === 1) return [RAMP[RAMP.length - 1]!]
  return Array.from({ length: n }, (_, i) => RAMP[Math.round((i * (RAMP.length - 1)) / (n - 1))]!)
}

/** The class of a value (0-based), or null for no data. Values outside the bounds go to the nearest end class. */
export function classOf(breaks: ClassBreaks, value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null
  const last = breaks.bounds.length - 2
  for (let i = 0; i < last; i++) if (value < breaks.bounds[i + 1]!) return i
  return last
}

export function colourOf(breaks: ClassBreaks, value: number | null): string | null {
  const c = classOf(breaks, value)
  return c === null ? null : breaks.colours[c]!
}

/**
 * The legend's text of each class: "lo – hi" with the class's own values; for whole numbers the upper
 * bound of a class that is not the last is the next one's lower bound less one ("0 – 2", "3 – 7").
 */
export function classLabels(breaks: ClassBreaks, write: (n: number) => string, integer: boolean): string[] {
  const n = breaks.bounds.length - 1
  return Array.from({ length: n }, (_, i) => {
    const lo = breaks.bounds[i]!
    const isLast = i === n - 1
    const hi = integer && !isLast ? breaks.bounds[i + 1]! - 1 : breaks.bounds[i + 1]!
    return hi <= lo ? write(lo) : `${write(lo)} – ${write(hi)}`
  })
}
