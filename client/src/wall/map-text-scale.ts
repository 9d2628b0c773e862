/**
 * Map labels for the wall: the base-map style is drawn for a desk screen, so the wall multiplies the
 * size of its labels and icons by the wall's type scale. A zoom curve keeps its shape: only its
 * outputs are multiplied (MapLibre allows ['zoom'] only at the top of an interpolate or step).
 */

type Json = unknown

const isArray = (v: Json): v is Json[] => Array.isArray(v)
const times = (v: Json, factor: number): Json => (typeof v === 'number' ? round(v * factor) : ['*', v, factor])
const round = (v: number) => Math.round(v * 1000) / 1000

/** A `text-size` or `icon-size` value (number, legacy function, expression, or unset) times `factor`. */
export function scaledSize(value: Json, factor: number, unset: number): Json {
  if (value === undefined || value === null) return round(unset * factor)
  if (typeof value === 'number') return round(value * factor)
  if (isArray(value)) {
    const [op] = value
    if (op === 'interpolate' || op === 'interpolate-hcl' || op === 'interpolate-lab') {
      // [op, interpolation, input, z0, v0, z1, v1, …]
      return value.map((v, i) => (i >= 4 && i % 2 === 0 ? times(v, factor) : v))
    }
    if (op === 'step') {
      // ['step', input, v0, z1, v1, …]
      return value.map((v, i) => (i >= 2 && i % 2 === 0 ? times(v, factor) : v))
    }
    return ['*', value, factor]
  }
  if (typeof value === 'object' && isArray((value as { stops?: Json }).stops)) {
    const f = value as { stops: Array<[Json, Json]> }
    return { ...f, stops: f.stops.map(([z, v]) => [z, times(v, factor)]) }
  }
  return value
}
