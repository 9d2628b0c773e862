/**
 * The sources a dashboard lists under its panels and in every export (attribution is mandatory): the
 * import records of the datasets its devices and areas came from — title, licence and attribution as
 * the import stored them, the link from the dataset manifest —, the open datasets it summarises, and
 * Gemello's own measurements, credited as the open-data catalogue credits them
 * (server/src/opendata/datasets/dataset-definition.ts SOURCE_TWIN).
 */
import { AREA_LEVELS, type DashboardSourceSchema } from '../../../contracts/theme-dashboard-api'
import { LICENCES } from '../../../contracts/opendata-api'
import type { z } from 'zod'
import { datasetById } from '../../../geodata/src/manifest'
import type { Queryable } from '../db/adapter'
import { areaDatasets, importedDatasets } from '../db/dashboard-areas'
import { SOURCE_TWIN, type DatasetDefinition } from '../opendata/datasets/dataset-definition'

export type DashboardSource = z.infer<typeof DashboardSourceSchema>

export const TWIN_SOURCE: DashboardSource = {
  title: 'Gemello — misure dei dispositivi in campo / field-device measurements',
  licence: 'CC BY 4.0',
  attribution: SOURCE_TWIN,
  url: null,
}

/** The imported datasets among `datasetIds` (nulls and duplicates ignored), by id. */
export async function importedSources(q: Queryable, datasetIds: ReadonlyArray<string | null>): Promise<DashboardSource[]> {
  const ids = [...new Set(datasetIds.filter((d): d is string => d !== null))]
  const imported = await importedDatasets(q, ids)
  return imported.map((d) => ({ title: d.title, licence: d.licence, attribution: d.attribution, url: datasetById(d.datasetId)?.attributionUrl ?? null }))
}

/** The layers the choropleths are drawn on (districts and statistical areas). */
export async function areaLayerSources(q: Queryable): Promise<DashboardSource[]> {
  return importedSources(q, await areaDatasets(q, AREA_LEVELS))
}

/** An open dataset of Gemello's catalogue the dashboard summarises, linked to its portal page. */
export function openDatasetSource(d: Pick<DatasetDefinition, 'id' | 'title' | 'licence' | 'sources'>): DashboardSource {
  return { title: d.title.it, licence: LICENCES[d.licence].name, attribution: d.sources.join('; '), url: `/cittadini/dati/${d.id}` }
}
