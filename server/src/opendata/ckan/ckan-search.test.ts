import { describe, expect, it } from 'vitest'
import type { OpenDataset } from '../../../../contracts/opendata-api'
import { ckanPackage } from './ckan-package'
import { CkanSearchError, searchPackages } from './ckan-search'

const ctx = { publisher: { name: 'Comune di Bologna', ipaCode: 'c_a944' }, contact: { name: 'Open data', email: 'opendata@comune.bologna.it' }, base: 'https://g.example' }
const dataset = (id: string, o: Partial<OpenDataset> = {}): OpenDataset => ({
  id, identifier: `c_a944:${id}`, title: { it: id, en: id }, description: { it: '', en: '' }, keywords: [], themes: ['TRAN'], frequency: 'DAILY', licence: 'CC-BY-4.0',
  sources: [], geometry: null, columns: [], status: 'published', refusal: null, issuedMs: Date.parse('2026-01-01T00:00:00Z'), modifiedMs: Date.parse('2026-01-01T00:00:00Z'),
  refreshedMs: null, rowCount: 1, temporal: null, bbox: null,
  distributions: [{ format: 'csv', title: 'x', url: 'https://g.example/x.csv', mediaType: 'text/csv', fileType: 'CSV', byteSize: 1, sha256: 'a'.repeat(64), licence: 'CC-BY-4.0' }], ...o,
})
const all = [
  dataset('qualita-aria', { title: { it: 'Qualità dell’aria', en: 'Air quality' }, themes: ['ENVI'], keywords: ['inquinamento'], modifiedMs: Date.parse('2026-11-20T10:00:00Z') }),
  dataset('traffico', { keywords: ['spire'], modifiedMs: Date.parse('2026-11-27T10:00:00Z') }),
  dataset('sensori', { licence: 'ODbL-1.0', distributions: [] }),
].map((d) => ckanPackage(d, ctx))
const ids = (r: { results: Array<{ id: string }> }) => r.results.map((p) => p.id)

describe('package_search', () => {
  it('answers everything by default, newest first (CKAN’s default sort), 10 at a time', () => {
    const r = searchPackages(all, {})
    expect(r.count).toBe(3)
    expect(ids(r)).toEqual(['traffico', 'qualita-aria', 'sensori'])
    expect(r.sort).toBe('score desc, metadata_modified desc')
  })

  it('matches every word, without accents or case, in title, notes, tags and name', () => {
    expect(ids(searchPackages(all, { q: 'QUALITA aria' }))).toEqual(['qualita-aria'])
    expect(ids(searchPackages(all, { q: 'Inquinamento' }))).toEqual(['qualita-aria'])
    expect(ids(searchPackages(all, { q: 'qualita spire' }))).toEqual([])
    expect(ids(searchPackages(all, { q: '*:*', sort: 'name asc' }))).toEqual(['qualita-aria', 'sensori', 'traffico'])
  })

  it('filters by metadata_modified ranges, themes, formats, licences and names, also written in q', () => {
    expect(ids(searchPackages(all, { fq: 'metadata_modified:[2026-11-21T00:00:00Z TO *]' }))).toEqual(['traffico'])
    expect(ids(searchPackages(all, { fq: 'metadata_modified:[* TO 2026-11-21T00:00:00.000Z]', sort: 'id asc' }))).toEqual(['qualita-aria', 'sensori'])
    expect(ids(searchPackages(all, { fq: 'theme:ENVI' }))).toEqual(['qualita-aria'])
    expect(ids(searchPackages(all, { fq: 'res_format:csv', sort: 'id asc' }))).toEqual(['qualita-aria', 'traffico'])
    expect(ids(searchPackages(all, { fq: 'license_id:odc-odbl' }))).toEqual(['sensori'])
    expect(ids(searchPackages(all, { q: 'name:traffico' }))).toEqual(['traffico'])
    expect(ids(searchPackages(all, { fq: '+organization:c_a944 +tags:spire' }))).toEqual(['traffico'])
  })

  it('pages with rows and start, and ends with an empty page', () => {
    const page = (start: number) => ids(searchPackages(all, { rows: '2', start: String(start), sort: 'id asc' }))
    expect([page(0), page(2), page(4)]).toEqual([['qualita-aria', 'sensori'], ['traffico'], []])
  })

  it('names what it does not understand', () => {
    expect(() => searchPackages(all, { fq: 'author:x' })).toThrow(new CkanSearchError('fq field "author" is not searchable here; use metadata_modified, metadata_created, name, id, tags, res_format, organization, license_id or theme'))
    expect(() => searchPackages(all, { fq: 'metadata_modified:[yesterday TO *]' })).toThrow(/Can't parse date "yesterday"/)
    expect(() => searchPackages(all, { sort: 'views desc' })).toThrow(/Can't sort by "views desc"/)
    expect(() => searchPackages(all, { rows: '5000' })).toThrow('rows must be a whole number from 0 to 1000')
    expect(() => searchPackages(all, { fq: 'hello' })).toThrow(/Can't understand "hello" in fq/)
  })
})
