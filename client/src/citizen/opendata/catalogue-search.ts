/**
 * What the open-data portal lists and how a visitor narrows it: only published datasets with files;
 * words matched (all of them, accent- and case-insensitive) in the title, description and keywords,
 * in the visitor's language and in Italian; themes and formats each "any of those ticked", together
 * "all groups". The filter lives in the address (?q=…&tema=…&formato=…) so Back returns to it.
 */
import { DATA_THEMES, DISTRIBUTION_FORMATS, type DataTheme, type DistributionFormat, type OpenDataCatalogue, type OpenDataset } from '../../../../contracts/opendata-api'

export type PortalLanguage = 'it' | 'en'

export interface CatalogueFilter {
  query: string
  themes: DataTheme[]
  formats: DistributionFormat[]
}

export const EMPTY_FILTER: CatalogueFilter = { query: '', themes: [], formats: [] }

/** Lower case, without accents, with typographic apostrophes made plain: "Qualità dell’Aria" → "qualita dell'aria". */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[’‘`´]/g, "'")
}

/** The words of a search, folded; punctuation separates words. */
export function searchWords(query: string): string[] {
  return foldText(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
}

/** The datasets a visitor can download: published, with at least one file. */
export function listedDatasets(c: OpenDataCatalogue): OpenDataset[] {
  return c.datasets.filter((d) => d.status === 'published' && d.distributions.length > 0)
}

const formatsOf = (d: OpenDataset) => new Set(d.distributions.map((x) => x.format))

function searchableText(d: OpenDataset, lang: PortalLanguage): string {
  const parts = [d.title[lang], d.description[lang], ...d.keywords]
  if (lang !== 'it') parts.push(d.title.it, d.description.it)
  return foldText(parts.join(' \n '))
}

export function filterDatasets(datasets: readonly OpenDataset[], f: CatalogueFilter, lang: PortalLanguage): OpenDataset[] {
  const words = searchWords(f.query)
  return datasets.filter((d) => {
    if (f.themes.length > 0 && !d.themes.some((t) => f.themes.includes(t))) return false
    if (f.formats.length > 0) {
      const has = formatsOf(d)
      if (!f.formats.some((x) => has.has(x))) return false
    }
    if (words.length === 0) return true
    const text = searchableText(d, lang)
    return words.every((w) => text.includes(w))
  })
}

/** How many of `datasets` have each theme and each format: the filters offered, in the vocabularies' order. */
export function facets(datasets: readonly OpenDataset[]): { themes: Array<[DataTheme, number]>; formats: Array<[DistributionFormat, number]> } {
  const themes = DATA_THEMES.map((t): [DataTheme, number] => [t, datasets.filter((d) => d.themes.includes(t)).length]).filter(([, n]) => n > 0)
  const formats = DISTRIBUTION_FORMATS.map((x): [DistributionFormat, number] => [x, datasets.filter((d) => formatsOf(d).has(x)).length]).filter(([, n]) => n > 0)
  return { themes, formats }
}

const isTheme = (x: string): x is DataTheme => (DATA_THEMES as readonly string[]).includes(x)
const isFormat = (x: string): x is DistributionFormat => (DISTRIBUTION_FORMATS as readonly string[]).includes(x)

/** The filter an address's query names (unknown values left out). */
export function filterFromQuery(search: string): CatalogueFilter {
  const p = new URLSearchParams(search)
  return { query: p.get('q') ?? '', themes: p.getAll('tema').filter(isTheme), formats: p.getAll('formato').filter(isFormat) }
}

/** The address query for a filter, keeping any other parameter (such as ?lang=). */
export function filterToQuery(f: CatalogueFilter, search = ''): string {
  const p = new URLSearchParams(search)
  for (const k of ['q', 'tema', 'formato']) p.delete(k)
  if (f.query.trim() !== '') p.set('q', f.query)
  for (const t of f.themes) p.append('tema', t)
  for (const x of f.formats) p.append('formato', x)
  const s = p.toString()
  return s ? `?${s}` : ''
}

/** A description cut at a word boundary near `max` characters, with an ellipsis when cut. */
export function shorten(text: string, max = 180): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max + 1)
  const at = cut.lastIndexOf(' ')
  return `${(at > max / 2 ? cut.slice(0, at) : text.slice(0, max)).replace(/[\s,;:.–-]+$/, '')}…`
}
