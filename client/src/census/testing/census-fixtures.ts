/**
 * Test data of the census editor: the model as GET /api/census/model sends it (built from the
 * contract, as the server does), features and history versions with partial overrides.
 */
import type { CensusModel, FeatureVersionDto } from '../../../../contracts/census-api'
import { ASSET_TYPES, CENSUS_STORAGE_SRID, LIFECYCLE } from '../../../../contracts/schemas/census'
import type { CensusFeature } from '../../api/census-client'

export function censusModel(): CensusModel {
  return {
    storageSrid: CENSUS_STORAGE_SRID,
    lifecycle: LIFECYCLE.map((c) => ({ code: c.code, label: c.label })),
    types: ASSET_TYPES.map((t) => ({
      ...t,
      attributes: t.attributes.map((a) => ({ ...a, codes: a.codes ? [...a.codes] : undefined, ref: a.ref ? (a.ref.kind === 'feature' ? { kind: 'feature' as const, collections: [...a.ref.collections] } : a.ref) : undefined })),
    })),
  }
}

export function poleFeature(over: Partial<CensusFeature> & { properties?: CensusFeature['properties'] } = {}): CensusFeature {
  return { type: 'Feature', id: 7, geometry: { type: 'Point', coordinates: [11.3426, 44.4937] }, ...over, properties: { status: 'functional', _version: 1, ...over.properties } }
}

export function version(over: Partial<FeatureVersionDto> = {}): FeatureVersionDto {
  return {
    version: 1,
    deleted: false,
    properties: { status: 'functional' },
    geometry: { type: 'Point', coordinates: [11.3426, 44.4937] },
    validFromMs: Date.UTC(2026, 10, 27, 9, 0),
    validToMs: null,
    editor: 'gis-anna',
    editorRole: 'gis_editor',
    requestId: null,
    note: null,
    lastWriterWins: false,
    ...over,
  }
}
