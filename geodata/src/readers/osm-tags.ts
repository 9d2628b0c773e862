/**
 * Rules for OSM tag values as OSMnx exports them: a tag of a simplified edge that merged several
 * ways becomes a JSON list (["30", "50"]), a raw OSM multi-value is "30;50", speeds may carry a
 * unit ("50 mph") or be an implicit zone ("IT:urban"). Each rule is documented in docs/geodata.md.
 */

/** The values of a tag: a list, a ";"-separated string or one value; blanks dropped, order kept, duplicates removed. */
export function osmValues(v: unknown): string[] {
  const raw = Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]
  const out: string[] = []
  for (const item of raw) {
    if (item === null || item === undefined) continue
    for (const part of String(item).split(';')) {
      const t = part.trim()
      if (t !== '' && !out.includes(t)) out.push(t)
    }
  }
  return out
}

/** Highway classes from the most to the least important; a link ranks just below its road. */
export const HIGHWAY_RANK = [
  'motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link', 'tertiary', 'tertiary_link',
  'unclassified', 'residential', 'living_street', 'busway', 'service', 'road', 'track',
] as const

/** The most important class of the list (by HIGHWAY_RANK; unranked classes after ranked ones, first listed wins). */
export function mostImportantHighway(values: readonly string[]): string | null {
  let best: string | null = null
  let bestRank = Number.POSITIVE_INFINITY
  for (const v of values) {
    const i = (HIGHWAY_RANK as readonly string[]).indexOf(v)
    const rank = i === -1 ? HIGHWAY_RANK.length : i
    if (rank < bestRank) {
      best = v
      bestRank = rank
    }
  }
  return best
}

/** Lanes a road can have; anything outside is a typo, not a road. */
const MAX_LANES = 20

/**
 * Lanes of an edge: the largest whole number of the values (a merged edge is as wide as its widest
 * part). Values that are not whole numbers 1–20 are ignored; null when none is left.
 */
export function parseLanes(v: unknown): { lanes: number | null; ignored: string[] } {
  const ignored: string[] = []
  let lanes: number | null = null
  for (const t of osmValues(v)) {
    const n = /^\d+$/.test(t) ? Number(t) : Number.NaN
    if (!Number.isInteger(n) || n < 1 || n > MAX_LANES) {
      ignored.push(t)
      continue
    }
    lanes = lanes === null ? n : Math.max(lanes, n)
  }
  return { lanes, ignored }
}

const KMH_PER_MPH = 1.609344
const KMH_PER_KNOT = 1.852

/** Implicit Italian limits (Codice della strada art. 142), the zone values OSM uses for Italy. */
export const IMPLICIT_MAXSPEED_KMH: Readonly<Record<string, number>> = {
  'IT:urban': 50,
  'IT:rural': 90,
  'IT:trunk': 110,
  'IT:motorway': 130,
  'IT:living_street': 10,
  'IT:zone30': 30,
  'IT:zone20': 20,
}

/** One maxspeed value in km/h, or null (no number: "signals", "variable", "none", unknown zone). */
export function maxspeedValueKmh(t: string): number | null {
  const implicit = IMPLICIT_MAXSPEED_KMH[t]
  if (implicit !== undefined) return implicit
  const m = /^(\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph|knots)?$/i.exec(t)
  if (!m) return null
  const n = Number(m[1])
  const unit = (m[2] ?? 'km/h').toLowerCase()
  const kmh = unit === 'mph' ? n * KMH_PER_MPH : unit === 'knots' ? n * KMH_PER_KNOT : n
  return kmh > 0 ? Math.round(kmh * 10) / 10 : null
}

/**
 * Speed limit of an edge in km/h: the lowest of its values (the limit that binds somewhere along a
 * merged edge). Values without a number ("signals", "none") are ignored; null when none is left.
 */
export function parseMaxspeedKmh(v: unknown): { kmh: number | null; ignored: string[] } {
  const ignored: string[] = []
  let kmh: number | null = null
  for (const t of osmValues(v)) {
    const n = maxspeedValueKmh(t)
    if (n === null) {
      ignored.push(t)
      continue
    }
    kmh = kmh === null ? n : Math.min(kmh, n)
  }
  return { kmh, ignored }
}

/** OSMnx writes a boolean; raw OSM "yes"/"true"/"1" and "-1" (one way against the drawing direction) are one-way too. */
export function parseOneway(v: unknown): boolean {
  if (typeof v === 'boolean') return v
  const t = String(v ?? '').trim().toLowerCase()
  return t === 'yes' || t === 'true' || t === '1' || t === '-1'
}
