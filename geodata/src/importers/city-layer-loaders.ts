/**
 * Loaders of the city layers with their own tables: street nodes, the OSM drive graph and land
 * use, buildings. Each reads its file (pure readers) and hands the import a `write` hook that
 * replaces the dataset's rows inside the import transaction.
 */
import type { Queryable } from '../../../server/src/db/adapter'
import { readBuildings } from '../readers/buildings'
import { readOsmDriveEdges, readOsmDriveNodes } from '../readers/osm-drive-graph'
import { readOsmLandUse } from '../readers/osm-landuse'
import type { ReadResult } from '../readers/read-result'
import type { GeoJsonReadOptions } from '../readers/geojson-features'
import { readStreetNodes } from '../readers/street-nodes'
import type { DatasetLoader } from './dataset-loaders'
import { replaceBuildings, replaceLandUse, replaceRoadEdges, replaceRoadNodes, replaceStreetNodes } from './write-city-layers'
import type { WriteOutcome } from './write-devices'

/** The loader that reads a file with `read` and writes its records with `write`. */
function tableLoader<T>(
  read: (file: string, opts: GeoJsonReadOptions) => ReadResult<T>,
  write: (tx: Queryable, dataset: string, records: readonly T[]) => Promise<WriteOutcome>,
): DatasetLoader {
  return (file, opts) => {
    const r = read(file, { envelope: opts.envelope, crs: opts.crs })
    return { rows: r.rows, rejected: r.rejected, problems: r.problems, sourceCrs: r.sourceCrs, write: (tx, dataset) => write(tx, dataset, r.records) }
  }
}

export const CITY_LAYER_LOADERS: Record<'bologna-street-nodes' | 'osm-drive-edges' | 'osm-drive-nodes' | 'osm-landuse' | 'milan-buildings', DatasetLoader> = {
  'bologna-street-nodes': tableLoader(readStreetNodes, replaceStreetNodes),
  'osm-drive-edges': tableLoader(readOsmDriveEdges, replaceRoadEdges),
  'osm-drive-nodes': tableLoader(readOsmDriveNodes, replaceRoadNodes),
  'osm-landuse': tableLoader(readOsmLandUse, replaceLandUse),
  'milan-buildings': tableLoader(readBuildings, replaceBuildings),
}
