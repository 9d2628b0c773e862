/**
 * Incidents and the shift log (ADR 0006, migration 0008): all their SQL. Every change runs in one
 * transaction with its audit row (server/src/audit/audit-log.ts) and its action-log entry, and bumps
 * the incident's version; a change made on an older version is refused, not merged (compare-and-set
 * on `version` in SQL). Expected failures are IncidentErrors with a stable code and a message a
 * person can act on; nothing is written when one is thrown.
 */
import type {
  AppendShiftLogBody,
  CreateIncidentBody,
  Incident,
  IncidentActionBody,
  IncidentDetail,
  IncidentLogEntry,
  IncidentLogKind,
  ListIncidentsQuery,
  Polygon,
  ShiftLogEntry,
  ShiftLogQuery,
  ShiftLogResponse,
  UpdateIncidentBody,
} from '../../../contracts/incident-api'
import { appendAudit, stateHash } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'

/** Who makes a change (for the audit row and the action log). */
export interface ChangedBy {
  actor: string
  actorRole: string
  requestId?: string | null
}

export class IncidentError extends Error {
  constructor(
    public readonly code: 'VALIDATION_FAILED' | 'INCIDENT_NOT_FOUND' | 'ALARM_NOT_FOUND' | 'CONFLICT',
    message: string,
    /** The request field at fault, for VALIDATION_FAILED (e.g. `body.area`). */
    public readonly field?: string,
  ) {
    super(message)
    this.name = 'IncidentError'
  }
}

interface IncidentRow {
  id: number | string
  type: Incident['type']
  title: string
  description: string
  status: Incident['status']
  priority: Incident['priority']
  lon: number
  lat: number
  area: string | null
  assignee: string | null
  created_by: string
  created_at_ms: number
  updated_at_ms: number
  closed_at_ms: number | null
  closed_by: string | null
  closing_note: string | null
  version: number
  alarm_ids: Array<number | string | bigint> | null
}

const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`
const ts = (param: string) => `to_timestamp(${param}::float8 / 1000.0)`

const SELECT_INCIDENT = `SELECT i.id, i.type, i.title, i.description, i.status, i.priority,
    ST_X(i.location) AS lon, ST_Y(i.location) AS lat, ST_AsGeoJSON(i.area) AS area, i.assignee, i.created_by,
    ${ms('i.created_at')} AS created_at_ms, ${ms('i.updated_at')} AS updated_at_ms, ${ms('i.closed_at')} AS closed_at_ms,
    i.closed_by, i.closing_note, i.version,
    ARRAY(SELECT a.alarm_id FROM incident_alarm a WHERE a.incident_id = i.id ORDER BY a.alarm_id) AS alarm_ids
  FROM incident i`

function toIncident(r: IncidentRow): Incident {
  return {
    id: Number(r.id),
    type: r.type,
    title: r.title,
    description: r.description,
    status: r.status,
    priority: r.priority,
    position: [Number(r.lon), Number(r.lat)],
    area: r.area === null ? null : (JSON.parse(r.area) as Polygon),
    assignee: r.assignee,
    createdBy: r.created_by,
    createdAtMs: Number(r.created_at_ms),
    updatedAtMs: Number(r.updated_at_ms),
    closedAtMs: r.closed_at_ms === null ? null : Number(r.closed_at_ms),
    closedBy: r.closed_by,
    closingNote: r.closing_note,
    version: Number(r.version),
    alarmIds: (r.alarm_ids ?? []).map(Number),
  }
}

const PRIORITY_RANK = `CASE i.priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END`

/** Open incidents first (highest priority, then newest), then closed ones, most recently closed first. */
export async function listIncidents(q: Queryable, f: Pick<ListIncidentsQuery, 'status' | 'limit'> & { bbox?: readonly [number, number, number, number] | undefined }): Promise<Incident[]> {
  const where: string[] = []
  const params: unknown[] = []
  if (f.status !== 'all') {
    params.push(f.status)
    where.push(`i.status = $${params.length}`)
  }
  if (f.bbox) {
    params.push(...f.bbox)
    const n = params.length
    const env = `ST_MakeEnvelope($${n - 3}::float8, $${n - 2}::float8, $${n - 1}::float8, $${n}::float8, 4326)`
    where.push(`(ST_Intersects(i.location, ${env}) OR ST_Intersects(i.area, ${env}))`)
  }
  params.push(f.limit)
  const r = await q.query<IncidentRow>(
    `${SELECT_INCIDENT}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
     ORDER BY (i.status = 'open') DESC, CASE WHEN i.status = 'open' THEN ${PRIORITY_RANK} ELSE 0 END,
              coalesce(i.closed_at, i.created_at) DESC, i.id DESC
     LIMIT $${params.length}`,
    params,
  )
  return r.rows.map(toIncident)
}

export async function getIncident(q: Queryable, id: number): Promise<Incident | null> {
  const r = await q.query<IncidentRow>(`${SELECT_INCIDENT} WHERE i.id = $1`, [id])
  return r.rows[0] ? toIncident(r.rows[0]) : null
}

/** The incident with its action log (oldest entry first), or null. */
export async function getIncidentDetail(q: Queryable, id: number): Promise<IncidentDetail | null> {
  const incident = await getIncident(q, id)
  if (!incident) return null
  const r = await q.query<{ id: number | string; at_ms: number; author: string; kind: IncidentLogKind; text: string }>(
    `SELECT id, ${ms('at')} AS at_ms, author, kind, text FROM incident_log WHERE incident_id = $1 ORDER BY id`,
    [id],
  )
  const log: IncidentLogEntry[] = r.rows.map((e) => ({ id: Number(e.id), atMs: Number(e.at_ms), author: e.author, kind: e.kind, text: e.text }))
  return { incident, log }
}

// ---------------------------------------------------------------------------------------------
// Checks: each throws an IncidentError before anything is written
// ---------------------------------------------------------------------------------------------

async function checkArea(q: Queryable, area: Polygon | null | undefined): Promise<void> {
  if (!area) return
  const r = await q.query<{ valid: boolean; reason: string }>(
    'SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ST_GeomFromGeoJSON($1::text) AS g) s',
    [JSON.stringify(area)],
  )
  const row = r.rows[0]
  if (!row?.valid) {
    throw new IncidentError('VALIDATION_FAILED', `The affected area is not a valid polygon: ${row?.reason ?? 'unknown reason'}. Redraw it so that its edges do not cross and its holes lie inside it.`, 'body.area')
  }
}

async function checkAssignee(q: Queryable, username: string | null | undefined): Promise<void> {
  if (!username) return
  const r = await q.query<{ disabled: boolean }>('SELECT disabled_at IS NOT NULL AS disabled FROM staff_user WHERE username = $1', [username])
  const row = r.rows[0]
  if (!row) throw new IncidentError('VALIDATION_FAILED', `There is no staff account "${username}" to assign the incident to.`, 'body.assignee')
  if (row.disabled) throw new IncidentError('VALIDATION_FAILED', `The account "${username}" is disabled; assign the incident to someone else.`, 'body.assignee')
}

async function checkAlarms(q: Queryable, ids: readonly number[]): Promise<void> {
  const r = await q.query<{ id: number | string }>('SELECT id FROM alarm WHERE id = ANY($1::bigint[])', [ids])
  const found = new Set(r.rows.map((x) => Number(x.id)))
  const missing = ids.filter((id) => !found.has(id))
  if (missing.length > 0) {
    throw new IncidentError('ALARM_NOT_FOUND', `No alarm ${missing.map((id) => `#${id}`).join(', ')}; nothing was changed. Pick the alarms again from the alarm list.`)
  }
}

/** Locks an open incident for a change; `version`: only if it is still at that version. */
async function lockOpen(tx: Queryable, id: number, version?: number): Promise<Incident> {
  const r = await tx.query<{ version: number; status: string }>(
    `SELECT version, status FROM incident WHERE id = $1${version === undefined ? '' : ' AND version = $2'} FOR UPDATE`,
    version === undefined ? [id] : [id, version],
  )
  const current = await getIncident(tx, id)
  if (!current) throw new IncidentError('INCIDENT_NOT_FOUND', `No incident #${id}. It may have been mistyped; list the incidents with GET /api/incidents?status=all.`)
  if (r.rows.length === 0) {
    throw new IncidentError(
      'CONFLICT',
      `Incident #${id} was changed by someone else since you opened it (you had version ${version}, it is now version ${current.version}). Reload it and make your change again.`,
    )
  }
  if (current.status === 'closed') {
    throw new IncidentError('CONFLICT', `Incident #${id} was closed by ${current.closedBy} at ${new Date(current.closedAtMs ?? 0).toISOString()}; a closed incident cannot change. Open a new incident if needed.`)
  }
  return current
}

// ---------------------------------------------------------------------------------------------
// Changes
// ---------------------------------------------------------------------------------------------

async function appendLog(tx: Queryable, incidentId: number, nowMs: number, author: string, kind: IncidentLogKind, text: string, detail: Record<string, unknown> = {}): Promise<void> {
  await tx.query(`INSERT INTO incident_log (incident_id, at, author, kind, text, detail) VALUES ($1, ${ts('$2')}, $3, $4, $5, $6::jsonb)`, [incidentId, nowMs, author, kind, text, JSON.stringify(detail)])
}

/** Links alarms (already checked to exist); returns those that were not linked before. */
async function linkAlarms(tx: Queryable, incidentId: number, alarmIds: readonly number[], nowMs: number, by: ChangedBy): Promise<number[]> {
  const r = await tx.query<{ alarm_id: number | string }>(
    `INSERT INTO incident_alarm (incident_id, alarm_id, linked_at, linked_by)
     SELECT $1, a, ${ts('$3')}, $4 FROM unnest($2::bigint[]) AS a
     ON CONFLICT DO NOTHING RETURNING alarm_id`,
    [incidentId, alarmIds, nowMs, by.actor],
  )
  return r.rows.map((x) => Number(x.alarm_id)).sort((a, b) => a - b)
}

const alarmList = (ids: readonly number[]) => ids.map((id) => `#${id}`).join(', ')
const audited = (by: ChangedBy) => ({ actor: by.actor, actorRole: by.actorRole, requestId: by.requestId ?? null })

async function finish(tx: Queryable, id: number, by: ChangedBy, nowMs: number, action: string, before: Incident | null, detail: Record<string, unknown>): Promise<IncidentDetail> {
  const after = (await getIncidentDetail(tx, id))!
  await appendAudit(tx, { ...audited(by), action, target: `incident:${id}`, beforeHash: before ? stateHash(before) : null, afterHash: stateHash(after.incident), detail }, nowMs)
  return after
}

/** Opens an incident, from alarms when `alarmIds` is given (all must exist: otherwise nothing is written). */
export async function createIncident(db: Db, input: CreateIncidentBody, by: ChangedBy, nowMs: number): Promise<IncidentDetail> {
  return db.transaction(async (tx) => {
    const alarmIds = input.alarmIds ?? []
    if (alarmIds.length > 0) await checkAlarms(tx, alarmIds)
    await checkArea(tx, input.area)
    await checkAssignee(tx, input.assignee)
    const r = await tx.query<{ id: number | string }>(
      `INSERT INTO incident (type, title, description, status, priority, location, area, assignee, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, 'open', $4, ST_SetSRID(ST_MakePoint($5::float8, $6::float8), 4326), ST_SetSRID(ST_GeomFromGeoJSON($7::text), 4326), $8, $9, ${ts('$10')}, ${ts('$10')})
       RETURNING id`,
      [input.type, input.title, input.description, input.priority, input.position[0], input.position[1], input.area ? JSON.stringify(input.area) : null, input.assignee, by.actor, nowMs],
    )
    const id = Number(r.rows[0]!.id)
    if (alarmIds.length > 0) await linkAlarms(tx, id, alarmIds, nowMs, by)
    const from = alarmIds.length > 0 ? ` from alarm${alarmIds.length > 1 ? 's' : ''} ${alarmList([...alarmIds].sort((a, b) => a - b))}` : ''
    await appendLog(tx, id, nowMs, by.actor, 'create', `Opened: ${input.type}, ${input.priority} priority${from}`, { alarmIds })
    if (input.assignee) await appendLog(tx, id, nowMs, by.actor, 'assign', `Assigned to ${input.assignee}`, { assignee: input.assignee })
    return finish(tx, id, by, nowMs, 'incident.create', null, { type: input.type, priority: input.priority, alarmIds })
  })
}

const FIELDS = ['type', 'title', 'description', 'priority', 'position', 'area', 'assignee'] as const
type Field = (typeof FIELDS)[number]
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * Changes fields of an open incident, if it is still at `change.version` (else CONFLICT, nothing
 * written). A change that changes nothing is no change: no new version, no audit row.
 */
export async function updateIncident(db: Db, id: number, change: UpdateIncidentBody, by: ChangedBy, nowMs: number): Promise<IncidentDetail> {
  return db.transaction(async (tx) => {
    const before = await lockOpen(tx, id, change.version)
    const changed: Field[] = FIELDS.filter((f) => change[f] !== undefined && !same(change[f], before[f]))
    if (changed.length === 0) return (await getIncidentDetail(tx, id))!
    if (changed.includes('area')) await checkArea(tx, change.area)
    if (changed.includes('assignee')) await checkAssignee(tx, change.assignee)

    const params: unknown[] = [id, change.version, nowMs]
    const set = (sql: (...p: string[]) => string, ...values: unknown[]) => {
      const names = values.map((v) => (params.push(v), `$${params.length}`))
      return sql(...names)
    }
    const sets = changed.map((f) => {
      switch (f) {
        case 'position':
          return set((x, y) => `location = ST_SetSRID(ST_MakePoint(${x}::float8, ${y}::float8), 4326)`, change.position![0], change.position![1])
        case 'area':
          return set((g) => `area = ST_SetSRID(ST_GeomFromGeoJSON(${g}::text), 4326)`, change.area ? JSON.stringify(change.area) : null)
        default:
          return set((v) => `${f} = ${v}`, change[f])
      }
    })
    // Compare-and-set: the row is locked at this version; the WHERE repeats it so that the write can never land on another one.
    const u = await tx.query(`UPDATE incident SET ${sets.join(', ')}, version = version + 1, updated_at = ${ts('$3')} WHERE id = $1 AND version = $2 AND status = 'open'`, params)
    if (u.rowCount !== 1) throw new IncidentError('CONFLICT', `Incident #${id} changed while saving; reload it and make your change again.`)

    if (changed.includes('assignee')) {
      await appendLog(tx, id, nowMs, by.actor, 'assign', change.assignee ? `Assigned to ${change.assignee}` : 'Unassigned', { from: before.assignee, to: change.assignee })
    }
    const others = changed.filter((f) => f !== 'assignee')
    if (others.length > 0) {
      const described = others.map((f) => (f === 'priority' || f === 'type' ? `${f} ${before[f]} → ${change[f]}` : f === 'area' && change.area === null ? 'area removed' : f))
      await appendLog(tx, id, nowMs, by.actor, 'update', `Changed ${described.join(', ')}`, { fields: others })
    }
    return finish(tx, id, by, nowMs, 'incident.update', before, { fields: changed, fromVersion: change.version })
  })
}

/**
 * Logs an action on an open incident and/or links alarms to it (all must exist). Alarms linked
 * already are skipped; a request that adds nothing changes nothing.
 */
export async function addIncidentAction(db: Db, id: number, action: IncidentActionBody, by: ChangedBy, nowMs: number): Promise<IncidentDetail> {
  return db.transaction(async (tx) => {
    const before = await lockOpen(tx, id)
    let linked: number[] = []
    if (action.alarmIds) {
      await checkAlarms(tx, action.alarmIds)
      linked = await linkAlarms(tx, id, action.alarmIds, nowMs, by)
      if (linked.length > 0) await appendLog(tx, id, nowMs, by.actor, 'link', `Linked alarm${linked.length > 1 ? 's' : ''} ${alarmList(linked)}`, { alarmIds: linked })
    }
    if (action.text !== undefined) await appendLog(tx, id, nowMs, by.actor, 'note', action.text)
    if (linked.length === 0 && action.text === undefined) return (await getIncidentDetail(tx, id))!
    await tx.query(`UPDATE incident SET version = version + 1, updated_at = ${ts('$2')} WHERE id = $1`, [id, nowMs])
    return finish(tx, id, by, nowMs, linked.length > 0 ? 'incident.link' : 'incident.note', before, { alarmIds: linked, note: action.text !== undefined })
  })
}

/** Closes an open incident with a closing note (CONFLICT when it is closed already). */
export async function closeIncident(db: Db, id: number, note: string, by: ChangedBy, nowMs: number): Promise<IncidentDetail> {
  const text = note.trim()
  if (text.length === 0) throw new IncidentError('VALIDATION_FAILED', 'Say how the incident ended: a closing note is required.', 'body.note')
  return db.transaction(async (tx) => {
    const before = await lockOpen(tx, id)
    await tx.query(
      `UPDATE incident SET status = 'closed', closed_at = ${ts('$2')}, closed_by = $3, closing_note = $4, version = version + 1, updated_at = ${ts('$2')}
       WHERE id = $1 AND status = 'open'`,
      [id, nowMs, by.actor, text],
    )
    await appendLog(tx, id, nowMs, by.actor, 'status', `Closed: ${text}`, { status: 'closed' })
    return finish(tx, id, by, nowMs, 'incident.close', before, {})
  })
}

// ---------------------------------------------------------------------------------------------
// Shift log
// ---------------------------------------------------------------------------------------------

interface ShiftRow {
  id: number | string
  at_ms: number
  author: string
  kind: ShiftLogEntry['kind']
  text: string
  open_items: string | null
}
const SELECT_SHIFT = `SELECT id, ${ms('at')} AS at_ms, author, kind, text, open_items FROM shift_log`
const toShiftEntry = (r: ShiftRow): ShiftLogEntry => ({ id: Number(r.id), atMs: Number(r.at_ms), author: r.author, kind: r.kind, text: r.text, openItems: r.open_items })

/** Newest first; `beforeId` pages back. */
export async function listShiftLog(q: Queryable, f: ShiftLogQuery): Promise<ShiftLogResponse> {
  const r = await q.query<ShiftRow>(`${SELECT_SHIFT} WHERE ($1::bigint IS NULL OR id < $1::bigint) ORDER BY id DESC LIMIT $2`, [f.beforeId ?? null, f.limit + 1])
  const entries = r.rows.slice(0, f.limit).map(toShiftEntry)
  return { entries, nextBeforeId: r.rows.length > f.limit ? (entries.at(-1)?.id ?? null) : null }
}

/** Appends an entry (append-only: there is no way to change or remove one), audited as shift_log.append. */
export async function appendShiftLog(db: Db, entry: AppendShiftLogBody, by: ChangedBy, nowMs: number): Promise<ShiftLogEntry> {
  return db.transaction(async (tx) => {
    const r = await tx.query<ShiftRow>(
      `INSERT INTO shift_log (at, author, kind, text, open_items) VALUES (${ts('$1')}, $2, $3, $4, $5)
       RETURNING id, ${ms('at')} AS at_ms, author, kind, text, open_items`,
      [nowMs, by.actor, entry.kind, entry.text, entry.kind === 'handover' ? (entry.openItems ?? null) : null],
    )
    const saved = toShiftEntry(r.rows[0]!)
    await appendAudit(tx, { ...audited(by), action: 'shift_log.append', target: `shift_log:${saved.id}`, beforeHash: null, afterHash: stateHash(saved), detail: { kind: saved.kind } }, nowMs)
    return saved
  })
}
