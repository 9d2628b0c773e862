/**
 * Importing a file into a census collection (ADR 0008): all or nothing, with a report per feature.
 *
 * Phase 1 checks every feature without writing — the reader's problems (no geometry, a bad CSV row),
 * the attributes against the asset type, the geometry in PostGIS (validity with the reason, type,
 * the comune), the relations, and for a feature that names an existing id the version it expects —
 * and collects every problem. One problem and nothing is stored. Phase 2 writes every feature in ONE
 * transaction (a version row and an audit row each); anything failing there rolls the whole import back.
 *
 * A feature with the `id` of an existing feature of the collection replaces it (expecting the
 * `_version` it carries; without one, a QGIS-mode collection lets the import win, flagged, and a
 * strict one refuses it); any other feature is created with a new id.
 */
import type { ImportReport } from '../../../contracts/census-api'
import { checkProperties, VERSION_PROPERTY, type AssetType, type PropertyValue } from '../../../contracts/schemas/census'
import type { UploadedFeatures } from '../census/files/uploaded-features'
import type { Db } from './adapter'
import { CensusError } from './census-error'
import { checkGeometry } from './census-geometry'
import { changeIn, checkRelations, createIn, expectationOf, type CensusWriter, type Expectation } from './census-write'

/** Columns GIS tools add on export that are not attributes: ignored on import. */
const IGNORED_COLUMNS = new Set(['fid', 'ogc_fid', 'objectid', 'gid'])

type Problem = ImportReport['problems'][number]

interface Planned {
  index: number
  existingId: number | null
  values: Record<string, PropertyValue>
  properties: Record<string, unknown>
  geometry: { type: string; coordinates?: unknown }
  expect: Expectation
}

/**
 * File column → attribute: exact, else case-insensitive, else (Shapefile's 10-character names) the
 * one attribute whose name starts with it. Unknown columns are problems (a misspelt field is not dropped).
 */
function mapColumns(t: AssetType, props: Record<string, unknown>, shapefile: boolean): { mapped: Record<string, unknown>; unknown: string[]; id: unknown } {
  const mapped: Record<string, unknown> = {}
  const unknown: string[] = []
  let id: unknown
  for (const [col, v] of Object.entries(props)) {
    const lower = col.toLowerCase()
    if (lower === 'id') { id = v; continue }
    if (col === VERSION_PROPERTY || (shapefile && lower === VERSION_PROPERTY.slice(0, 10))) { mapped[VERSION_PROPERTY] = v; continue }
    if (IGNORED_COLUMNS.has(lower)) continue
    const a =
      t.attributes.find((x) => x.name === col) ??
      t.attributes.find((x) => x.name.toLowerCase() === lower) ??
      (shapefile && col.length === 10 ? t.attributes.filter((x) => x.name.toLowerCase().startsWith(lower)) : []).at(0)
    if (a) mapped[a.name] = v
    else unknown.push(col)
  }
  return { mapped, unknown, id }
}

export async function importFeatures(db: Db, t: AssetType, up: UploadedFeatures, o: { dryRun: boolean; writer: CensusWriter; note: string | null }): Promise<ImportReport> {
  const problems: Problem[] = up.problems.map((p) => ({ index: p.index, id: null, path: `features[${p.index}]`, message: p.message }))
  const planned: Planned[] = []
  const existing = await existingIds(db, t, up)
  for (const f of up.features) {
    const before = problems.length
    const { mapped, unknown, id } = mapColumns(t, f.properties, up.format === 'shapefile')
    const fid = f.id ?? (id as string | number | undefined) ?? null
    const at = (path: string, message: string) => problems.push({ index: f.index, id: fid, path: `features[${f.index}]${path ? `.${path}` : ''}`, message })
    for (const col of unknown) at(`properties.${col}`, `"${col}" is not an attribute of ${t.id}; its attributes are ${t.attributes.map((a) => a.name).join(', ')}`)
    const checked = checkProperties(t, mapped, { partial: false })
    if (!checked.ok) for (const p of checked.problems) at(p.path, p.message)
    let expect: Expectation = { version: null, source: 'none' }
    try {
      expect = expectationOf(null, mapped)
    } catch (e) {
      if (e instanceof CensusError) at(`properties.${VERSION_PROPERTY}`, e.message)
    }
    const existingId = fid !== null && /^\d+$/.test(String(fid)) && existing.has(Number(fid)) ? Number(fid) : null
    if (existingId !== null && expect.version === null && t.editMode === 'strict') at(`properties.${VERSION_PROPERTY}`, `feature ${existingId} exists and ${t.title.en} requires the version it replaces: add the _version column`)
    if (existingId !== null && expect.version !== null && existing.get(existingId) !== expect.version) at(`properties.${VERSION_PROPERTY}`, `feature ${existingId} is at version ${existing.get(existingId)}, the file has version ${expect.version}: someone changed it since the file was exported`)
    if (!f.geometry) {
      if (problems.length === before) at('geometry', 'the feature has no geometry')
      continue
    }
    try {
      await checkGeometry(db, { geometry: f.geometry, srid: 4326 }, t.geometryType)
    } catch (e) {
      if (e instanceof CensusError) at('geometry', e.message)
      else throw e
    }
    if (checked.ok) {
      try {
        await checkRelations(db, t, checked.values, existingId)
      } catch (e) {
        if (e instanceof CensusError) for (const d of e.details) at(d.path, d.message)
        else throw e
      }
    }
    if (problems.length === before && checked.ok) planned.push({ index: f.index, existingId, values: checked.values, properties: mapped, geometry: f.geometry, expect })
  }
  const report: ImportReport = {
    collection: t.id,
    format: up.format,
    sourceCrs: up.sourceCrs,
    features: up.features.length,
    created: planned.filter((p) => p.existingId === null).length,
    replaced: planned.filter((p) => p.existingId !== null).length,
    stored: false,
    problems: problems.sort((a, b) => a.index - b.index),
  }
  if (problems.length > 0 || o.dryRun || planned.length === 0) return report
  await db.transaction(async (tx) => {
    for (const p of planned) {
      const input = { properties: p.properties, geometry: { geometry: p.geometry, srid: 4326 } }
      try {
        if (p.existingId === null) await createIn(tx, t, input, p.values, o.writer, o.note)
        else await changeIn(tx, t, p.existingId, input, p.values, 'replace', p.expect, o.writer, o.note)
      } catch (e) {
        if (e instanceof CensusError) throw new CensusError('IMPORT_REJECTED', `Feature ${p.index} of the file: ${e.message}. Nothing was imported.`, undefined, [{ path: `features[${p.index}]`, message: e.message }])
        throw e
      }
    }
  })
  return { ...report, stored: true }
}

async function existingIds(db: Db, t: AssetType, up: UploadedFeatures): Promise<Map<number, number>> {
  const ids = new Set<number>()
  for (const f of up.features) {
    const raw = f.id ?? Object.entries(f.properties).find(([k]) => k.toLowerCase() === 'id')?.[1]
    if (raw !== undefined && raw !== null && /^\d{1,15}$/.test(String(raw))) ids.add(Number(raw))
  }
  if (ids.size === 0) return new Map()
  const r = await db.query<{ id: string | number; version: number }>('SELECT id, version FROM census_feature WHERE collection = $1 AND id = ANY($2::bigint[])', [t.id, [...ids]])
  return new Map(r.rows.map((x) => [Number(x.id), Number(x.version)]))
}
