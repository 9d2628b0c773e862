/**
 * Small checks shared by the readers: coordinates inside the city envelope, numbers written the
 * way the Comune writes them, slugs for device ids.
 */
import type { LonLat } from '../../../contracts/schemas/device'

/** A lon/lat box; every imported position and vertex must fall inside it. */
export interface Envelope {
  minLon: number
  minLat: number
  maxLon: number
  maxLat: number
}

/** A generous box around the comune of Bologna (the comune spans about 11.23–11.43 E, 44.42–44.56 N). */
export const BOLOGNA_ENVELOPE: Envelope = { minLon: 11.15, minLat: 44.38, maxLon: 11.55, maxLat: 44.6 }

/** A plain decimal number ("11.3462", "-3", "3.0"); anything else (thousands separators, commas, text) is NaN. */
export function parseDecimal(text: string): number {
  const t = text.trim()
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : Number.NaN
}

export function inEnvelope([lon, lat]: LonLat, env: Envelope): boolean {
  return lon >= env.minLon && lon <= env.maxLon && lat >= env.minLat && lat <= env.maxLat
}

export function describeEnvelope(env: Envelope): string {
  return `lon ${env.minLon}–${env.maxLon}, lat ${env.minLat}–${env.maxLat}`
}

/**
 * Checks a lon/lat pair read from two text cells. Returns the position, or the reason it cannot be
 * used (not a number, or outside the envelope).
 */
export function checkLonLat(lonText: string, latText: string, env: Envelope): { position: LonLat } | { problem: string } {
  const lon = parseDecimal(lonText)
  const lat = parseDecimal(latText)
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return { problem: `lon/lat are not numbers ("${lonText}", "${latText}")` }
  if (!inEnvelope([lon, lat], env)) return { problem: `position ${lon}, ${lat} is outside the city envelope (${describeEnvelope(env)})` }
  return { position: [lon, lat] }
}

/**
 * Lowercase ASCII slug for ids: accents dropped, every run of other characters becomes one "-".
 * "Laura_Bassi" → "laura-bassi", "DE AMICIS" → "de-amicis", "Città" → "citta".
 */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** "GIARDINI MARGHERITA" → "Giardini Margherita". */
export function titleCase(text: string): string {
  return text.toLowerCase().replace(/(^|[\s'(-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase())
}

/** PostgreSQL text cannot hold NUL; a cell carrying one is a broken file, not a name. */
export function hasNul(text: string): boolean {
  return text.includes('\u0000')
}

/** An integer written as "3", "3.0" or "93.0" → "3", "93"; other text is returned trimmed. */
export function tidyNumberText(text: string): string {
  const t = text.trim()
  return /^\d+\.0+$/.test(t) ? t.replace(/\.0+$/, '') : t
}
