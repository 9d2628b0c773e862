/**
 * What reading a census upload gives back, whatever the format: features in lon/lat EPSG:4326
 * (RFC 7946) with their properties, and every problem of a single feature as a value (`problems`)
 * so the import can report all of them at once and reject the file as a whole. A problem of the file
 * itself (a zip bomb, an unknown CRS, too many features) is thrown as an ApiError instead.
 */

/** x, y (lon, lat in degrees), optionally z. */
export type Position = number[]

export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: Geometry[] }

export type GeometryType = Geometry['type']

export const UPLOAD_FORMATS = ['geojson', 'csv', 'gpkg', 'shapefile'] as const
export type UploadFormat = (typeof UPLOAD_FORMATS)[number]

export interface UploadedFeature {
  /** 0-based position in the file (the CSV data row, the GeoJSON feature, the layer's feature). */
  index: number
  /** The GeoJSON feature's `id`, when it has one. */
  id?: string | number
  /** Lon/lat EPSG:4326; null when the feature has none or its geometry is unusable (then `problems` says why). */
  geometry: Geometry | null
  properties: Record<string, unknown>
}

/** One feature's problem; `message` names the row or feature so a GIS person can find it. */
export interface FeatureProblem {
  index: number
  message: string
}

export interface UploadedFeatures {
  format: UploadFormat
  /** The layer read: the GeoPackage table, the Shapefile's name, the GeoJSON `name`, or the file name. */
  layerName: string
  /** The CRS the file was in: 'EPSG:4326' for GeoJSON and CSV, the layer's EPSG code for GeoPackage and Shapefile. */
  sourceCrs: string
  features: UploadedFeature[]
  problems: FeatureProblem[]
}

/** A GeoJSON FeatureCollection as the exporter takes it (lon/lat EPSG:4326). */
export interface ExportFeatureCollection {
  type: 'FeatureCollection'
  features: Array<{ type: 'Feature'; id?: string | number; geometry: Geometry | null; properties: Record<string, unknown> | null }>
}
