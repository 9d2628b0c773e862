/**
 * package_search over the catalogue (docs/opendata.md "CKAN API"), the subset of CKAN's Solr query
 * language harvesters and portals send:
 *   q      words, all of which must appear in the title, description, keywords or id (case- and
 *          accent-insensitive); `*:*` or empty = everything
 *   fq     space-separated clauses `field:value` or `field:[from TO to]` (`*` open): metadata_modified,
 *          metadata_created (ISO dates), name, id, tags, res_format, organization, license_id, theme
 *   sort   `metadata_modified desc|asc`, `metadata_created …`, `name …`, `id …`, `title_string …`,
 *          `score desc, metadata_modified desc` (CKAN's default)
 *   rows   0–1000 (default 10), start ≥ 0
 * Anything else is a "Search Query Error" naming what is not understood, as CKAN answers.
 */
import type { CkanPackage } from './ckan-package'

export class CkanSearchError extends Error {}

export interface SearchParams {
  q?: string
  fq?: string
  sort?: string
  rows?: string
  start?: string
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

type Clause = (p: CkanPackage) => boolean

function rangeClause(field: 'metadata_modified' | 'metadata_created', from: string, to: string): Clause {
  const parse = (v: string, end: boolean) => {
    if (v === '*') return end ? Infinity : -Infinity
    const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) || v.length <= 10 ? v : `${v}Z`)
    if (!Number.isFinite(t)) throw new CkanSearchError(`Can't parse date "${v}" in fq; write an ISO date, e.g. 2026-11-01T00:00:00Z, or *`)
    return t
  }
  const lo = parse(from, false)
  const hi = parse(to, true)
  return (p) => {
    const v = p[field]
    if (v === null) return false
    const t = Date.parse(`${v}Z`)
    return t >= lo && t <= hi
  }
}

function valueClause(field: string, raw: string): Clause {
  const v = raw.replace(/^"(.*)"$/, '$1')
  switch (field) {
    case 'name':
    case 'id':
      return (p) => p.name === v
    case 'tags':
      return (p) => p.tags.some((t) => fold(t.name) === fold(v))
    case 'res_format':
      return (p) => p.resources.some((r) => fold(r.format) === fold(v) || fold(r.distribution_format) === fold(v))
    case 'organization':
    case 'owner_org':
      return (p) => p.owner_org === v
    case 'license_id':
      return (p) => p.license_id === v
    case 'theme':
      return (p) => (JSON.parse(p.theme) as Array<{ theme: string }>).some((t) => t.theme === v.toUpperCase())
    default:
      throw new CkanSearchError(`fq field "${field}" is not searchable here; use metadata_modified, metadata_created, name, id, tags, res_format, organization, license_id or theme`)
  }
}

export function parseFq(fq: string): Clause[] {
  const clauses: Clause[] = []
  const re = /\+?([a-z_]+):(\[(\S+) TO (\S+)\]|"[^"]*"|\S+)/g
  let rest = fq
  for (const m of fq.matchAll(re)) {
    rest = rest.replace(m[0], '')
    const field = m[1]!
    if (m[3] !== undefined && m[4] !== undefined) {
      if (field !== 'metadata_modified' && field !== 'metadata_created') throw new CkanSearchError(`A range is understood on metadata_modified and metadata_created only, not on "${field}"`)
      clauses.push(rangeClause(field, m[3], m[4]))
    } else clauses.push(valueClause(field, m[2]!))
  }
  if (rest.trim() !== '') throw new CkanSearchError(`Can't understand "${rest.trim()}" in fq; write field:value or field:[from TO to]`)
  return clauses
}

const SORTS: Record<string, (a: CkanPackage, b: CkanPackage) => number> = {
  metadata_modified: (a, b) => (a.metadata_modified ?? '').localeCompare(b.metadata_modified ?? ''),
  metadata_created: (a, b) => (a.metadata_created ?? '').localeCompare(b.metadata_created ?? ''),
  name: (a, b) => a.name.localeCompare(b.name),
  id: (a, b) => a.id.localeCompare(b.id),
  title_string: (a, b) => a.title.localeCompare(b.title, 'it'),
}

function sorter(sort: string): (a: CkanPackage, b: CkanPackage) => number {
  const keys = sort.split(',').map((s) => s.trim()).filter((s) => s !== '' && !/^score\s/.test(s))
  const fns = keys.map((k) => {
    const [field, dir = 'asc'] = k.split(/\s+/)
    const f = SORTS[field!]
    if (!f || !['asc', 'desc'].includes(dir)) throw new CkanSearchError(`Can't sort by "${k}"; sort by metadata_modified, metadata_created, name, id or title_string, asc or desc`)
    return dir === 'desc' ? (a: CkanPackage, b: CkanPackage) => f(b, a) : f
  })
  return (a, b) => {
    for (const f of fns) {
      const c = f(a, b)
      if (c !== 0) return c
    }
    return a.name.localeCompare(b.name)
  }
}

const intIn = (raw: string | undefined, dflt: number, min: number, max: number, what: string) => {
  if (raw === undefined || raw === '') return dflt
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new CkanSearchError(`${what} must be a whole number from ${min} to ${max}`)
  return n
}

export function searchPackages(all: readonly CkanPackage[], p: SearchParams): { count: number; sort: string; results: CkanPackage[] } {
  const rows = intIn(p.rows, 10, 0, 1000, 'rows')
  const start = intIn(p.start, 0, 0, 1_000_000, 'start')
  const sort = p.sort?.trim() || 'score desc, metadata_modified desc'
  let q = (p.q ?? '').trim()
  // Field queries in q (name:x, tags:y) are filters, as Solr reads them.
  const fieldsInQ = q === '*:*' ? '' : [...q.matchAll(/\+?[a-z_]+:(\[\S+ TO \S+\]|"[^"]*"|\S+)/g)].map((m) => m[0]).join(' ')
  if (fieldsInQ !== '') for (const f of fieldsInQ.split(' ')) q = q.replace(f, ' ')
  const clauses = [...(p.fq ? parseFq(p.fq) : []), ...(fieldsInQ ? parseFq(fieldsInQ) : [])]
  q = q.trim()
  const words = q === '' || q === '*:*' ? [] : fold(q).split(/\s+/).filter(Boolean)
  const matched = all.filter((pkg) => {
    if (!clauses.every((c) => c(pkg))) return false
    if (words.length === 0) return true
    const text = fold([pkg.name, pkg.title, pkg.notes, ...pkg.tags.map((t) => t.name)].join(' '))
    return words.every((w) => text.includes(w))
  })
  const ordered = [...matched].sort(sorter(sort))
  return { count: matched.length, sort, results: ordered.slice(start, start + rows) }
}
