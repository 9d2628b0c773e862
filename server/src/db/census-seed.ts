/**
 * Seeds the census from the twin's real registries (ADR 0008): every open-data device of a seeded
 * kind (Bologna's loop registry, ZTL gates, bicycle counters, signal controllers from the SUMO
 * networks, ARPAE stations) becomes a census feature linked to its device, once — a feature GIS staff
 * later delete is not seeded again (census_seed_ref remembers every source record ever seeded).
 * Also sets the census extent: the comune's districts (or, without them, every city layer) + 1 km.
 *
 * Runs at every server start; idempotent. Seeding writes version 1 of each feature and one audit
 * row per collection (editor `system:census-seed`).
 */
import { ASSET_TYPES, CENSUS_STORAGE_SRID, type AssetType } from '../../../contracts/schemas/census'
import { appendAudit } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'

export const SEED_EDITOR = 'system:census-seed'
export const EXTENT_MARGIN_M = 1000

/** Sets census_extent from the city's districts (else every city layer); returns its source, or null when the city is empty. */
export async function setCensusExtent(db: Queryable): Promise<string | null> {
  const districts = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM area WHERE kind = 'quartiere'`)
  const fromDistricts = Number(districts.rows[0]?.n ?? 0) > 0
  const sourceSql = fromDistricts
    ? `SELECT geom AS g FROM area WHERE kind = 'quartiere'`
    : `SELECT geom AS g FROM device UNION ALL SELECT geom FROM street_arc UNION ALL SELECT geom FROM area`
  const r = await db.query<{ env: string | null }>(
    `SELECT ST_AsEWKT(ST_Expand(ST_Envelope(ST_Transform(ST_SetSRID(ST_Extent(g)::geometry, 4326), ${CENSUS_STORAGE_SRID})), ${EXTENT_MARGIN_M})) AS env FROM (${sourceSql}) x`,
  )
  const env = r.rows[0]?.env
  if (!env) return null
  const source = fromDistricts ? 'districts (quartieri) + 1 km' : 'city layers + 1 km'
  await db.query(
    `INSERT INTO census_extent (id, envelope, source) VALUES ('default', ST_GeomFromEWKT($1), $2)
     ON CONFLICT (id) DO UPDATE SET envelope = EXCLUDED.envelope, source = EXCLUDED.source, set_at = now()`,
    [env, source],
  )
  return source
}

/** Per seeded kind: the properties of the feature, as SQL over the device row `d` (constants only). */
const SEED_PROPERTIES: Record<NonNullable<AssetType['seededFrom']>, string> = {
  'traffic-loop': `jsonb_build_object('name', d.name, 'status', CASE WHEN coalesce(d.props->>'stato', 'A') = 'A' THEN 'functional' ELSE 'disused' END,
      'externalId', d.props->>'codiceSpira', 'streetName', d.props->>'street', 'direction', d.props->>'direction', 'arcCode', d.props->>'codiceArco',
      'deviceId', d.id, 'owner', 'Comune di Bologna',
      'notes', CASE WHEN coalesce(d.props->>'stato', 'A') = 'A' THEN NULL ELSE 'Status code in the loop registry: ' || (d.props->>'stato') END,
      'laneId', (SELECT s.network_id || '/' || s.lane_id FROM sumo_detector s WHERE s.device_id = d.id ORDER BY s.network_id = 'sumo-joined' DESC, s.network_id, s.id LIMIT 1))`,
  'ztl-gate': `jsonb_build_object('name', d.name, 'status', 'functional', 'externalId', d.props->>'varco', 'streetName', d.props->>'via',
      'direction', d.props->>'direzione', 'zone', d.props->>'zona', 'deviceId', d.id, 'owner', 'Comune di Bologna')`,
  'bike-counter': `jsonb_build_object('name', d.name, 'status', 'functional', 'externalId', d.props->>'colonnina',
      'streetName', nullif(trim(concat_ws(' ', d.props->>'via', d.props->>'civico')), ''), 'deviceId', d.id, 'owner', 'Comune di Bologna')`,
  'signal-controller': `jsonb_build_object('name', d.name, 'status', 'functional', 'externalId', d.props->>'tlsId',
      'intersectionCode', d.props->>'intersectionCode', 'deviceId', d.id, 'owner', 'Comune di Bologna')`,
  'air-quality': `jsonb_build_object('name', d.name, 'status', 'functional', 'externalId', d.props->>'station', 'deviceId', d.id, 'owner', 'ARPAE Emilia-Romagna',
      'notes', 'Position approximate in the ARPAE open data: survey it')`,
}

export interface SeedReport {
  extent: string | null
  seeded: Record<string, number>
}

/** Seeds what is missing; one transaction per collection. */
export async function seedCensus(db: Db, nowMs = Date.now()): Promise<SeedReport> {
  const extent = await setCensusExtent(db)
  const seeded: Record<string, number> = {}
  if (!extent) return { extent, seeded }
  for (const t of ASSET_TYPES) {
    if (!t.seededFrom) continue
    const kind = t.seededFrom
    const n = await db.transaction(async (tx) => {
      // Only devices inside the extent: the others would be refused by the extent trigger.
      const r = await tx.query<{ id: string | number }>(
        `WITH env AS (SELECT envelope FROM census_extent WHERE id = 'default'),
              todo AS (
                SELECT d.id AS device_id, ${SEED_PROPERTIES[kind]} AS props, ST_Transform(d.geom, ${CENSUS_STORAGE_SRID}) AS g
                FROM device d, env
                WHERE d.kind = $1 AND d.source = 'open-data'
                  AND NOT EXISTS (SELECT 1 FROM census_seed_ref s WHERE s.source_ref = 'device:' || d.id)
                  AND ST_CoveredBy(ST_Transform(d.geom, ${CENSUS_STORAGE_SRID}), env.envelope)
                ORDER BY d.id),
              ins AS (
                INSERT INTO census_feature (collection, version, properties, geom_point, created_at, updated_at, updated_by)
                SELECT $2, 1, jsonb_strip_nulls(props), g, clock_timestamp(), clock_timestamp(), $3 FROM todo
                RETURNING id, properties->>'deviceId' AS device_id)
         INSERT INTO census_seed_ref (source_ref, feature_id) SELECT 'device:' || device_id, id FROM ins RETURNING feature_id AS id`,
        [kind, t.id, SEED_EDITOR],
      )
      if (r.rows.length === 0) return 0
      await tx.query(
        `INSERT INTO census_feature_version (feature_id, version, collection, properties, geom, valid_from, editor, editor_role, note)
         SELECT id, 1, collection, properties, geom_point, updated_at, $2, 'system', 'Seeded from the twin''s open-data registry'
         FROM census_feature WHERE id = ANY($1::bigint[])`,
        [r.rows.map((x) => Number(x.id)), SEED_EDITOR],
      )
      await appendAudit(tx, { actor: SEED_EDITOR, actorRole: 'system', action: 'census.seed', target: `census:${t.id}`, detail: { collection: t.id, features: r.rows.length, from: `device kind ${kind}` } }, nowMs)
      return r.rows.length
    })
    if (n > 0) seeded[t.id] = n
  }
  return { extent, seeded }
}
