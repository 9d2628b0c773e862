/**
 * Loaders of the city layers with their own tables: street nodes, the OSM drive graph and land
 * use, buildings. (Scaffold: being written.)
 */
import type { DatasetLoader } from './dataset-loaders'

const notYet: DatasetLoader = () => {
  throw new Error('importer not written yet')
}

export const CITY_LAYER_LOADERS: Record<'bologna-street-nodes' | 'osm-drive-edges' | 'osm-drive-nodes' | 'osm-landuse' | 'milan-buildings', DatasetLoader> = {
  'bologna-street-nodes': notYet,
  'osm-drive-edges': notYet,
  'osm-drive-nodes': notYet,
  'osm-landuse': notYet,
  'milan-buildings': notYet,
}
