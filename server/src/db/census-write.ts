/**
 * Writing the census (ADR 0008, reliability-security.md §3.2): create, replace, update (merge) and
 * delete, each in one transaction with its version row and its audit row.
 *
 * Concurrency: the feature's row is locked (`FOR UPDATE`) and its version compared with the one the
 * writer expects (If-Match, or `properties._version` in QGIS mode); the UPDATE itself repeats the
 * comparison (`WHERE version = $n`). A stale writer gets PRECONDITION_FAILED and nothing changes;
 * of 50 writers holding the same version exactly one wins. Without an expected version a QGIS-mode
 * collection applies the change and flags it `last_writer_wins` (version row and audit); a strict
 * collection refuses it (PRECONDITION_REQUIRED).
 *
 * History: the current version row is closed (valid_to) and the new one opened at the same instant,
 * the database's clock read after the lock; a delete adds a tombstone. Ids never come back.
 */
import { ASSET_TYPES, assetType, checkProperties, VERSION_PROPERTY, type AssetType, type PropertyValue } from '../../../contracts/schemas/census'
import { appendAudit, stateHash } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'
import { CensusError } from './census-error'
import { checkGeometry, storageGeometrySql, type GeometryInput } from './census-geometry'
import { geomColumn } from './census-read'

export interface CensusWriter {
  actor: string
  actorRole: string
  requestId: string | null
}

export interface WriteResult {
  id: number
  version: number
  lastWriterWins: boolean
}

export interface FeatureInput {
  properties: Record<string, unknown>
  geometry: GeometryInput | null
}

/** What the writer believes the current version is: If-Match's, the `_version` property's, or nothing. */
export interface Expectation {
  /** The version expected, or null: no expectation (`none`) or any existing version (`if-match-any`, `If-Match: *`). */
  version: number | null
  /** Further versions an If-Match list accepts (`If-Match: "7:v3", "7:v4"`). */
  alternatives?: number[]
  /** Where it came from, for the message and the audit. */
  source: 'if-match' | 'if-match-any' | 'property' | 'none'
}

/** The version a write expects: If-Match wins; in QGIS mode `properties._version`; else none. */
export function expectationOf(ifMatchVersion: number | null, props: Record<string, unknown> | undefined): Expectation {
  if (ifMatchVersion !== null) return { version: ifMatchVersion, source: 'if-match' }
  const v = props?.[VERSION_PROPERTY]
  if (v !== undefined && v !== null) {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN
    if (!Number.isSafeInteger(n) || n <= 0) throw new CensusError('VALIDATION_FAILED', `properties.${VERSION_PROPERTY} must be the version number the feature was read at`, `properties.${VERSION_PROPERTY}`)
    return { version: n, source: 'property' }
  }
  return { version: null, source: 'none' }
}

function valuesOrThrow(t: AssetType, props: Record<string, unknown>, partial: boolean): Record<string, PropertyValue> {
  const c = checkProperties(t, props, { partial })
  if (!c.ok) throw new CensusError('INVALID_FEATURE', c.problems.map((p) => `${p.path}: ${p.message}`).join('; '), undefined, c.problems)
  return c.values
}

/** Stored properties: set values only (null clears an attribute). */
function compact(values: Record<string, PropertyValue>): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {}
  for (const [k, v] of Object.entries(values)) if (v !== null) out[k] = v
  return out
}

/** Relations must point at what exists: census features of the right collections, twin devices, SUMO lanes. */
export async function checkRelations(q: Queryable, t: AssetType, values: Record<string, PropertyValue>, selfId: number | null): Promise<void> {
  const problems: Array<{ path: string; message: string }> = []
  for (const a of t.attributes) {
    const v = values[a.name]
    if (a.kind !== 'ref' || v === null || v === undefined || !a.ref) continue
    const path = `properties.${a.name}`
    if (a.ref.kind === 'feature') {
      if (selfId !== null && Number(v) === selfId) { problems.push({ path, message: `${a.label.en} cannot be the feature itself` }); continue }
      const r = await q.query<{ collection: string }>('SELECT collection FROM census_feature WHERE id = $1', [Number(v)])
      const found = r.rows[0]?.collection
      if (!found) problems.push({ path, message: `${a.label.en}: no feature ${v} exists (deleted, or never created)` })
      else if (!(a.ref.collections as readonly string[]).includes(found)) problems.push({ path, message: `${a.label.en}: feature ${v} is in ${found}, not in ${a.ref.collections.join(' or ')}` })
    } else if (a.ref.kind === 'device') {
      const r = await q.query('SELECT 1 FROM device WHERE id = $1', [String(v)])
      if (r.rows.length === 0) problems.push({ path, message: `${a.label.en}: the twin has no device ${v}` })
    } else {
      const [network, ...lane] = String(v).split('/')
      const r = await q.query('SELECT 1 FROM sumo_lane WHERE network_id = $1 AND id = $2', [network, lane.join('/')])
      if (r.rows.length === 0) problems.push({ path, message: `${a.label.en}: no SUMO lane ${v} (write it as <network>/<lane id>, e.g. sumo-joined/-1234_0)` })
    }
  }
  if (problems.length) throw new CensusError('INVALID_FEATURE', problems.map((p) => `${p.path}: ${p.message}`).join('; '), undefined, problems)
}

interface Locked {
  version: number
  properties: Record<string, PropertyValue>
  geom: string
  now: string
}

async function lockFeature(tx: Queryable, t: AssetType, id: number): Promise<Locked> {
  const r = await tx.query<{ version: number; properties: Record<string, PropertyValue> | string; geom: string }>(
    `SELECT version, properties, ST_AsGeoJSON(${geomColumn(t)}, 9, 0) AS geom FROM census_feature WHERE id = $1 AND collection = $2 FOR UPDATE`,
    [id, t.id],
  )
  const row = r.rows[0]
  if (!row) throw new CensusError('FEATURE_NOT_FOUND', `${t.title.en} has no feature ${id} (deleted features stay deleted; their history remains)`)
  const now = await tx.query<{ now: string }>('SELECT clock_timestamp()::text AS now')
  return { version: Number(row.version), properties: typeof row.properties === 'string' ? JSON.parse(row.properties) : row.properties, geom: row.geom, now: now.rows[0]!.now }
}

function compare(t: AssetType, id: number, current: number, e: Expectation): boolean {
  if (e.source === 'if-match-any') return false
  if (e.version === null) {
    if (t.editMode === 'strict') throw new CensusError('PRECONDITION_REQUIRED', `${t.title.en} requires If-Match on every change: GET feature ${id}, then send its ETag in If-Match`)
    return true
  }
  if (e.version !== current && !(e.alternatives ?? []).includes(current)) {
    throw new CensusError(
      'PRECONDITION_FAILED',
      `Feature ${id} is at version ${current}; ${e.source === 'if-match' ? 'If-Match' : `properties.${VERSION_PROPERTY}`} names version ${e.version}: someone changed it meanwhile. Reload it, reapply your change and save again.`,
    )
  }
  return false
}

async function writeVersion(tx: Queryable, t: AssetType, id: number, version: number, now: string, w: CensusWriter, note: string | null, lww: boolean, deleted: boolean): Promise<void> {
  await tx.query(`UPDATE census_feature_version SET valid_to = $2::timestamptz WHERE feature_id = $1 AND valid_to IS NULL`, [id, now])
  if (deleted) {
    await tx.query(
      `INSERT INTO census_feature_version (feature_id, version, collection, deleted, properties, geom, valid_from, editor, editor_role, request_id, note, last_writer_wins)
       SELECT feature_id, $2, collection, true, properties, geom, $3::timestamptz, $4, $5, $6, $7, $8
       FROM census_feature_version WHERE feature_id = $1 AND version = $2 - 1`,
      [id, version, now, w.actor, w.actorRole, w.requestId, note, lww],
    )
    return
  }
  await tx.query(
    `INSERT INTO census_feature_version (feature_id, version, collection, properties, geom, valid_from, editor, editor_role, request_id, note, last_writer_wins)
     SELECT id, version, collection, properties, ${geomColumn(t)}, $3::timestamptz, $4, $5, $6, $7, $8 FROM census_feature WHERE id = $1 AND version = $2`,
    [id, version, now, w.actor, w.actorRole, w.requestId, note, lww],
  )
}

const target = (t: AssetType, id: number, v: number) => `census:${t.id}/${id}@v${v}`

/** Creates a feature: a new id (never reused), version 1. */
export async function createFeature(db: Db, t: AssetType, input: FeatureInput, w: CensusWriter, note: string | null = null): Promise<WriteResult> {
  const values = valuesOrThrow(t, input.properties, false)
  return db.transaction((tx) => createIn(tx, t, input, values, w, note))
}

/** createFeature inside the caller's transaction (an import writes many in one). */
export async function createIn(tx: Queryable, t: AssetType, input: FeatureInput, values: Record<string, PropertyValue>, w: CensusWriter, note: string | null): Promise<WriteResult> {
  if (!input.geometry) throw new CensusError('INVALID_GEOMETRY', 'The feature has no geometry: every census asset has a position', 'geometry')
  await checkGeometry(tx, input.geometry, t.geometryType)
  await checkRelations(tx, t, values, null)
  const stored = compact(values)
  const now = (await tx.query<{ now: string }>('SELECT clock_timestamp()::text AS now')).rows[0]!.now
  const r = await tx.query<{ id: string | number }>(
    `INSERT INTO census_feature (collection, version, properties, ${geomColumn(t)}, created_at, updated_at, updated_by)
     VALUES ($1, 1, $2::jsonb, ${storageGeometrySql('$3', '$4')}, $5::timestamptz, $5::timestamptz, $6) RETURNING id`,
    [t.id, JSON.stringify(stored), JSON.stringify(input.geometry.geometry), input.geometry.srid, now, w.actor],
  )
  const id = Number(r.rows[0]!.id)
  await writeVersion(tx, t, id, 1, now, w, note, false, false)
  await appendAudit(tx, { actor: w.actor, actorRole: w.actorRole, action: 'census.create', target: target(t, id, 1), beforeHash: null, afterHash: stateHash({ p: stored, g: input.geometry }), requestId: w.requestId, detail: { collection: t.id, id, version: 1 } })
  return { id, version: 1, lastWriterWins: false }
}

/**
 * Replaces (PUT: every attribute as sent, geometry required) or updates (PATCH: the attributes sent
 * merged into the current ones, geometry only when sent) a feature.
 */
export async function changeFeature(db: Db, t: AssetType, id: number, input: FeatureInput, mode: 'replace' | 'update', expect: Expectation, w: CensusWriter, note: string | null = null): Promise<WriteResult> {
  const sent = valuesOrThrow(t, input.properties, mode === 'update')
  return db.transaction((tx) => changeIn(tx, t, id, input, sent, mode, expect, w, note))
}

/** changeFeature inside the caller's transaction. */
export async function changeIn(tx: Queryable, t: AssetType, id: number, input: FeatureInput, sent: Record<string, PropertyValue>, mode: 'replace' | 'update', expect: Expectation, w: CensusWriter, note: string | null): Promise<WriteResult> {
  const cur = await lockFeature(tx, t, id)
  const lww = compare(t, id, cur.version, expect)
  const values = mode === 'update' ? { ...cur.properties, ...sent } : sent
  if (mode === 'replace' && !input.geometry) throw new CensusError('INVALID_GEOMETRY', 'A replacement (PUT) carries the whole feature, geometry included; to change only some attributes use PATCH', 'geometry')
  if (input.geometry) await checkGeometry(tx, input.geometry, t.geometryType)
  await checkRelations(tx, t, values, id)
  const stored = compact(values)
  const params: unknown[] = [id, cur.version, JSON.stringify(stored), cur.now, w.actor]
  let geomSet = ''
  if (input.geometry) {
    params.push(JSON.stringify(input.geometry.geometry), input.geometry.srid)
    geomSet = `, ${geomColumn(t)} = ${storageGeometrySql('$6', '$7')}`
  }
  const r = await tx.query<{ version: number }>(
    `UPDATE census_feature SET version = version + 1, properties = $3::jsonb, updated_at = $4::timestamptz, updated_by = $5${geomSet}
     WHERE id = $1 AND version = $2 RETURNING version`,
    params,
  )
  const version = Number(r.rows[0]?.version ?? 0)
  if (!version) throw new CensusError('PRECONDITION_FAILED', `Feature ${id} changed while it was being saved; reload it and save again`)
  await writeVersion(tx, t, id, version, cur.now, w, note, lww, false)
  await appendAudit(tx, {
    actor: w.actor,
    actorRole: w.actorRole,
    action: mode === 'replace' ? 'census.replace' : 'census.update',
    target: target(t, id, version),
    beforeHash: stateHash({ p: cur.properties, g: cur.geom }),
    afterHash: stateHash({ p: stored, g: input.geometry ?? cur.geom }),
    requestId: w.requestId,
    detail: { collection: t.id, id, version, expected: expect.source, ...(lww ? { last_writer_wins: true } : {}) },
  })
  return { id, version, lastWriterWins: lww }
}

/** Deletes a feature: a tombstone version, the id never reused; refused while another feature refers to it. */
export async function deleteFeature(db: Db, t: AssetType, id: number, expect: Expectation, w: CensusWriter, note: string | null = null): Promise<WriteResult> {
  return db.transaction(async (tx) => {
    const cur = await lockFeature(tx, t, id)
    const lww = compare(t, id, cur.version, expect)
    const users = await referrers(tx, t, id)
    if (users.length) {
      const list = users.slice(0, 10).map((u) => `${u.collection} ${u.id} (${u.attribute})`).join(', ')
      throw new CensusError('FEATURE_IN_USE', `Feature ${id} is still referred to by ${users.length} feature(s): ${list}${users.length > 10 ? ', …' : ''}. Move or retire those first (or set the status to decommissioned).`)
    }
    const version = cur.version + 1
    await writeVersion(tx, t, id, version, cur.now, w, note, lww, true)
    await tx.query('DELETE FROM census_feature WHERE id = $1 AND version = $2', [id, cur.version])
    await appendAudit(tx, {
      actor: w.actor,
      actorRole: w.actorRole,
      action: 'census.delete',
      target: target(t, id, version),
      beforeHash: stateHash({ p: cur.properties, g: cur.geom }),
      afterHash: null,
      requestId: w.requestId,
      detail: { collection: t.id, id, version, expected: expect.source, ...(lww ? { last_writer_wins: true } : {}) },
    })
    return { id, version, lastWriterWins: lww }
  })
}

/** Features whose relation attributes point at this one. Attribute names come from the model. */
async function referrers(tx: Queryable, t: AssetType, id: number): Promise<Array<{ id: number; collection: string; attribute: string }>> {
  const out: Array<{ id: number; collection: string; attribute: string }> = []
  for (const other of ASSET_TYPES) {
    for (const a of other.attributes) {
      if (a.kind !== 'ref' || a.ref?.kind !== 'feature' || !(a.ref.collections as readonly string[]).includes(t.id)) continue
      const r = await tx.query<{ id: string | number }>(`SELECT id FROM census_feature WHERE collection = $1 AND (properties->>'${a.name}')::bigint = $2 ORDER BY id LIMIT 11`, [other.id, id])
      for (const row of r.rows) out.push({ id: Number(row.id), collection: other.id, attribute: a.name })
    }
  }
  return out
}

/** Writes an audit row for a refused write (after its transaction rolled back): who tried what, and why. */
export async function auditRefusedWrite(db: Db, collection: string, id: number | null, action: string, err: CensusError, w: CensusWriter): Promise<void> {
  const t = assetType(collection)
  await db.transaction(async (tx) => {
    await appendAudit(tx, {
      actor: w.actor,
      actorRole: w.actorRole,
      action: `census.${action}.refused`,
      target: `census:${t?.id ?? collection}/${id ?? 'new'}`,
      requestId: w.requestId,
      detail: { code: err.code, reason: err.message.slice(0, 500) },
    })
  })
}
