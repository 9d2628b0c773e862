/**
 * Every dataset Gemello publishes, in catalogue order (docs/opendata.md "Datasets"). Ids are stable:
 * they are the datasets' addresses and their dct:identifier for the national catalogue.
 */
import { casesDataset } from './case-datasets'
import { censusDatasets } from './census-datasets'
import type { DatasetDefinition } from './dataset-definition'
import { airQualityDataset, bikeCountsDataset, sensorsDataset, trafficCountsDataset } from './device-datasets'
import { pmoProjectsDataset } from './pmo-datasets'
import { scenarioResultsDataset } from './scenario-datasets'
import { ztlAccessesDataset } from './ztl-datasets'

export const DATASETS: readonly DatasetDefinition[] = [sensorsDataset, trafficCountsDataset, bikeCountsDataset, airQualityDataset, casesDataset, ...censusDatasets, ztlAccessesDataset, scenarioResultsDataset, pmoProjectsDataset]

export function datasetDefinition(id: string): DatasetDefinition | undefined {
  return DATASETS.find((d) => d.id === id)
}
