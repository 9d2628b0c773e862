/**
 * How a census feature is named in lists, on the map and in relation fields: its name, else its
 * source identifier, else its street, else "#id"; and the list's search over those and the id. Pure.
 */
import type { PropertyValue } from '../../../contracts/schemas/census'

interface Named {
  id: number
  properties: Readonly<Record<string, PropertyValue>>
}

const text = (v: PropertyValue | undefined) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null)

export function featureLabel(f: Named): string {
  return text(f.properties.name) ?? text(f.properties.externalId) ?? text(f.properties.streetName) ?? `#${f.id}`
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

/** Every word of the query is in the id, the name, the source id, the street or the owner (accents ignored). */
export function matchesSearch(f: Named, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const p = f.properties
  const hay = fold([String(f.id), `#${f.id}`, p.name, p.externalId, p.streetName, p.owner, p.intersectionCode].filter((x) => typeof x === 'string' || typeof x === 'number').join(' '))
  return words.every((w) => hay.includes(w))
}
