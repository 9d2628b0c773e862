import { describe, expect, it } from 'vitest'
import type { OpenDataCatalogue, OpenDataset } from '../../../../contracts/opendata-api'
import { facets, filterDatasets, filterFromQuery, filterToQuery, foldText, listedDatasets, searchWords, shorten, EMPTY_FILTER } from './catalogue-search'

function dataset(o: Partial<OpenDataset> = {}): OpenDataset {
  const id = o.id ?? 'prova'
  return {
    id, identifier: `c_a944:${id}`, title: { it: 'Prova', en: 'Test' }, description: { it: 'Descrizione', en: 'Description' }, keywords: [], themes: ['GOVE'], frequency: 'DAILY',
    licence: 'CC-BY-4.0', sources: [], geometry: null, columns: [], status: 'published', refusal: null, issuedMs: 1, modifiedMs: 1, refreshedMs: 1, rowCount: 3, temporal: null, bbox: null,
    distributions: [{ format: 'csv', title: 'x', url: `/opendata/datasets/${id}/data.csv`, mediaType: 'text/csv', fileType: 'CSV', byteSize: 10, sha256: 'ab', licence: 'CC-BY-4.0' }],
    ...o,
  }
}
const geo = (id: string, o: Partial<OpenDataset> = {}) =>
  dataset({ id, geometry: 'Point', distributions: (['csv', 'geojson', 'api'] as const).map((format) => ({ format, title: format, url: `/${format}`, mediaType: 'x', fileType: 'x', byteSize: null, sha256: null, licence: 'CC-BY-4.0' as const })), ...o })

const air = dataset({ id: 'aria', title: { it: 'Qualità dell’aria', en: 'Air quality' }, description: { it: 'Medie orarie degli inquinanti', en: 'Hourly means of pollutants' }, keywords: ['PM10', 'ambiente'], themes: ['ENVI', 'HEAL'] })
const sensors = geo('sensori', { title: { it: 'Sensori del gemello digitale', en: 'Sensors of the digital twin' }, keywords: ['sensori', 'spire'], themes: ['TRAN', 'ENVI'] })
const traffic = dataset({ id: 'traffico', title: { it: 'Flussi di traffico', en: 'Traffic flows' }, themes: ['TRAN'] })
const all = [air, sensors, traffic]
const ids = (ds: OpenDataset[]) => ds.map((d) => d.id)

describe('searching the catalogue', () => {
  it('folds case, accents and typographic apostrophes', () => {
    expect(foldText('Qualità dell’Aria')).toBe("qualita dell'aria")
    expect(searchWords('  Qualità, dell’aria! ')).toEqual(['qualita', 'dell', 'aria'])
  })

  it('matches every word, without accents, in the title, description or keywords', () => {
    expect(ids(filterDatasets(all, { ...EMPTY_FILTER, query: 'qualita aria' }, 'it'))).toEqual(['aria'])
    expect(ids(filterDatasets(all, { ...EMPTY_FILTER, query: 'pm10' }, 'it'))).toEqual(['aria'])
    expect(ids(filterDatasets(all, { ...EMPTY_FILTER, query: 'inquinanti orarie' }, 'it'))).toEqual(['aria'])
    expect(ids(filterDatasets(all, { ...EMPTY_FILTER, query: 'aria traffico' }, 'it'))).toEqual([])
  })

  it('matches English words for an English visitor, and the Italian ones too', () => {
    expect(ids(filterDatasets(all, { ...EMPTY_FILTER, query: 'pollutants' }, 'en'))).toEqual(['aria'])
    expect(ids(filterDatasets(all, { ...EMPTY_FILTER, query: 'inquinanti' }, 'en'))).toEqual(['aria'])
    expect(ids(filterDatasets(all, { ...EMPTY_FILTER, query: 'pollutants' }, 'it'))).toEqual([])
  })

  it('filters by any of the themes ticked and any of the formats ticked, both together', () => {
    expect(ids(filterDatasets(all, { ...EMPTY_FILTER, themes: ['TRAN'] }, 'it'))).toEqual(['sensori', 'traffico'])
    expect(ids(filterDatasets(all, { ...EMPTY_FILTER, themes: ['HEAL', 'TRAN'] }, 'it'))).toEqual(['aria', 'sensori', 'traffico'])
    expect(ids(filterDatasets(all, { ...EMPTY_FILTER, formats: ['geojson'] }, 'it'))).toEqual(['sensori'])
    expect(ids(filterDatasets(all, { query: 'sensori', themes: ['TRAN'], formats: ['api'] }, 'it'))).toEqual(['sensori'])
  })

  it('counts the datasets of each theme and format, in the vocabularies’ order', () => {
    expect(facets(all)).toEqual({ themes: [['ENVI', 2], ['HEAL', 1], ['TRAN', 2]], formats: [['csv', 3], ['geojson', 1], ['api', 1]] })
  })
})

describe('what the portal lists', () => {
  it('lists only published datasets that have files', () => {
    const c = { datasets: [air, dataset({ id: 'rifiutato', status: 'refused' }), dataset({ id: 'vuoto', status: 'pending', distributions: [] })] } as unknown as OpenDataCatalogue
    expect(ids(listedDatasets(c))).toEqual(['aria'])
  })
})

describe('the filter in the address', () => {
  it('writes and reads it back, keeping the language parameter and dropping unknown values', () => {
    const q = filterToQuery({ query: 'qualità aria', themes: ['ENVI', 'TRAN'], formats: ['csv'] }, '?lang=en&q=old')
    expect(q).toBe('?lang=en&q=qualit%C3%A0+aria&tema=ENVI&tema=TRAN&formato=csv')
    expect(filterFromQuery(q)).toEqual({ query: 'qualità aria', themes: ['ENVI', 'TRAN'], formats: ['csv'] })
    expect(filterFromQuery('?tema=XXX&formato=pdf')).toEqual(EMPTY_FILTER)
    expect(filterToQuery(EMPTY_FILTER, '')).toBe('')
  })
})

describe('shortening a description', () => {
  it('cuts at a word boundary with an ellipsis, and leaves a short text alone', () => {
    expect(shorten('Short text.', 50)).toBe('Short text.')
    expect(shorten('Medie orarie di flusso, occupazione e velocità misurate da ciascuna spira', 30)).toBe('Medie orarie di flusso…')
  })
})
