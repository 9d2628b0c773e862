/**
 * Loaders of the city layers with their own tables: street nodes, the OSM drive graph and land
 * use, buildings. Each reads its file (pure readers) and hands the import a `write` hook that
 * replaces the dataset's rows inside the import transaction.
 */
import { readBuildings } from '../readers/buildings'
import { readOsmDriveEdges, readOsmDriveNodes } from '../readers/osm-drive-graph'
import { readOsmLandUse } from '../readers/osm-landuse'
import type { ReadResult } from '../readers/read-result'
import { readStreetNodes } from '../readers/street-nodes'
import type { DatasetLoader } from './dataset-loaders'
import { replaceBuildings, replaceLandUse, replaceRoadEdges, replaceRoadNodes, replaceStreetNodes } from './write-city-layers'

const counts = <T>(r: ReadResult<T>) => ({ rows: r.rows, rejected: r.rejected, problems: r.problems })

export const CITY_LAYER_LOADERS: Record<'bologna-street-nodes' | 'osm-drive-edges' | 'osm-drive-nodes' | 'osm-landuse' | 'milan-buildings', DatasetLoader> = {
  'bologna-street-nodes': (file, opts) => {
    const r = readStreetNodes(file, opts)
    return { ...counts(r), write: (tx, dataset) => replaceStreetNodes(tx, dataset, r.records) }
  },
  'osm-drive-edges': (file, opts) => {
    const r = readOsmDriveEdges(file, opts)
    return { ...counts(r), write: (tx, dataset) => replaceRoadEdges(tx, dataset, r.records) }
  },
  'osm-drive-nodes': (file, opts) => {
    const r = readOsmDriveNodes(file, opts)
    return { ...counts(r), write: (tx, dataset) => replaceRoadNodes(tx, dataset, r.records) }
  },
  'osm-landuse': (file, opts) => {
    const r = readOsmLandUse(file, opts)
    return { ...counts(r), write: (tx, dataset) => replaceLandUse(tx, dataset, r.records) }
  },
  'milan-buildings': (file, opts) => {
    const r = readBuildings(file, opts)
    return { ...counts(r), write: (tx, dataset) => replaceBuildings(tx, dataset, r.records) }
  },
}
