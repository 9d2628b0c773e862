/**
 * Loaders of the SUMO datasets (networks, signal controllers). (Scaffold: being written.)
 */
import type { DatasetLoader } from '../importers/dataset-loaders'

const notYet: DatasetLoader = () => {
  throw new Error('importer not written yet')
}

export const SUMO_LOADERS: Record<'sumo-acosta' | 'sumo-pasubio' | 'sumo-joined' | 'bologna-signal-controllers', DatasetLoader> = {
  'sumo-acosta': notYet,
  'sumo-pasubio': notYet,
  'sumo-joined': notYet,
  'bologna-signal-controllers': notYet,
}
