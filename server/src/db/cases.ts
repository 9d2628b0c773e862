/**
 * Citizen cases in the database (issue 10, docs/cases.md): the catalogue, creating a case (routed to
 * its office by service and district, linked to the nearest census asset its service names, the
 * reporter's personal data in their own row) and reading what the public may see. Every write is one
 * transaction with its event row and its audit row.
 */
import { createHash, randomBytes } from 'node:crypto'
import { CaseServiceSchema, CLOSED_STATUSES, type CaseOffice, type CaseService, type CaseStatus } from '../../../contracts/schemas/case'
import { CENSUS_STORAGE_SRID } from '../../../contracts/schemas/census'
import { DEFAULT_OFFICES, DEFAULT_SERVICES } from '../../../contracts/cases/service-catalogue'
import { appendAudit } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'

export type CaseErrorCode = 'SERVICE_NOT_FOUND' | 'CASE_NOT_FOUND' | 'VALIDATION_FAILED' | 'OUTSIDE_AREA' | 'CONFLICT' | 'INCIDENT_NOT_FOUND' | 'FEATURE_NOT_FOUND' | 'PLATFORM_NOT_CONFIGURED' | 'NOTICE_NOT_APPLICABLE'

export class CaseError extends Error {
  constructor(
    readonly code: CaseErrorCode,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message)
  }
}

/** How near a census feature must be to be the case's asset. */
export const ASSET_RADIUS_M = 50
const CLOSED = [...CLOSED_STATUSES]

/** Offices and services of the default catalogue that the database lacks (a changed or retired one stays as the offices left it). */
export async function seedCaseCatalogue(db: Db): Promise<{ offices: number; services: number }> {
  return db.transaction(async (tx) => {
    let offices = 0
    let services = 0
    for (const o of DEFAULT_OFFICES) {
      const r = await tx.query(`INSERT INTO case_office (id, name_it, name_en) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`, [o.id, o.name.it, o.name.en])
      offices += r.rowCount
    }
    for (const s of DEFAULT_SERVICES) {
      const r = await tx.query(`INSERT INTO case_service (code, definition, office_id, seeded) VALUES ($1, $2, $3, true) ON CONFLICT (code) DO NOTHING`, [s.code, JSON.stringify(s), s.office])
      services += r.rowCount
    }
    return { offices, services }
  })
}

export interface ServiceRow extends CaseService {
  active: boolean
}

export async function listServices(q: Queryable, o: { includeInactive?: boolean } = {}): Promise<ServiceRow[]> {
  const r = await q.query<{ definition: unknown; active: boolean }>(`SELECT definition, active FROM case_service ${o.includeInactive ? '' : 'WHERE active'} ORDER BY code`)
  return r.rows.map((x) => ({ ...CaseServiceSchema.parse(x.definition), active: x.active }))
}

export async function getService(q: Queryable, code: string): Promise<ServiceRow | null> {
  const r = await q.query<{ definition: unknown; active: boolean }>(`SELECT definition, active FROM case_service WHERE code = $1`, [code])
  const row = r.rows[0]
  return row ? { ...CaseServiceSchema.parse(row.definition), active: row.active } : null
}

export async function listOffices(q: Queryable): Promise<CaseOffice[]> {
  const r = await q.query<{ id: string; name_it: string; name_en: string }>(`SELECT id, name_it, name_en FROM case_office ORDER BY id`)
  return r.rows.map((x) => ({ id: x.id, name: { it: x.name_it, en: x.name_en } }))
}

export async function officeNames(q: Queryable): Promise<Map<string, { it: string; en: string }>> {
  const r = await q.query<{ id: string; name_it: string; name_en: string }>(`SELECT id, name_it, name_en FROM case_office`)
  return new Map(r.rows.map((x) => [x.id, { it: x.name_it, en: x.name_en }]))
}

export interface NewCase {
  serviceCode: string
  lon: number
  lat: number
  description: string
  /** Answers by attribute code, already checked against the service's definition (case-attributes.ts). */
  attributes: Record<string, unknown>
  address: string | null
  addressId: string | null
  mediaUrl: string | null
  personal: Partial<Record<'email' | 'firstName' | 'lastName' | 'phone' | 'accountId' | 'deviceId' | 'fiscalCode', string>>
  source: 'open311' | 'web' | 'operator'
  open311ClientId: number | null
  /** The signed-in citizen's pseudonym (citizen pages): "my cases" finds it after the personal row is gone. */
  citizenRef?: string | null
}

export interface CreatedCase {
  id: number
  token: string | null
  published: boolean
  serviceNotice: string | null
}

export interface CaseActor {
  actor: string
  actorRole: string
  requestId: string | null
}

/**
 * Creates a case: its district (the quartiere containing it; outside every district of an imported
 * comune is refused), its office (a district rule of its service, else the service's), its SLA, the
 * nearest asset of the collections its service names (within 50 m), the personal row when the reporter
 * gave anything, the create event and the audit row — one transaction. A batch service's case gets a
 * token and stays unpublished until an office accepts it.
 */
export async function createCase(
  db: Db,
  c: NewCase,
  by: CaseActor,
  nowMs: number = Date.now(),
  o: { onCreated?(tx: Queryable, created: { id: number; service: CaseService }, nowMs: number): Promise<void> } = {},
): Promise<CreatedCase> {
  return db.transaction(async (tx) => {
    const service = await getService(tx, c.serviceCode)
    if (!service || !service.active) throw new CaseError('SERVICE_NOT_FOUND', `No service ${c.serviceCode.slice(0, 40)}: GET /open311/v2/services.json lists them`, 'service_code')
    const point = `ST_SetSRID(ST_MakePoint($1, $2), 4326)`
    const district = await tx.query<{ id: string; name: string; any: boolean }>(
      `SELECT a.id, a.name, true AS any FROM area a WHERE a.kind = 'quartiere' AND ST_Contains(a.geom, ${point}) ORDER BY a.code LIMIT 1`,
      [c.lon, c.lat],
    )
    const d = district.rows[0] ?? null
    if (!d) {
      const any = await tx.query(`SELECT 1 FROM area WHERE kind = 'quartiere' LIMIT 1`)
      if (any.rows.length > 0) throw new CaseError('OUTSIDE_AREA', `The point ${c.lat.toFixed(5)}, ${c.lon.toFixed(5)} (lat, long) is outside the comune's districts: this service covers Bologna only`, 'lat')
    }
    const route = d ? await tx.query<{ office_id: string }>(`SELECT office_id FROM case_routing WHERE service_code = $1 AND area_id = $2`, [service.code, d.id]) : { rows: [] }
    const office = route.rows[0]?.office_id ?? service.office
    let asset: { collection: string; id: number; distance: number } | null = null
    if (service.assetCollections.length > 0) {
      const a = await tx.query<{ collection: string; id: string; m: number }>(
        `WITH p AS (SELECT ST_Transform(${point}, ${CENSUS_STORAGE_SRID}) AS g)
         SELECT f.collection, f.id, ST_Distance(f.geom_point, p.g) AS m FROM census_feature f, p
          WHERE f.collection = ANY($3) AND f.geom_point IS NOT NULL AND ST_DWithin(f.geom_point, p.g, $4)
          ORDER BY f.geom_point <-> p.g LIMIT 1`,
        [c.lon, c.lat, service.assetCollections, ASSET_RADIUS_M],
      )
      const row = a.rows[0]
      if (row) asset = { collection: row.collection, id: Number(row.id), distance: Number(row.m) }
    }
    const batch = service.type === 'batch'
    const token = batch ? randomBytes(18).toString('base64url') : null
    const notice = batch ? 'The request is checked by the office before it is published; GET /open311/v2/tokens/<token> gives its id then' : null
    const at = new Date(nowMs).toISOString()
    const expected = new Date(nowMs + service.slaHours * 3_600_000).toISOString()
    const ins = await tx.query<{ id: string }>(
      `INSERT INTO citizen_case (service_code, status, description, attributes, address, address_id, location, district_area_id, district_name, office_id,
         media_url, requested_at, updated_at, expected_at, service_notice, asset_collection, asset_feature_id, asset_distance_m, source, open311_client_id, token, published, citizen_ref)
       VALUES ($3, 'new', $4, $5, $6, $7, ${point}, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id`,
      [c.lon, c.lat, service.code, c.description, JSON.stringify(c.attributes), c.address, c.addressId, d?.id ?? null, d?.name ?? null, office, c.mediaUrl, at, expected, notice, asset?.collection ?? null, asset?.id ?? null, asset?.distance ?? null, c.source, c.open311ClientId, token, !batch, c.citizenRef ?? null],
    )
    const id = Number(ins.rows[0]!.id)
    const p = c.personal
    if (Object.values(p).some((v) => v !== undefined && v !== '')) {
      await tx.query(`INSERT INTO citizen_case_personal (case_id, email, first_name, last_name, phone, account_id, device_id, fiscal_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        id,
        p.email ?? null,
        p.firstName ?? null,
        p.lastName ?? null,
        p.phone ?? null,
        p.accountId ?? null,
        p.deviceId ?? null,
        p.fiscalCode ?? null,
      ])
    }
    await tx.query(`INSERT INTO citizen_case_event (case_id, at, kind, actor, actor_role, status, public, detail) VALUES ($1, $2, 'create', $3, $4, 'new', true, $5)`, [
      id,
      at,
      by.actor,
      by.actorRole,
      JSON.stringify({ office, district: d?.id ?? null, asset: asset ? `${asset.collection}/${asset.id}` : null }),
    ])
    await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, action: 'case.create', target: `case:${id}`, requestId: by.requestId, detail: { service: service.code, office, source: c.source } }, nowMs)
    await o.onCreated?.(tx, { id, service }, nowMs)
    return { id, token, published: !batch, serviceNotice: notice }
  })
}

/** A case as the public sees it: no personal field, no assignee, no internal note. */
export interface PublicCase {
  id: number
  serviceCode: string
  status: CaseStatus
  statusNotes: string | null
  description: string
  officeId: string
  serviceNotice: string | null
  requestedAt: string
  updatedAt: string
  expectedAt: string | null
  closedAt: string | null
  address: string | null
  addressId: string | null
  lon: number
  lat: number
  mediaUrl: string | null
  /** The first public photo (citizen_case_attachment), or null. */
  mediaId: number | null
}

const PUBLIC_COLUMNS = `c.id, c.service_code, c.status, c.status_notes, c.description, c.office_id, c.service_notice, c.requested_at, c.updated_at, c.expected_at, c.closed_at,
  c.address, c.address_id, ST_X(c.location) AS lon, ST_Y(c.location) AS lat, c.media_url,
  (SELECT min(a.id) FROM citizen_case_attachment a WHERE a.case_id = c.id AND a.public) AS media_id`

interface PublicRow {
  id: string
  service_code: string
  status: CaseStatus
  status_notes: string | null
  description: string
  office_id: string
  service_notice: string | null
  requested_at: Date | string
  updated_at: Date | string
  expected_at: Date | string | null
  closed_at: Date | string | null
  address: string | null
  address_id: string | null
  lon: number
  lat: number
  media_url: string | null
  media_id: string | null
}

const iso = (v: Date | string) => new Date(v).toISOString()
function publicCase(r: PublicRow): PublicCase {
  return {
    id: Number(r.id),
    serviceCode: r.service_code,
    status: r.status,
    statusNotes: r.status_notes,
    description: r.description,
    officeId: r.office_id,
    serviceNotice: r.service_notice,
    requestedAt: iso(r.requested_at),
    updatedAt: iso(r.updated_at),
    expectedAt: r.expected_at === null ? null : iso(r.expected_at),
    closedAt: r.closed_at === null ? null : iso(r.closed_at),
    address: r.address,
    addressId: r.address_id,
    lon: Number(r.lon),
    lat: Number(r.lat),
    mediaUrl: r.media_url,
    mediaId: r.media_id === null ? null : Number(r.media_id),
  }
}

export interface PublicCaseQuery {
  ids?: number[]
  serviceCodes?: string[]
  /** Requested in [from, to]. */
  fromIso?: string
  toIso?: string
  open?: boolean
  closed?: boolean
  limit: number
}

/** Published cases, newest first: by ids (the other filters ignored, as GeoReport says), or by service, period and status. */
export async function listPublicCases(q: Queryable, f: PublicCaseQuery): Promise<PublicCase[]> {
  const where: string[] = ['c.published']
  const values: unknown[] = []
  const v = (x: unknown) => (values.push(x), `$${values.length}`)
  if (f.ids) where.push(`c.id = ANY(${v(f.ids)}::bigint[])`)
  else {
    if (f.serviceCodes) where.push(`c.service_code = ANY(${v(f.serviceCodes)})`)
    if (f.fromIso) where.push(`c.requested_at >= ${v(f.fromIso)}`)
    if (f.toIso) where.push(`c.requested_at <= ${v(f.toIso)}`)
    if (f.open !== f.closed) where.push(`c.status ${f.closed ? '' : 'NOT '}IN (${CLOSED.map((s) => `'${s}'`).join(', ')})`)
  }
  const r = await q.query<PublicRow>(`SELECT ${PUBLIC_COLUMNS} FROM citizen_case c WHERE ${where.join(' AND ')} ORDER BY c.requested_at DESC, c.id DESC LIMIT ${v(f.limit)}`, values)
  return r.rows.map(publicCase)
}

/** A token's case: its id once published, null while the office has not accepted it; undefined for an unknown token. */
export async function caseOfToken(q: Queryable, token: string): Promise<{ id: number | null } | undefined> {
  const r = await q.query<{ id: string; published: boolean }>(`SELECT id, published FROM citizen_case WHERE token = $1`, [token])
  const row = r.rows[0]
  return row ? { id: row.published ? Number(row.id) : null } : undefined
}

/** The public events (FMS servicerequestupdates) of published cases in [from, to], oldest first. */
export async function listPublicUpdates(q: Queryable, fromIso: string, toIso: string, limit: number): Promise<Array<{ id: number; caseId: number; status: CaseStatus; at: string; note: string | null }>> {
  const r = await q.query<{ id: string; case_id: string; status: CaseStatus; at: Date | string; note: string | null }>(
    `SELECT e.id, e.case_id, e.status, e.at, e.note FROM citizen_case_event e JOIN citizen_case c ON c.id = e.case_id
      WHERE e.public AND c.published AND e.at >= $1 AND e.at <= $2 ORDER BY e.at, e.id LIMIT $3`,
    [fromIso, toIso, limit],
  )
  return r.rows.map((x) => ({ id: Number(x.id), caseId: Number(x.case_id), status: x.status, at: iso(x.at), note: x.note }))
}

export async function open311ClientOfKey(q: Queryable, apiKey: string): Promise<{ id: number; name: string } | null> {
  const r = await q.query<{ id: string; name: string }>(`SELECT id, name FROM open311_client WHERE key_hash = $1 AND revoked_at IS NULL`, [hashKey(apiKey)])
  const row = r.rows[0]
  return row ? { id: Number(row.id), name: row.name } : null
}

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex')

/** Registers an Open311 client (an app, FixMyStreet) and returns its api key, shown once. */
export async function createOpen311Client(db: Db, name: string, by: CaseActor, nowMs: number = Date.now()): Promise<{ id: number; apiKey: string }> {
  const apiKey = `o311_${randomBytes(24).toString('base64url')}`
  return db.transaction(async (tx) => {
    const r = await tx.query<{ id: string }>(`INSERT INTO open311_client (name, key_hash, created_by) VALUES ($1, $2, $3) RETURNING id`, [name, hashKey(apiKey), by.actor])
    const id = Number(r.rows[0]!.id)
    await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, action: 'open311_client.create', target: `open311_client:${id}`, requestId: by.requestId, detail: { name } }, nowMs)
    return { id, apiKey }
  })
}
