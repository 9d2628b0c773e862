/**
 * Alarms in PostGIS (ADR 0006, migration 0007): rules, alarm instances with their ISA-18.2 state,
 * the event trail the KPIs are computed from. Every state change goes through `transition()` of
 * contracts/alarms.ts on the row as locked in the transaction (SELECT … FOR UPDATE), so the
 * evaluator and operators acting on other server processes never overwrite each other.
 */
import type { AlarmAction, Alarm, AlarmEventRecord, AlarmKpis, AlarmRuleRecord, AlarmView, FloodState } from '../../../contracts/alarm-api'
import { AlarmRuleSchema, type AlarmRule } from '../../../contracts/alarm-rules'
import { display, listed, transition, type AlarmEvent, type AlarmPriority, type AlarmState } from '../../../contracts/alarms'
import type { DeviceKind } from '../../../contracts/schemas/device'
import type { ConditionChange, EngineDevice } from '../domain/alarm-engine'
import type { Db, Queryable } from './adapter'

export const PRIORITY_RANK: Record<AlarmPriority, number> = { high: 0, medium: 1, low: 2, diagnostic: 3 }
/** Who the evaluator is in alarm_event and audit_log. */
export const EVALUATOR = 'system:alarms'

const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`
const ts = (i: number) => `to_timestamp($${i}::float8 / 1000)`

interface AlarmRow {
  id: string
  rule_id: string
  subject: string
  device_id: string | null
  district: string | null
  priority: AlarmPriority
  active: boolean
  acked: boolean
  shelved_until_ms: number | null
  shelved_oneshot: boolean
  shelved_reason: string | null
  shelved_by: string | null
  suppressed_by: string | null
  out_of_service: boolean
  chattering: boolean
  message: string
  value: number | string | null
  raised_ms: number
  last_change_ms: number
  cleared_ms: number | null
  acked_ms: number | null
  acked_by: string | null
  activations: number
  closed: boolean
}

const ROW_COLS = `a.id::text AS id, a.rule_id, a.subject, a.device_id, a.district, a.priority, a.active, a.acked, ${ms('a.shelved_until')} AS shelved_until_ms,
  a.shelved_oneshot, a.shelved_reason, a.shelved_by, a.suppressed_by, a.out_of_service, a.chattering, a.message, a.value,
  ${ms('a.raised_at')} AS raised_ms, ${ms('a.last_change_at')} AS last_change_ms, ${ms('a.cleared_at')} AS cleared_ms,
  ${ms('a.acked_at')} AS acked_ms, a.acked_by, a.activations, a.closed_at IS NOT NULL AS closed`

export function stateOf(r: AlarmRow): AlarmState {
  return {
    active: r.active,
    acked: r.acked,
    shelved: r.shelved_by === null ? null : { untilMs: r.shelved_oneshot ? null : r.shelved_until_ms, reason: r.shelved_reason ?? '', by: r.shelved_by },
    suppressedBy: r.suppressed_by,
    outOfService: r.out_of_service,
  }
}

/** An instance closes once it needs nothing more from anyone: inactive, acknowledged, not shelved, in service. */
const closes = (s: AlarmState) => !s.active && s.acked && s.shelved === null && !s.outOfService

// --- rules ------------------------------------------------------------------------------------

export async function loadRules(db: Queryable, log?: { warn(o: object, m?: string): void }): Promise<AlarmRuleRecord[]> {
  const r = await db.query<{ id: string; version: number; doc: unknown; updated_by: string; updated_ms: number }>(
    `SELECT id, version, doc, updated_by, ${ms('updated_at')} AS updated_ms FROM alarm_rule ORDER BY id`,
  )
  const out: AlarmRuleRecord[] = []
  for (const row of r.rows) {
    const parsed = AlarmRuleSchema.safeParse(row.doc)
    if (!parsed.success) {
      log?.warn({ rule: row.id, problem: parsed.error.issues[0]?.message }, 'alarm rule left out: it does not validate')
      continue
    }
    out.push({ rule: parsed.data, version: row.version, updatedBy: row.updated_by, updatedAtMs: row.updated_ms })
  }
  return out
}

/** Creates or replaces a rule, bumping its version. */
export async function putRule(tx: Queryable, rule: AlarmRule, by: string, nowMs: number): Promise<{ record: AlarmRuleRecord; before: AlarmRule | null }> {
  const prev = await tx.query<{ doc: AlarmRule }>('SELECT doc FROM alarm_rule WHERE id = $1 FOR UPDATE', [rule.id])
  const r = await tx.query<{ version: number }>(
    `INSERT INTO alarm_rule (id, doc, enabled, updated_by, updated_at) VALUES ($1, $2, $3, $4, ${ts(5)})
     ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, enabled = EXCLUDED.enabled, updated_by = EXCLUDED.updated_by,
       updated_at = EXCLUDED.updated_at, version = alarm_rule.version + 1
     RETURNING version`,
    [rule.id, JSON.stringify(rule), rule.enabled, by, nowMs],
  )
  return { record: { rule, version: r.rows[0]!.version, updatedBy: by, updatedAtMs: nowMs }, before: prev.rows[0]?.doc ?? null }
}

/** A fingerprint of the rule table: the evaluator reloads the rules when it changes. */
export async function rulesFingerprint(db: Queryable): Promise<string> {
  const r = await db.query<{ f: string | null }>(`SELECT string_agg(id || ':' || version, ',' ORDER BY id) AS f FROM alarm_rule`)
  return r.rows[0]?.f ?? ''
}

// --- devices as the engine sees them ------------------------------------------------------------

export async function loadEngineDevices(db: Queryable, ids?: readonly string[]): Promise<Array<EngineDevice & { district: string | null }>> {
  const r = await db.query<{ id: string; kind: DeviceKind; name: string; expected_interval_s: number; areas: string[] | null; district: string | null }>(
    `SELECT d.id, d.kind, d.name, d.expected_interval_s,
       (SELECT array_agg(x) FROM area a, unnest(ARRAY[a.id, a.code, a.name]) AS x WHERE a.kind IN ('quartiere', 'zona') AND ST_Contains(a.geom, d.geom)) AS areas,
       (SELECT a.name FROM area a WHERE a.kind = 'quartiere' AND ST_Contains(a.geom, d.geom) ORDER BY a.id LIMIT 1) AS district
     FROM device d ${ids ? 'WHERE d.id = ANY($1)' : ''}`,
    ids ? [ids] : [],
  )
  return r.rows.map((x) => ({ id: x.id, kind: x.kind, name: x.name, expectedIntervalS: x.expected_interval_s, areas: x.areas ?? [], district: x.district }))
}

export async function openActiveConditions(db: Queryable): Promise<Array<{ ruleId: string; subject: string; deviceId: string | null }>> {
  const r = await db.query<{ rule_id: string; subject: string; device_id: string | null }>('SELECT rule_id, subject, device_id FROM alarm WHERE closed_at IS NULL AND active')
  return r.rows.map((x) => ({ ruleId: x.rule_id, subject: x.subject, deviceId: x.device_id }))
}

// --- the evaluator's writes ------------------------------------------------------------------------

export interface ApplyContext {
  rules: ReadonlyMap<string, { rule: AlarmRule; version: number }>
  districtOf(deviceId: string): string | null
  /** The alarm that suppresses stale and offline alarms now (an active ingest-down), or null. */
  suppressor: string | null
  /** Alarms changing state this often are chattering (contracts/alarms.ts `chattering`). */
  isChattering(ruleId: string, subject: string, atMs: number): boolean
  nowMs: number
}

/** Rule types an active ingest-down alarm suppresses: their devices cannot report while data cannot arrive. */
export const SUPPRESSED_BY_ROOT_CAUSE = new Set(['stale', 'offline'])

async function lockOpen(tx: Queryable, keys: ReadonlyArray<{ ruleId: string; subject: string }>): Promise<Map<string, AlarmRow>> {
  if (keys.length === 0) return new Map()
  const r = await tx.query<AlarmRow>(
    `SELECT ${ROW_COLS} FROM alarm a JOIN unnest($1::text[], $2::text[]) AS k(rule_id, subject) ON a.rule_id = k.rule_id AND a.subject = k.subject
     WHERE a.closed_at IS NULL ORDER BY a.id FOR UPDATE OF a`,
    [keys.map((k) => k.ruleId), keys.map((k) => k.subject)],
  )
  return new Map(r.rows.map((row) => [`${row.rule_id}\u0000${row.subject}`, row]))
}

async function writeState(tx: Queryable, id: string, s: AlarmState, atMs: number, extra: { message?: string; value?: unknown; cleared?: boolean; activated?: boolean; ackedBy?: string; chattering?: boolean } = {}): Promise<void> {
  await tx.query(
    `UPDATE alarm SET active = $2, acked = $3, shelved_until = CASE WHEN $4::float8 IS NULL THEN NULL ELSE ${ts(4)} END, shelved_oneshot = $5,
       shelved_reason = $6, shelved_by = $7, suppressed_by = $8, out_of_service = $9, last_change_at = ${ts(10)},
       message = COALESCE($11, message), value = CASE WHEN $12::boolean THEN $13::jsonb ELSE value END,
       cleared_at = CASE WHEN $14::boolean THEN ${ts(10)} WHEN $2 THEN NULL ELSE cleared_at END,
       activations = activations + CASE WHEN $15::boolean THEN 1 ELSE 0 END,
       acked_at = CASE WHEN $16::text IS NOT NULL THEN ${ts(10)} WHEN NOT $3 THEN NULL ELSE acked_at END,
       acked_by = CASE WHEN $16::text IS NOT NULL THEN $16 WHEN NOT $3 THEN NULL ELSE acked_by END,
       chattering = chattering OR $17::boolean,
       closed_at = CASE WHEN $18::boolean THEN ${ts(10)} ELSE NULL END
     WHERE id = $1`,
    [
      id,
      s.active,
      s.acked,
      s.shelved?.untilMs ?? null,
      s.shelved !== null && s.shelved.untilMs === null,
      s.shelved?.reason ?? null,
      s.shelved?.by ?? null,
      s.suppressedBy,
      s.outOfService,
      atMs,
      extra.message ?? null,
      'value' in extra,
      'value' in extra ? JSON.stringify(extra.value ?? null) : null,
      extra.cleared === true,
      extra.activated === true,
      extra.ackedBy ?? null,
      extra.chattering === true,
      closes(s),
    ],
  )
}

async function addEvent(tx: Queryable, alarmId: string, atMs: number, type: string, actor: string, priority: string, detail: Record<string, unknown> = {}): Promise<void> {
  await tx.query(`INSERT INTO alarm_event (alarm_id, at, type, actor, priority, detail) VALUES ($1, ${ts(2)}, $3, $4, $5, $6)`, [alarmId, atMs, type, actor, priority, JSON.stringify(detail)])
}

/**
 * Applies the engine's condition changes in the caller's transaction: opens, re-activates or
 * clears instances, suppresses under a root cause, records events. Returns the ids of the alarms
 * that changed. Clears of the root cause itself are applied last, so that alarms it suppressed and
 * that ended with it close quietly instead of landing on the list as returned-to-normal.
 */
export async function applyConditions(tx: Queryable, changes: readonly ConditionChange[], ctx: ApplyContext): Promise<string[]> {
  const typeOf = (c: ConditionChange) => ctx.rules.get(c.ruleId)?.rule.type
  const ordered = [...changes].sort((a, b) => rank(a) - rank(b))
  function rank(c: ConditionChange): number {
    if (typeOf(c) !== 'ingest-down') return 1
    return c.active ? 0 : 2
  }
  const open = await lockOpen(tx, ordered)
  const changed = new Set<string>()
  let suppressor = ctx.suppressor
  for (const c of ordered) {
    const def = ctx.rules.get(c.ruleId)
    if (!def) continue
    const k = `${c.ruleId}\u0000${c.subject}`
    const row = open.get(k)
    const type = def.rule.type
    if (c.active) {
      const chat = ctx.isChattering(c.ruleId, c.subject, c.atMs)
      if (!row) {
        const first = transition(NORMAL_STATE, { type: 'activate' }, c.atMs)
        let st = first.ok ? first.state : NORMAL_STATE
        if (suppressor && SUPPRESSED_BY_ROOT_CAUSE.has(type)) st = { ...st, suppressedBy: suppressor }
        const ins = await tx.query<{ id: string }>(
          `INSERT INTO alarm (rule_id, rule_version, subject, device_id, district, priority, active, acked, suppressed_by, message, value, raised_at, last_change_at, chattering)
           VALUES ($1, $2, $3, $4, $5, $6, true, false, $7, $8, $9, ${ts(10)}, ${ts(10)}, $11) RETURNING id::text AS id`,
          [c.ruleId, def.version, c.subject, c.deviceId, c.deviceId ? ctx.districtOf(c.deviceId) : null, def.rule.priority, st.suppressedBy, c.message, JSON.stringify(c.value), c.atMs, chat],
        )
        const id = ins.rows[0]!.id
        await addEvent(tx, id, c.atMs, 'activate', EVALUATOR, def.rule.priority, { message: c.message, value: c.value, ...(st.suppressedBy ? { suppressedBy: st.suppressedBy } : {}) })
        open.set(k, { id, rule_id: c.ruleId, subject: c.subject } as AlarmRow)
        changed.add(id)
      } else {
        const before = stateOf(row)
        const t = transition(before, { type: 'activate' }, c.atMs)
        if (!t.ok || !t.changed) continue
        let st = t.state
        if (suppressor && SUPPRESSED_BY_ROOT_CAUSE.has(type) && st.suppressedBy === null) st = { ...st, suppressedBy: suppressor }
        await writeState(tx, row.id, st, c.atMs, { message: c.message, value: c.value, activated: true, chattering: chat })
        await addEvent(tx, row.id, c.atMs, 'activate', EVALUATOR, row.priority, { message: c.message, value: c.value, ...(chat ? { chattering: true } : {}) })
        Object.assign(row, rowFields(st))
        changed.add(row.id)
      }
      if (type === 'ingest-down') {
        suppressor = `alarm:${open.get(k)!.id}`
        for (const id of await suppressAll(tx, suppressor, ctx, c.atMs)) changed.add(id)
      }
    } else if (row) {
      const before = stateOf(row)
      const t = transition(before, { type: 'clear' }, c.atMs)
      if (!t.ok || !t.changed) continue
      let st = t.state
      // Suppressed by design: its return to normal needs nobody's acknowledgement (it was never annunciated).
      const quiet = st.suppressedBy !== null && !st.acked
      if (quiet) st = { ...st, acked: true }
      await writeState(tx, row.id, st, c.atMs, { message: c.message, value: c.value, cleared: true, ...(quiet ? { ackedBy: EVALUATOR } : {}) })
      await addEvent(tx, row.id, c.atMs, 'clear', EVALUATOR, row.priority, { message: c.message, value: c.value, ...(quiet ? { acknowledgedAsSuppressed: true } : {}) })
      Object.assign(row, rowFields(st))
      changed.add(row.id)
      if (type === 'ingest-down') {
        for (const id of await unsuppressAll(tx, `alarm:${row.id}`, c.atMs)) changed.add(id)
        suppressor = null
      }
    }
  }
  return [...changed]
}

const NORMAL_STATE: AlarmState = { active: false, acked: true, shelved: null, suppressedBy: null, outOfService: false }

function rowFields(s: AlarmState): Partial<AlarmRow> {
  return {
    active: s.active,
    acked: s.acked,
    shelved_by: s.shelved?.by ?? null,
    shelved_reason: s.shelved?.reason ?? null,
    shelved_until_ms: s.shelved?.untilMs ?? null,
    shelved_oneshot: s.shelved !== null && s.shelved.untilMs === null,
    suppressed_by: s.suppressedBy,
    out_of_service: s.outOfService,
  }
}

async function suppressAll(tx: Queryable, by: string, ctx: ApplyContext, atMs: number): Promise<string[]> {
  const ruleIds = [...ctx.rules.values()].filter((d) => SUPPRESSED_BY_ROOT_CAUSE.has(d.rule.type)).map((d) => d.rule.id)
  if (ruleIds.length === 0) return []
  const r = await tx.query<{ id: string }>(
    `UPDATE alarm SET suppressed_by = $1, last_change_at = ${ts(3)} WHERE closed_at IS NULL AND suppressed_by IS NULL AND rule_id = ANY($2) RETURNING id::text AS id`,
    [by, ruleIds, atMs],
  )
  const ids = r.rows.map((x) => x.id)
  if (ids.length > 0) {
    await tx.query(
      `INSERT INTO alarm_event (alarm_id, at, type, actor, priority, detail) SELECT id, ${ts(2)}, 'suppress', $3, priority, $4 FROM alarm WHERE id = ANY($1::bigint[])`,
      [ids, atMs, EVALUATOR, JSON.stringify({ by })],
    )
  }
  return ids
}

async function unsuppressAll(tx: Queryable, by: string, atMs: number): Promise<string[]> {
  const r = await tx.query<AlarmRow>(`SELECT ${ROW_COLS} FROM alarm a WHERE a.closed_at IS NULL AND a.suppressed_by = $1 ORDER BY a.id FOR UPDATE`, [by])
  for (const row of r.rows) {
    const t = transition(stateOf(row), { type: 'unsuppress' }, atMs)
    if (!t.ok) continue
    await writeState(tx, row.id, t.state, atMs)
    await addEvent(tx, row.id, atMs, 'unsuppress', EVALUATOR, row.priority, { by })
  }
  return r.rows.map((x) => x.id)
}

/** Ends timed shelvings past their end (OPC UA: the alarm is annunciated again). */
export async function expireShelving(tx: Queryable, nowMs: number): Promise<string[]> {
  const r = await tx.query<AlarmRow>(
    `SELECT ${ROW_COLS} FROM alarm a WHERE a.closed_at IS NULL AND a.shelved_until IS NOT NULL AND a.shelved_until <= ${ts(1)} ORDER BY a.id FOR UPDATE`,
    [nowMs],
  )
  for (const row of r.rows) {
    const t = transition(stateOf(row), { type: 'tick' }, nowMs)
    if (!t.ok || !t.changed) continue
    await writeState(tx, row.id, t.state, nowMs)
    await addEvent(tx, row.id, nowMs, 'shelve-expired', EVALUATOR, row.priority, { reason: row.shelved_reason })
  }
  return r.rows.map((x) => x.id)
}

// --- operator actions ---------------------------------------------------------------------------

export class AlarmActionError extends Error {
  constructor(
    readonly code: 'ALARM_NOT_FOUND' | 'ALARM_STATE' | 'VALIDATION_FAILED',
    message: string,
  ) {
    super(message)
  }
}

/** The state before and after an operator's action, for the audit row (null: nothing changed). */
export interface ActionResult {
  id: string
  before: AlarmState
  after: AlarmState
  changed: boolean
}

/** One operator action on one alarm, in the caller's transaction (which also writes the audit row). */
export async function actOnAlarm(tx: Queryable, id: number, action: AlarmAction, by: string, nowMs: number): Promise<ActionResult> {
  const r = await tx.query<AlarmRow>(`SELECT ${ROW_COLS} FROM alarm a WHERE a.id = $1 FOR UPDATE`, [id])
  const row = r.rows[0]
  if (!row) throw new AlarmActionError('ALARM_NOT_FOUND', `There is no alarm ${id}.`)
  const before = stateOf(row)
  if (row.closed && action.action !== 'ack') throw new AlarmActionError('ALARM_STATE', `Alarm ${id} is closed (returned to normal and acknowledged); there is nothing to ${action.action}.`)
  const event: AlarmEvent =
    action.action === 'ack'
      ? { type: 'ack', by }
      : action.action === 'shelve'
        ? { type: 'shelve', by, reason: action.reason, untilMs: action.untilMs }
        : action.action === 'unshelve'
          ? { type: 'unshelve', by }
          : { type: 'out-of-service', by, on: action.action === 'out-of-service' }
  const t = transition(before, event, nowMs)
  if (!t.ok) throw new AlarmActionError(t.code, t.message)
  if (t.changed) {
    await writeState(tx, row.id, t.state, nowMs, action.action === 'ack' ? { ackedBy: by } : {})
    const detail: Record<string, unknown> = {}
    if (action.action === 'ack' && action.note) detail.note = action.note
    if (action.action === 'shelve') Object.assign(detail, { reason: action.reason, untilMs: action.untilMs })
    if (action.action === 'out-of-service') detail.reason = action.reason
    await addEvent(tx, row.id, nowMs, action.action, by, row.priority, detail)
  }
  return { id: row.id, before, after: t.state, changed: t.changed }
}

// --- reads --------------------------------------------------------------------------------------

interface PresentRow extends AlarmRow {
  doc: AlarmRule | null
  device_name: string | null
  device_kind: DeviceKind | null
  lon: number | null
  lat: number | null
}

const PRESENT = `SELECT ${ROW_COLS}, r.doc, d.name AS device_name, d.kind AS device_kind, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat
  FROM alarm a LEFT JOIN alarm_rule r ON r.id = a.rule_id LEFT JOIN device d ON d.id = a.device_id`

function present(r: PresentRow): Alarm {
  const s = stateOf(r)
  const value = typeof r.value === 'number' || typeof r.value === 'string' ? r.value : null
  return {
    id: Number(r.id),
    ruleId: r.rule_id,
    ruleName: r.doc?.name ?? r.rule_id,
    ruleType: r.doc?.type ?? 'unknown',
    priority: r.priority,
    subject: r.subject,
    deviceId: r.device_id,
    deviceKind: r.device_kind,
    deviceName: r.device_name,
    position: r.lon === null || r.lat === null ? null : [r.lon, r.lat],
    district: r.district,
    message: r.message,
    value,
    cause: r.doc?.cause ?? '',
    consequence: r.doc?.consequence ?? '',
    response: r.doc?.response ?? '',
    translations: r.doc?.translations ?? {},
    active: s.active,
    acked: s.acked,
    shelved: s.shelved,
    suppressedBy: s.suppressedBy,
    outOfService: s.outOfService,
    display: display(s),
    listed: listed(s) && !r.closed,
    chattering: r.chattering,
    raisedAtMs: r.raised_ms,
    lastChangeAtMs: r.last_change_ms,
    clearedAtMs: r.cleared_ms,
    ackedAtMs: r.acked_ms,
    ackedBy: r.acked_by,
    activations: r.activations,
    closed: r.closed,
  }
}

const VIEW_WHERE: Record<AlarmView, string> = {
  list: `a.closed_at IS NULL AND a.shelved_by IS NULL AND a.suppressed_by IS NULL AND NOT a.out_of_service AND (a.active OR NOT a.acked)`,
  shelved: `a.closed_at IS NULL AND a.shelved_by IS NOT NULL`,
  suppressed: `a.closed_at IS NULL AND a.suppressed_by IS NOT NULL`,
  'out-of-service': `a.closed_at IS NULL AND a.out_of_service`,
  open: `a.closed_at IS NULL`,
  history: `a.closed_at IS NOT NULL`,
}

/** ISA-18.2 order: priority first, then unacknowledged before acknowledged, then newest change first. */
const LIST_ORDER = `CASE a.priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, (a.active AND NOT a.acked) DESC, NOT a.acked DESC, a.last_change_at DESC, a.id DESC`

export async function listAlarms(db: Queryable, view: AlarmView, opts: { priority?: AlarmPriority; limit: number }): Promise<Alarm[]> {
  const params: unknown[] = [opts.limit]
  const where = [VIEW_WHERE[view]]
  if (opts.priority) {
    params.push(opts.priority)
    where.push(`a.priority = $${params.length}`)
  }
  const order = view === 'history' ? 'a.closed_at DESC, a.id DESC' : LIST_ORDER
  const r = await db.query<PresentRow>(`${PRESENT} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $1`, params)
  return r.rows.map(present)
}

export async function alarmsByIds(db: Queryable, ids: readonly (string | number)[]): Promise<Alarm[]> {
  if (ids.length === 0) return []
  const r = await db.query<PresentRow>(`${PRESENT} WHERE a.id = ANY($1::bigint[]) ORDER BY a.id`, [ids.map(String)])
  return r.rows.map(present)
}

export async function alarmWithEvents(db: Queryable, id: number): Promise<{ alarm: Alarm; events: AlarmEventRecord[] } | null> {
  const [a] = await alarmsByIds(db, [id])
  if (!a) return null
  const e = await db.query<{ id: string; at_ms: number; type: string; actor: string; detail: Record<string, unknown> }>(
    `SELECT id, ${ms('at')} AS at_ms, type, actor, detail FROM alarm_event WHERE alarm_id = $1 ORDER BY id`,
    [id],
  )
  return { alarm: a, events: e.rows.map((x) => ({ id: Number(x.id), atMs: x.at_ms, type: x.type, actor: x.actor, detail: x.detail })) }
}

// --- floods -------------------------------------------------------------------------------------

/** The control room's flood state, as any server process reads it: the open flood row and the last 10 minutes' activations. */
export async function floodState(db: Queryable, nowMs: number): Promise<FloodState> {
  const r = await db.query<{ since_ms: number | null; n: number }>(
    `SELECT (SELECT ${ms('started_at')} FROM alarm_flood WHERE ended_at IS NULL ORDER BY started_at DESC LIMIT 1) AS since_ms,
       (SELECT count(*)::int FROM alarm_event WHERE type = 'activate' AND at > ${ts(1)} AND NOT (detail ? 'suppressedBy')) AS n`,
    [nowMs - 10 * 60_000],
  )
  const row = r.rows[0]
  return { active: row?.since_ms != null, sinceMs: row?.since_ms ?? null, lastTenMinutes: row?.n ?? 0 }
}

/** Inserts the default rules when there are none yet (first start); later edits are the engineers'. */
export async function seedDefaultRules(db: Db, rules: readonly AlarmRule[], nowMs: number): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [74_290_061])
    const n = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM alarm_rule')
    if ((n.rows[0]?.n ?? 0) > 0) return 0
    for (const rule of rules) await putRule(tx, rule, EVALUATOR, nowMs)
    return rules.length
  })
}

/** Staff signed in now who may act on alarms (the denominator of alarms per operator hour). */
export async function operatorsSignedIn(db: Queryable, roles: readonly string[]): Promise<number> {
  const r = await db.query<{ n: number }>(
    `SELECT count(DISTINCT s.username)::int AS n FROM staff_session s JOIN staff_user u ON u.username = s.username
     WHERE u.disabled_at IS NULL AND s.roles && $1::text[] AND s.expires_at > now() AND s.last_seen_at > now() - interval '30 minutes'`,
    [roles],
  )
  return r.rows[0]?.n ?? 0
}

export async function recordFlood(db: Queryable, f: FloodState & { peak: number }, nowMs: number): Promise<void> {
  if (f.active && f.sinceMs !== null) {
    await db.query(`INSERT INTO alarm_flood (started_at, peak) VALUES (${ts(1)}, $2) ON CONFLICT (started_at) DO UPDATE SET peak = GREATEST(alarm_flood.peak, EXCLUDED.peak)`, [f.sinceMs, f.peak])
  } else {
    await db.query(`UPDATE alarm_flood SET ended_at = ${ts(1)} WHERE ended_at IS NULL`, [nowMs])
  }
}

// --- KPIs ---------------------------------------------------------------------------------------

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i]!
}

export async function alarmKpis(db: Db, hours: number, nowMs: number, operators: number): Promise<AlarmKpis> {
  const fromMs = nowMs - hours * 3_600_000
  const [acts, acks, standing, open, bad, floods, districts] = await Promise.all([
    db.query<{ priority: AlarmPriority; n: number }>(`SELECT priority, count(*)::int AS n FROM alarm_event WHERE type = 'activate' AND at >= ${ts(1)} AND at <= ${ts(2)} GROUP BY priority`, [fromMs, nowMs]),
    db.query<{ ms: number }>(
      `SELECT (extract(epoch FROM e.at - a.raised_at) * 1000)::float8 AS ms FROM alarm_event e JOIN alarm a ON a.id = e.alarm_id
       WHERE e.type = 'ack' AND e.actor NOT LIKE 'system:%' AND e.at >= ${ts(1)} AND e.at <= ${ts(2)} ORDER BY 1`,
      [fromMs, nowMs],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alarm WHERE closed_at IS NULL AND active AND raised_at < ${ts(1)}`, [nowMs - 24 * 3_600_000]),
    db.query<{ n: number; chattering: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE chattering)::int AS chattering FROM alarm WHERE closed_at IS NULL`),
    db.query<{ rule_id: string; subject: string; n: number; chattering: boolean }>(
      `SELECT a.rule_id, a.subject, count(*)::int AS n, bool_or(a.chattering) AS chattering FROM alarm_event e JOIN alarm a ON a.id = e.alarm_id
       WHERE e.type = 'activate' AND e.at >= ${ts(1)} GROUP BY a.rule_id, a.subject ORDER BY n DESC, a.rule_id, a.subject LIMIT 10`,
      [fromMs],
    ),
    db.query<{ ms: number }>(
      `SELECT COALESCE(sum(extract(epoch FROM LEAST(COALESCE(ended_at, ${ts(2)}), ${ts(2)}) - GREATEST(started_at, ${ts(1)})) * 1000), 0)::float8 AS ms
       FROM alarm_flood WHERE COALESCE(ended_at, ${ts(2)}) > ${ts(1)}`,
      [fromMs, nowMs],
    ),
    db.query<{ district: string; open: number; unacked: number; highest: number | null }>(
      `SELECT COALESCE(district, 'outside the districts') AS district, count(*)::int AS open, count(*) FILTER (WHERE NOT acked)::int AS unacked,
         min(CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END)::int AS highest
       FROM alarm a WHERE ${VIEW_WHERE.list} GROUP BY 1 ORDER BY 1`,
    ),
  ])
  const byPriority: Record<AlarmPriority, number> = { high: 0, medium: 0, low: 0, diagnostic: 0 }
  for (const r of acts.rows) byPriority[r.priority] = r.n
  const activations = Object.values(byPriority).reduce((a, b) => a + b, 0)
  const ackTimes = acks.rows.map((r) => r.ms)
  const ranks: AlarmPriority[] = ['high', 'medium', 'low', 'diagnostic']
  const floodMs = floods.rows[0]?.ms ?? 0
  return {
    fromMs,
    toMs: nowMs,
    activations,
    operators,
    alarmsPerOperatorHour: Math.round((activations / hours / Math.max(1, operators)) * 100) / 100,
    standing: standing.rows[0]?.n ?? 0,
    open: open.rows[0]?.n ?? 0,
    timeToAckMs: { median: quantile(ackTimes, 0.5), p90: quantile(ackTimes, 0.9), count: ackTimes.length },
    byPriority,
    badActors: bad.rows.map((r) => ({ ruleId: r.rule_id, subject: r.subject, activations: r.n, chattering: r.chattering })),
    chattering: open.rows[0]?.chattering ?? 0,
    timeInFloodMs: Math.round(floodMs),
    floodShare: Math.round((floodMs / (hours * 3_600_000)) * 10_000) / 10_000,
    byDistrict: districts.rows.map((r) => ({ district: r.district, open: r.open, unacknowledged: r.unacked, highest: r.highest === null ? null : ranks[r.highest]! })),
  }
}
