/**
 * Loaders of the SUMO datasets: the three Bologna networks (with their UTOPIA plans and e1
 * detectors) and the signal controllers derived from them.
 */
import type { DatasetLoader } from '../importers/dataset-loaders'
import type { DatasetId } from '../manifest'
import { loadSignalControllers } from './signal-controllers'
import { loadSignalPlans } from './signal-plans-loader'
import { loadSumoNetwork } from './sumo-network-loader'

/** Reads the additional files the import found for the dataset (its alsoReads), not those of another network. */
const network: DatasetLoader = (file, opts) => loadSumoNetwork(file, { alsoReads: opts.alsoReads ?? [] })

export const SUMO_LOADERS: Record<'sumo-acosta' | 'sumo-pasubio' | 'sumo-joined' | 'bologna-signal-controllers' | 'bologna-signal-plans', DatasetLoader> = {
  'sumo-acosta': network,
  'sumo-pasubio': network,
  'sumo-joined': network,
  'bologna-signal-controllers': loadSignalControllers,
  'bologna-signal-plans': loadSignalPlans,
}

/**
 * Datasets whose rows are computed from other datasets' rows: re-imported when one of those was
 * imported after them, even if their own file is unchanged (detectors link to the loop devices and
 * street arcs; the controllers are read from the networks).
 */
export const SUMO_DERIVED_FROM: Partial<Record<DatasetId, readonly DatasetId[]>> = {
  'sumo-acosta': ['bologna-loops', 'bologna-streets'],
  'sumo-pasubio': ['bologna-loops', 'bologna-streets'],
  'sumo-joined': ['bologna-loops', 'bologna-streets'],
  'bologna-signal-controllers': ['sumo-acosta', 'sumo-pasubio', 'sumo-joined', 'bologna-streets'],
  'bologna-signal-plans': ['sumo-joined', 'bologna-signal-controllers'],
}
