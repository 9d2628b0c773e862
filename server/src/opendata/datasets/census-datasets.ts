/**
 * One dataset per collection of the infrastructure census (docs/opendata.md "Datasets"), with the
 * public attributes only — the attributes the census model marks `public: false` (internal notes,
 * IP addresses, supply-point codes, depths) are never read, and the privacy guard would refuse them.
 * The same data are served live by the collection's OGC API Features endpoint, given as the
 * dataset's API distribution.
 *
 * Not published: the traffic-signal collection, whose seeded positions come from the DLR SUMO
 * scenarios (EPL-2.0, a software licence outside the open-data licence vocabulary) until GIS staff
 * survey them.
 */
import { ASSET_TYPES, visibleAttributes, type AssetType, type AttributeDef } from '../../../../contracts/schemas/census'
import type { DatasetColumn } from '../../../../contracts/opendata-api'
import { listFeatures } from '../../db/census-read'
import { SOURCE_ARPAE, SOURCE_COMUNE, type CellValue, type DatasetDefinition, type DatasetRow } from './dataset-definition'

const COLUMN_TYPE: Record<AttributeDef['kind'], DatasetColumn['type']> = {
  string: 'string', integer: 'integer', number: 'number', boolean: 'boolean', date: 'date', code: 'string', ref: 'string',
}
const NOT_PUBLISHED = new Set<string>(['traffic-signals'])
const PAGE = 5000

function censusDataset(t: AssetType): DatasetDefinition {
  const attributes = visibleAttributes(t, false)
  return {
    id: `censimento-${t.id}`,
    title: { it: `Censimento infrastrutture: ${t.title.it}`, en: `Infrastructure census: ${t.title.en}` },
    description: {
      it: `${t.description.it} Dal censimento delle infrastrutture tenuto dall’ufficio SIT del Comune, solo gli attributi pubblici.`,
      en: `${t.description.en} From the infrastructure census kept by the Comune's GIS office, public attributes only.`,
    },
    keywords: ['censimento', 'infrastrutture', t.title.it.toLowerCase()],
    themes: t.id === 'air-quality-stations' ? ['ENVI', 'TECH'] : ['TRAN', 'TECH'],
    frequency: 'DAILY',
    licence: 'CC-BY-4.0',
    sources: t.seededFrom === 'air-quality' ? [SOURCE_ARPAE] : [SOURCE_COMUNE],
    geometry: t.geometryType,
    ogcCollection: t.id,
    columns: [
      { name: 'id', type: 'integer', description: { en: 'Feature id in the census (OGC API Features)', it: 'Identificativo nel censimento (OGC API Features)' }, unit: null },
      ...attributes.map((a) => ({ name: a.name, type: COLUMN_TYPE[a.kind], description: a.label, unit: a.unit ?? null })),
    ],
    async read(q) {
      const rows: DatasetRow[] = []
      let afterId: number | undefined
      for (;;) {
        const page = await listFeatures(q, { type: t, full: false, outSrid: 4326, limit: PAGE, offset: 0, ...(afterId === undefined ? {} : { afterId }) })
        for (const f of page.features) {
          const properties: Record<string, CellValue> = { id: f.id }
          for (const a of attributes) {
            const v = f.properties[a.name]
            properties[a.name] = v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : (v as CellValue)
          }
          rows.push({ properties, geometry: f.geometry as DatasetRow['geometry'] })
        }
        if (!page.hasMore || page.features.length === 0) break
        afterId = page.features[page.features.length - 1]!.id
      }
      return { rows, temporal: null }
    },
  }
}

export const censusDatasets: DatasetDefinition[] = ASSET_TYPES.filter((t) => !NOT_PUBLISHED.has(t.id)).map(censusDataset)
