/**
 * The offices' case cycle in the database (issue 10, docs/cases.md "The office cycle"): reading cases
 * for the offices (no personal field), one case with its events and duplicate suggestions, and every
 * change — accept, triage, route, assign, status, notes, links, duplicate — as one transaction that
 * checks the version, writes one event per change and one audit row. The reporter's personal data is
 * read only by revealPersonal (audited with its reason) and deleted by the purge job after the case
 * closed + the retention period.
 */
import type { Case, CaseDetail, CaseEvent, CaseEventKind, CaseNoteBody, CasePersonal, CaseSummary, DuplicateSuggestion, ListCasesQuery, UpdateCaseBody } from '../../../contracts/case-api'
import { CLOSED_STATUSES, type CaseStatus } from '../../../contracts/schemas/case'
import { CENSUS_STORAGE_SRID } from '../../../contracts/schemas/census'
import { appendAudit, stateHash } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'
import { scrubPersonal } from '../cases/scrub'
import { listAttachments } from './case-attachments'
import { casePlatformView } from './case-platform-view'
import { CaseError, getService, type CaseActor } from './cases'

/** Duplicate suggestions: same service, within this distance or on the same asset, requested within DUPLICATE_DAYS. */
export const DUPLICATE_RADIUS_M = 50
export const DUPLICATE_DAYS = 30

const SUMMARY_COLUMNS = `c.id, c.service_code, c.status, c.priority, ST_X(c.location) AS lon, ST_Y(c.location) AS lat, c.address, c.district_area_id, c.district_name,
  c.office_id, c.assignee, c.source, c.published, c.requested_at, c.updated_at, c.expected_at, c.closed_at, c.sla_breached_at, c.version`
const CASE_COLUMNS = `${SUMMARY_COLUMNS}, c.description, c.attributes, c.address_id, c.media_url, c.status_notes, c.service_notice, c.asset_collection, c.asset_feature_id,
  c.asset_distance_m, c.incident_id, c.pmo_site_id, c.duplicate_of, EXISTS (SELECT 1 FROM citizen_case_personal p WHERE p.case_id = c.id) AS has_personal`

type Ts = Date | string
interface SummaryRow {
  id: string
  service_code: string
  status: CaseStatus
  priority: 'high' | 'medium' | 'low'
  lon: number
  lat: number
  address: string | null
  district_area_id: string | null
  district_name: string | null
  office_id: string
  assignee: string | null
  source: 'open311' | 'web' | 'operator'
  published: boolean
  requested_at: Ts
  updated_at: Ts
  expected_at: Ts | null
  closed_at: Ts | null
  sla_breached_at: Ts | null
  version: number
}
interface CaseRow extends SummaryRow {
  description: string
  attributes: Record<string, unknown> | string
  address_id: string | null
  media_url: string | null
  status_notes: string | null
  service_notice: string | null
  asset_collection: string | null
  asset_feature_id: string | null
  asset_distance_m: number | null
  incident_id: string | null
  pmo_site_id: string | null
  duplicate_of: string | null
  has_personal: boolean
}

const ms = (v: Ts) => new Date(v).getTime()
const msOrNull = (v: Ts | null) => (v === null ? null : ms(v))
const numOrNull = (v: string | null) => (v === null ? null : Number(v))

function summary(r: SummaryRow): CaseSummary {
  return {
    id: Number(r.id),
    serviceCode: r.service_code,
    status: r.status,
    priority: r.priority,
    position: [Number(r.lon), Number(r.lat)],
    address: r.address,
    districtId: r.district_area_id,
    districtName: r.district_name,
    officeId: r.office_id,
    assignee: r.assignee,
    source: r.source,
    published: r.published,
    requestedAtMs: ms(r.requested_at),
    updatedAtMs: ms(r.updated_at),
    expectedAtMs: msOrNull(r.expected_at),
    closedAtMs: msOrNull(r.closed_at),
    slaBreachedAtMs: msOrNull(r.sla_breached_at),
    version: Number(r.version),
  }
}

function fullCase(r: CaseRow): Case {
  return {
    ...summary(r),
    // What a citizen wrote may hold an e-mail, a phone or a fiscal code: the office sees them only through revealPersonal's audited reasons.
    description: scrubPersonal(r.description),
    attributes: typeof r.attributes === 'string' ? (JSON.parse(r.attributes) as Record<string, unknown>) : r.attributes,
    addressId: r.address_id,
    mediaUrl: r.media_url,
    statusNotes: r.status_notes,
    serviceNotice: r.service_notice,
    asset: r.asset_collection !== null && r.asset_feature_id !== null ? { collection: r.asset_collection, featureId: Number(r.asset_feature_id), distanceM: r.asset_distance_m === null ? null : Number(r.asset_distance_m) } : null,
    incidentId: numOrNull(r.incident_id),
    pmoSiteId: r.pmo_site_id,
    duplicateOf: numOrNull(r.duplicate_of),
    hasPersonalData: r.has_personal,
  }
}

/** Cases for the offices, newest first: one more than the limit is read to say whether the list was cut. */
export async function listCases(q: Queryable, f: ListCasesQuery, nowMs: number = Date.now()): Promise<{ cases: CaseSummary[]; truncated: boolean }> {
  const where: string[] = []
  const values: unknown[] = []
  const v = (x: unknown) => (values.push(x), `$${values.length}`)
  if (f.state === 'open') where.push(`c.closed_at IS NULL`)
  else if (f.state === 'closed') where.push(`c.closed_at IS NOT NULL`)
  else if (f.state === 'overdue') where.push(`c.closed_at IS NULL AND c.expected_at < ${v(new Date(nowMs).toISOString())}`)
  else if (f.state === 'unpublished') where.push(`NOT c.published AND c.closed_at IS NULL`)
  if (f.status) where.push(`c.status = ANY(${v(f.status)})`)
  if (f.service) where.push(`c.service_code = ANY(${v(f.service)})`)
  if (f.office) where.push(`c.office_id = ANY(${v(f.office)})`)
  if (f.district) where.push(`c.district_area_id = ANY(${v(f.district)})`)
  if (f.assignee === 'none') where.push(`c.assignee IS NULL`)
  else if (f.assignee) where.push(`c.assignee = ${v(f.assignee.toLowerCase())}`)
  if (f.bbox) where.push(`c.location && ST_MakeEnvelope(${v(f.bbox[0])}, ${v(f.bbox[1])}, ${v(f.bbox[2])}, ${v(f.bbox[3])}, 4326)`)
  if (f.from) where.push(`c.requested_at >= ${v(f.from)}`)
  if (f.to) where.push(`c.requested_at <= ${v(f.to)}`)
  const r = await q.query<SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM citizen_case c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.requested_at DESC, c.id DESC LIMIT ${v(f.limit + 1)}`,
    values,
  )
  return { cases: r.rows.slice(0, f.limit).map(summary), truncated: r.rows.length > f.limit }
}

export async function getCase(q: Queryable, id: number): Promise<Case | null> {
  const r = await q.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM citizen_case c WHERE c.id = $1`, [id])
  return r.rows[0] ? fullCase(r.rows[0]) : null
}

async function events(q: Queryable, id: number): Promise<CaseEvent[]> {
  const r = await q.query<{ id: string; at: Ts; kind: CaseEventKind; actor: string; status: CaseStatus; note: string | null; public: boolean; detail: Record<string, unknown> | string | null }>(
    `SELECT id, at, kind, actor, status, note, public, detail FROM citizen_case_event WHERE case_id = $1 ORDER BY id`,
    [id],
  )
  return r.rows.map((e) => ({
    id: Number(e.id),
    atMs: ms(e.at),
    kind: e.kind,
    actor: e.actor,
    status: e.status,
    note: e.note,
    public: e.public,
    detail: typeof e.detail === 'string' ? (JSON.parse(e.detail) as Record<string, unknown>) : e.detail,
  }))
}

/**
 * Maybe the same problem: other cases of the same service, open or closed within the period, within
 * DUPLICATE_RADIUS_M or on the same census asset, requested at most DUPLICATE_DAYS before or after —
 * nearest first. Suggestions only: an operator confirms with status "duplicate".
 */
export async function duplicateSuggestions(q: Queryable, c: Case): Promise<DuplicateSuggestion[]> {
  const r = await q.query<{ id: string; status: CaseStatus; requested_at: Ts; m: number; same_asset: boolean; description: string }>(
    `WITH me AS (SELECT location, requested_at, service_code, asset_collection, asset_feature_id FROM citizen_case WHERE id = $1)
     SELECT c.id, c.status, c.requested_at, ST_Distance(c.location::geography, me.location::geography) AS m,
            (me.asset_feature_id IS NOT NULL AND c.asset_feature_id = me.asset_feature_id AND c.asset_collection = me.asset_collection) AS same_asset,
            left(c.description, 200) AS description
       FROM citizen_case c, me
      WHERE c.id <> $1 AND c.service_code = me.service_code AND c.duplicate_of IS NULL
        AND c.requested_at BETWEEN me.requested_at - make_interval(days => $2) AND me.requested_at + make_interval(days => $2)
        AND (c.closed_at IS NULL OR c.closed_at >= me.requested_at - make_interval(days => $2))
        AND (ST_DWithin(c.location::geography, me.location::geography, $3)
             OR (me.asset_feature_id IS NOT NULL AND c.asset_feature_id = me.asset_feature_id AND c.asset_collection = me.asset_collection))
      ORDER BY m, c.id LIMIT 10`,
    [c.id, DUPLICATE_DAYS, DUPLICATE_RADIUS_M],
  )
  return r.rows.map((x) => ({ id: Number(x.id), status: x.status, requestedAtMs: ms(x.requested_at), distanceM: Math.round(Number(x.m) * 10) / 10, sameAsset: x.same_asset, description: scrubPersonal(x.description) }))
}

export async function getCaseDetail(q: Queryable, id: number): Promise<CaseDetail | null> {
  const c = await getCase(q, id)
  if (!c) return null
  return {
    case: c,
    events: await events(q, id),
    duplicates: c.closedAtMs === null ? await duplicateSuggestions(q, c) : [],
    attachments: await listAttachments(q, id),
    ...(await casePlatformView(q, id)),
  }
}

const notFound = (id: number) => new CaseError('CASE_NOT_FOUND', `No case #${id}. List the cases with GET /api/cases?state=all.`)

/** Locks the case for a change made on `version`: CASE_NOT_FOUND, or CONFLICT when it changed since. */
export async function lockCase(tx: Queryable, id: number, version: number): Promise<Case> {
  const lock = await tx.query<{ version: number }>(`SELECT version FROM citizen_case WHERE id = $1 FOR UPDATE`, [id])
  if (!lock.rows[0]) throw notFound(id)
  if (Number(lock.rows[0].version) !== version) {
    throw new CaseError('CONFLICT', `Case #${id} changed meanwhile (it is at version ${lock.rows[0].version}, the change was made on version ${version}): reload it and make the change again.`, 'version')
  }
  return (await getCase(tx, id))!
}

interface EventRow {
  kind: CaseEventKind
  status: CaseStatus
  note?: string | null
  public?: boolean
  detail?: Record<string, unknown>
}

async function addEvents(tx: Queryable, id: number, at: string, by: CaseActor, rows: EventRow[]): Promise<void> {
  for (const e of rows) {
    await tx.query(`INSERT INTO citizen_case_event (case_id, at, kind, actor, actor_role, status, note, public, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      id,
      at,
      e.kind,
      by.actor,
      by.actorRole,
      e.status,
      e.note ?? null,
      e.public ?? false,
      e.detail ? JSON.stringify(e.detail) : null,
    ])
  }
}

export interface CycleOptions {
  /** Days the reporter's personal data is kept after the case closes (the privacy notice's period). */
  personalRetentionDays: number
  /**
   * In the change's transaction, after a status change the citizen sees: what the national platforms
   * must hear of it (the App IO message, queued in the outbox — so it is sent if and only if the change commits).
   */
  onStatusChange?(tx: Queryable, c: { caseId: number; serviceCode: string; status: CaseStatus; note: string | null }, nowMs: number): Promise<void>
}

/**
 * One change of a case by its office (contracts/case-api.ts UpdateCaseBody): every field that differs
 * from the stored case becomes one event, the version goes up by one, one audit row — one transaction.
 * Nothing changes when the version is stale (CONFLICT) or any named record does not exist.
 */
export async function updateCase(db: Db, id: number, b: UpdateCaseBody, by: CaseActor, nowMs: number, o: CycleOptions): Promise<CaseDetail> {
  await db.transaction(async (tx) => {
    const before = await lockCase(tx, id, b.version)
    const at = new Date(nowMs).toISOString()
    const set: string[] = []
    const values: unknown[] = [id]
    const put = (column: string, value: unknown) => (values.push(value), set.push(`${column} = $${values.length}`))
    const ev: EventRow[] = []
    let status = before.status

    if (b.serviceCode !== undefined && b.serviceCode !== before.serviceCode) {
      const s = await getService(tx, b.serviceCode)
      if (!s || !s.active) throw new CaseError('SERVICE_NOT_FOUND', `No active service ${b.serviceCode}: GET /open311/v2/services.json lists them`, 'serviceCode')
      put('service_code', s.code)
      ev.push({ kind: 'triage', status, detail: { serviceCode: { from: before.serviceCode, to: s.code } } })
    }
    if (b.priority !== undefined && b.priority !== before.priority) {
      put('priority', b.priority)
      ev.push({ kind: 'triage', status, detail: { priority: { from: before.priority, to: b.priority } } })
    }
    if (b.officeId !== undefined && b.officeId !== before.officeId) {
      const office = await tx.query(`SELECT 1 FROM case_office WHERE id = $1`, [b.officeId])
      if (office.rows.length === 0) throw new CaseError('VALIDATION_FAILED', `No office "${b.officeId}": the offices are those of the service catalogue`, 'officeId')
      put('office_id', b.officeId)
      ev.push({ kind: 'route', status, detail: { office: { from: before.officeId, to: b.officeId } } })
    }
    if (b.assignee !== undefined && b.assignee !== before.assignee) {
      if (b.assignee !== null) {
        const user = await tx.query(`SELECT 1 FROM staff_user WHERE username = $1 AND disabled_at IS NULL`, [b.assignee])
        if (user.rows.length === 0) throw new CaseError('VALIDATION_FAILED', `No active staff account "${b.assignee}" to assign the case to`, 'assignee')
      }
      put('assignee', b.assignee)
      ev.push({ kind: 'assign', status, detail: { assignee: { from: before.assignee, to: b.assignee } } })
    }
    if (b.incidentId !== undefined && b.incidentId !== before.incidentId) {
      if (b.incidentId !== null) {
        const inc = await tx.query(`SELECT 1 FROM incident WHERE id = $1`, [b.incidentId])
        if (inc.rows.length === 0) throw new CaseError('INCIDENT_NOT_FOUND', `No incident #${b.incidentId}: GET /api/incidents?status=all lists them`, 'incidentId')
      }
      put('incident_id', b.incidentId)
      ev.push({ kind: 'link', status, detail: { incident: { from: before.incidentId, to: b.incidentId } } })
    }
    if (b.pmoSiteId !== undefined && b.pmoSiteId !== before.pmoSiteId) {
      put('pmo_site_id', b.pmoSiteId)
      ev.push({ kind: 'link', status, detail: { pmoSite: { from: before.pmoSiteId, to: b.pmoSiteId } } })
    }
    if (b.asset !== undefined) {
      const was = before.asset ? `${before.asset.collection}/${before.asset.featureId}` : null
      const to = b.asset ? `${b.asset.collection}/${b.asset.featureId}` : null
      if (was !== to) {
        if (b.asset) {
          const f = await tx.query<{ m: number | null }>(
            `SELECT ST_Distance(ST_Transform(c.location, ${CENSUS_STORAGE_SRID}), coalesce(f.geom_point, f.geom_line, f.geom_polygon)) AS m FROM census_feature f, citizen_case c
              WHERE f.collection = $1 AND f.id = $2 AND c.id = $3`,
            [b.asset.collection, b.asset.featureId, id],
          )
          if (f.rows.length === 0) throw new CaseError('FEATURE_NOT_FOUND', `No census feature ${to}: find it on the map or at /ogc/collections/${b.asset.collection}/items`, 'asset')
          put('asset_collection', b.asset.collection)
          put('asset_feature_id', b.asset.featureId)
          put('asset_distance_m', f.rows[0]!.m === null ? null : Number(f.rows[0]!.m))
        } else {
          put('asset_collection', null)
          put('asset_feature_id', null)
          put('asset_distance_m', null)
        }
        ev.push({ kind: 'link', status, detail: { asset: { from: was, to } } })
      }
    }
    if (b.duplicateOf !== undefined && (b.duplicateOf !== before.duplicateOf || before.status !== 'duplicate')) {
      if (b.duplicateOf === id) throw new CaseError('VALIDATION_FAILED', 'A case cannot be a duplicate of itself', 'duplicateOf')
      const of = await tx.query<{ duplicate_of: string | null; service_code: string }>(`SELECT duplicate_of, service_code FROM citizen_case WHERE id = $1`, [b.duplicateOf])
      if (!of.rows[0]) throw new CaseError('CASE_NOT_FOUND', `No case #${b.duplicateOf} to be a duplicate of`, 'duplicateOf')
      // Point at the original, never at another duplicate: the chain stays one step long.
      const root = of.rows[0].duplicate_of === null ? b.duplicateOf : Number(of.rows[0].duplicate_of)
      if (root === id) throw new CaseError('VALIDATION_FAILED', `Case #${b.duplicateOf} is itself a duplicate of this case`, 'duplicateOf')
      put('duplicate_of', root)
      ev.push({ kind: 'duplicate', status: 'duplicate', note: b.statusNote ?? null, public: true, detail: { of: root } })
    }
    let published = before.published
    if (b.published !== undefined && b.published !== before.published) published = b.published
    // A batch request accepted: published by the office, or moved on from "new" (unless refused).
    if (!before.published && b.published === undefined && b.status !== undefined && before.status === 'new' && !CLOSED_STATUSES.has(b.status)) published = true
    if (published !== before.published) {
      put('published', published)
      ev.push({ kind: published ? 'accept' : 'triage', status, detail: { published } })
    }
    if (b.status !== undefined && b.status !== before.status) {
      status = b.status
      put('status', status)
      const closes = CLOSED_STATUSES.has(status)
      const wasClosed = before.closedAtMs !== null
      if (closes && !wasClosed) put('closed_at', at)
      if (!closes && wasClosed) put('closed_at', null)
      if (b.statusNote !== undefined) put('status_notes', b.statusNote)
      // "duplicate": the duplicate event above is the status change (with the note, public).
      if (status !== 'duplicate') ev.push({ kind: 'status', status, note: b.statusNote ?? null, public: true, detail: { from: before.status } })
      if (status !== 'duplicate' && before.duplicateOf !== null) put('duplicate_of', null)
      if (closes && !wasClosed) await tx.query(`UPDATE citizen_case_personal SET purge_after = $2::timestamptz + make_interval(days => $3) WHERE case_id = $1`, [id, at, o.personalRetentionDays])
      if (!closes && wasClosed) await tx.query(`UPDATE citizen_case_personal SET purge_after = NULL WHERE case_id = $1`, [id])
    }
    for (const e of ev) if (e.kind !== 'status' && e.kind !== 'duplicate') e.status = status
    if (b.status !== undefined && b.status !== before.status && o.onStatusChange) await o.onStatusChange(tx, { caseId: id, serviceCode: b.serviceCode ?? before.serviceCode, status, note: b.statusNote ?? null }, nowMs)
    if (ev.length === 0) throw new CaseError('VALIDATION_FAILED', 'Nothing to change: every field sent is already as the case has it', null)
    put('updated_at', at)
    await tx.query(`UPDATE citizen_case SET ${set.join(', ')}, version = version + 1 WHERE id = $1`, values)
    await addEvents(tx, id, at, by, ev)
    const after = (await getCase(tx, id))!
    await appendAudit(
      tx,
      { actor: by.actor, actorRole: by.actorRole, action: 'case.update', target: `case:${id}@${after.version}`, beforeHash: stateHash(before), afterHash: stateHash(after), requestId: by.requestId, detail: { changes: ev.map((e) => e.kind) } },
      nowMs,
    )
  })
  return (await getCaseDetail(db, id))!
}

/** An internal note, or a public one (a FixMyStreet update the citizen reads); the version goes up. */
export async function addCaseNote(db: Db, id: number, b: CaseNoteBody, by: CaseActor, nowMs: number): Promise<CaseDetail> {
  await db.transaction(async (tx) => {
    const before = await lockCase(tx, id, b.version)
    const at = new Date(nowMs).toISOString()
    await tx.query(`UPDATE citizen_case SET updated_at = $2, version = version + 1 WHERE id = $1`, [id, at])
    await addEvents(tx, id, at, by, [{ kind: 'note', status: before.status, note: b.text, public: b.public }])
    await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, action: b.public ? 'case.note-public' : 'case.note', target: `case:${id}@${before.version + 1}`, requestId: by.requestId }, nowMs)
  })
  return (await getCaseDetail(db, id))!
}

/** The reporter's contact data, with the reason audited (who, when, why); null when none was left or it was purged. */
export async function revealPersonal(db: Db, id: number, reason: string, by: CaseActor, nowMs: number): Promise<CasePersonal | null> {
  return db.transaction(async (tx) => {
    const c = await tx.query(`SELECT 1 FROM citizen_case WHERE id = $1`, [id])
    if (c.rows.length === 0) throw notFound(id)
    const r = await tx.query<{ email: string | null; first_name: string | null; last_name: string | null; phone: string | null; purge_after: Ts | null }>(
      `SELECT email, first_name, last_name, phone, purge_after FROM citizen_case_personal WHERE case_id = $1`,
      [id],
    )
    const p = r.rows[0]
    await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, action: 'case.reveal-personal', target: `case:${id}`, requestId: by.requestId, detail: { reason, found: p !== undefined } }, nowMs)
    return p ? { email: p.email, firstName: p.first_name, lastName: p.last_name, phone: p.phone, purgeAfterMs: msOrNull(p.purge_after) } : null
  })
}

export async function caseSummaries(q: Queryable, ids: readonly number[]): Promise<CaseSummary[]> {
  if (ids.length === 0) return []
  const r = await q.query<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM citizen_case c WHERE c.id = ANY($1::bigint[]) ORDER BY c.id`, [ids])
  return r.rows.map(summary)
}

