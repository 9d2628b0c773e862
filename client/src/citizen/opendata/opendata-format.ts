/**
 * How the portal writes the metadata's numbers for people: file sizes in B/kB/MB (SI, as the
 * download managers show them), dates in the visitor's language and Rome's time, a SHA-256 shortened
 * for the eye, the bounding box in degrees.
 */
import { LICENCES, type LicenceKey } from '../../../../contracts/opendata-api'
import type { PortalLanguage } from './catalogue-search'

const locale = (lang: PortalLanguage) => (lang === 'en' ? 'en-GB' : 'it-IT')

export function formatBytes(bytes: number, lang: PortalLanguage): string {
  const n = (x: number, digits: number) => new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits }).format(x)
  if (bytes < 1000) return `${n(bytes, 0)} B`
  if (bytes < 1_000_000) return `${n(bytes / 1000, 1)} kB`
  return `${n(bytes / 1_000_000, 1)} MB`
}

export function formatDay(ms: number, lang: PortalLanguage): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeZone: 'Europe/Rome' }).format(ms)
}

export function formatMoment(ms: number, lang: PortalLanguage): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Rome' }).format(ms)
}

/** The first 12 hex digits: enough to compare by eye; the full one is given beside it. */
export const shortHash = (sha256: string) => (sha256.length > 12 ? `${sha256.slice(0, 12)}…` : sha256)

/** [west, south, east, north] as degrees with 4 decimals (≈ 10 m). */
export function bboxDegrees(bbox: readonly [number, number, number, number], lang: PortalLanguage): { w: string; s: string; e: string; n: string } {
  const f = new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 4, maximumFractionDigits: 4 })
  return { w: f.format(bbox[0]), s: f.format(bbox[1]), e: f.format(bbox[2]), n: f.format(bbox[3]) }
}

/** "CC BY 4.0" from "Creative Commons … (CC BY 4.0)": the name people know a licence by (the dataset's page gives the full one). */
export function licenceShortName(key: LicenceKey): string {
  const name = LICENCES[key].name
  return /\(([^()]+)\)$/.exec(name)?.[1] ?? name
}

/** The language the portal shows a label in (Italian unless the visitor chose English). */
export function portalLanguage(resolved: string | undefined): PortalLanguage {
  return (resolved ?? 'it').startsWith('en') ? 'en' : 'it'
}
