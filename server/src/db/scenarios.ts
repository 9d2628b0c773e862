/**
 * The scenario explorer's storage (migration 0014, docs/scenarios.md "Storing scenarios"): scenarios
 * with every version of their document, their status and their branches, and the cache of their
 * estimates. Every change is one transaction with its audit row. A save names the version it was
 * edited from (`baseVersion`): the scenario row is locked and its latest version compared, so of two
 * saves from the same version exactly one is written and the other gets CONFLICT, and versions stay
 * contiguous. The document is parsed with the contracts' schema here too, whatever the route did.
 */
import type { ScenarioDetail, ScenarioEstimateDto, ScenarioStatus, ScenarioSummary, ScenarioVersion } from '../../../contracts/scenario-api'
import { ScenarioSchema, type Scenario } from '../../../contracts/schemas/scenario'
import { appendAudit, stateHash } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'
import type { ChangedBy } from './signals'

export type ScenarioErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION_FAILED' | 'SCENARIO_STATE'
export class ScenarioError extends Error {
  constructor(
    public readonly code: ScenarioErrorCode,
    message: string,
    /** The field at fault, from the request body (`document.id`), for VALIDATION_FAILED. */
    public readonly path?: string,
  ) {
    super(message)
  }
}

/**
 * The status a scenario may move to from each status: publish a draft, withdraw a published one back
 * to draft, archive either (read-only: no new version), reopen an archived one as a draft.
 */
export const STATUS_MOVES: Readonly<Record<ScenarioStatus, readonly ScenarioStatus[]>> = {
  draft: ['published', 'archived'],
  published: ['draft', 'archived'],
  archived: ['draft'],
}

const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`
const at = (n: number) => `to_timestamp($${n}::float8 / 1000)`

interface SummaryRow {
  id: string
  status: ScenarioStatus
  latest_version: number
  parent_id: string | null
  parent_version: number | null
  created_by: string
  created_at_ms: number
  title: string
  network: Scenario['network']
  base: Scenario['base']
  edits: number
  updated_by: string
  updated_at_ms: number
}

const SUMMARY_SQL = `SELECT s.id, s.status, s.latest_version, s.parent_id, s.parent_version, s.created_by, ${ms('s.created_at')} AS created_at_ms,
    v.document->>'title' AS title, v.document->>'network' AS network, v.document->'base' AS base,
    coalesce(jsonb_array_length(v.document->'edits'), 0) AS edits, v.author AS updated_by, ${ms('v.created_at')} AS updated_at_ms
  FROM scenario s JOIN scenario_version v ON v.scenario_id = s.id AND v.version = s.latest_version`

function toSummary(r: SummaryRow): ScenarioSummary {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    network: r.network,
    base: r.base,
    latestVersion: r.latest_version,
    edits: Number(r.edits),
    createdBy: r.created_by,
    createdAtMs: Number(r.created_at_ms),
    updatedBy: r.updated_by,
    updatedAtMs: Number(r.updated_at_ms),
    parent: r.parent_id !== null && r.parent_version !== null ? { id: r.parent_id, version: r.parent_version } : null,
  }
}

interface VersionRow {
  scenario_id: string
  version: number
  document: Scenario
  author: string
  note: string
  created_at_ms: number
}

const toVersion = (r: VersionRow): ScenarioVersion => ({ id: r.scenario_id, version: r.version, document: r.document, author: r.author, createdAtMs: Number(r.created_at_ms), note: r.note })

/** Scenarios, newest change first (a version or a status change); only those of a status when given. */
export async function listScenarios(q: Queryable, status?: ScenarioStatus): Promise<ScenarioSummary[]> {
  const r = await q.query<SummaryRow>(`${SUMMARY_SQL} WHERE $1::text IS NULL OR s.status = $1 ORDER BY s.changed_at DESC, s.id`, [status ?? null])
  return r.rows.map(toSummary)
}

/** A scenario with its latest version, every version (newest first, without the documents) and its branches. */
export async function getScenario(q: Queryable, id: string): Promise<ScenarioDetail | null> {
  const s = (await q.query<SummaryRow>(`${SUMMARY_SQL} WHERE s.id = $1`, [id])).rows[0]
  if (!s) return null
  // One after another: inside a transaction the queries share one connection.
  const latest = await getScenarioVersion(q, id, s.latest_version)
  const versions = await q.query<{ version: number; author: string; note: string; created_at_ms: number; title: string; edits: number }>(
    `SELECT version, author, note, ${ms('created_at')} AS created_at_ms, document->>'title' AS title, coalesce(jsonb_array_length(document->'edits'), 0) AS edits
     FROM scenario_version WHERE scenario_id = $1 ORDER BY version DESC`,
    [id],
  )
  const branches = await q.query<{ id: string; title: string; parent_version: number }>(
    `SELECT s.id, v.document->>'title' AS title, s.parent_version FROM scenario s
     JOIN scenario_version v ON v.scenario_id = s.id AND v.version = s.latest_version
     WHERE s.parent_id = $1 ORDER BY s.created_at, s.id`,
    [id],
  )
  return {
    ...toSummary(s),
    latest: latest!,
    versions: versions.rows.map((v) => ({ id, version: v.version, author: v.author, createdAtMs: Number(v.created_at_ms), note: v.note, title: v.title, edits: Number(v.edits) })),
    branches: branches.rows.map((b) => ({ id: b.id, title: b.title, parentVersion: b.parent_version })),
  }
}

export async function getScenarioVersion(q: Queryable, id: string, version: number): Promise<ScenarioVersion | null> {
  const r = await q.query<VersionRow>(`SELECT scenario_id, version, document, author, note, ${ms('created_at')} AS created_at_ms FROM scenario_version WHERE scenario_id = $1 AND version = $2`, [id, version])
  return r.rows[0] ? toVersion(r.rows[0]) : null
}

const audited = (by: ChangedBy) => ({ actor: by.actor, actorRole: by.actorRole, requestId: by.requestId ?? null })

async function insertVersion(tx: Queryable, doc: Scenario, version: number, note: string, by: ChangedBy, nowMs: number): Promise<string> {
  const hash = stateHash(doc)
  await tx.query(
    `INSERT INTO scenario_version (scenario_id, version, document, document_hash, author, note, created_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6, ${at(7)})`,
    [doc.id, version, JSON.stringify(doc), hash, by.actor, note, nowMs],
  )
  return hash
}

/** A new scenario row, or CONFLICT when the id is taken (a concurrent create of the same id waits, then conflicts). */
async function insertScenario(tx: Queryable, id: string, parent: Scenario['parent'], by: ChangedBy, nowMs: number, hint: string): Promise<void> {
  const r = await tx.query(
    `INSERT INTO scenario (id, status, latest_version, parent_id, parent_version, created_by, created_at, changed_at)
     VALUES ($1, 'draft', 1, $2, $3, $4, ${at(5)}, ${at(5)}) ON CONFLICT (id) DO NOTHING`,
    [id, parent?.id ?? null, parent?.version ?? null, by.actor, nowMs],
  )
  if (r.rowCount === 0) throw new ScenarioError('CONFLICT', `A scenario with the id ${id} exists already: ${hint}`)
}

/** Version 1 of a new scenario, a draft. A document naming a parent is accepted when that version exists here. */
export async function createScenario(db: Db, input: { document: Scenario; note: string }, by: ChangedBy, nowMs: number): Promise<ScenarioDetail> {
  const doc = ScenarioSchema.parse(input.document)
  return db.transaction(async (tx) => {
    if (doc.parent && !(await getScenarioVersion(tx, doc.parent.id, doc.parent.version))) {
      throw new ScenarioError('VALIDATION_FAILED', `document.parent: there is no version ${doc.parent.version} of scenario ${doc.parent.id} here; leave parent null, or branch from a stored version (POST /api/scenarios/<id>/versions/<version>/branch)`, 'document.parent')
    }
    await insertScenario(tx, doc.id, doc.parent, by, nowMs, 'choose another id, or save a new version of that scenario')
    const hash = await insertVersion(tx, doc, 1, input.note, by, nowMs)
    await appendAudit(tx, { ...audited(by), action: 'scenario.create', target: `scenario:${doc.id}@v1`, beforeHash: null, afterHash: hash, detail: { edits: doc.edits.length, ...(doc.parent ? { parent: `${doc.parent.id}@v${doc.parent.version}` } : {}) } }, nowMs)
    return (await getScenario(tx, doc.id))!
  })
}

interface LockedScenario {
  status: ScenarioStatus
  latest_version: number
  parent_id: string | null
  parent_version: number | null
}

async function lockScenario(tx: Queryable, id: string): Promise<LockedScenario> {
  // Under READ COMMITTED a second locker waits, then reads the row as the first one committed it.
  const r = await tx.query<LockedScenario>('SELECT status, latest_version, parent_id, parent_version FROM scenario WHERE id = $1 FOR UPDATE', [id])
  if (!r.rows[0]) throw new ScenarioError('NOT_FOUND', `No scenario ${id}. List the scenarios with GET /api/scenarios.`)
  return r.rows[0]
}

/**
 * A new version, edited from `baseVersion`: CONFLICT when that is not the latest any more (someone
 * saved meanwhile), SCENARIO_STATE when the scenario is archived. The document keeps the scenario's
 * id (VALIDATION_FAILED naming document.id otherwise) and its recorded parent (set here: lineage is
 * not edited).
 */
export async function saveScenarioVersion(db: Db, id: string, input: { document: Scenario; baseVersion: number; note: string }, by: ChangedBy, nowMs: number): Promise<ScenarioDetail> {
  const parsed = ScenarioSchema.parse(input.document)
  if (parsed.id !== id) {
    throw new ScenarioError('VALIDATION_FAILED', `document.id is "${parsed.id}", not this scenario's id "${id}": a version keeps its scenario's id (branch from a version to start a scenario with another id)`, 'document.id')
  }
  return db.transaction(async (tx) => {
    const s = await lockScenario(tx, id)
    if (s.status === 'archived') throw new ScenarioError('SCENARIO_STATE', `Scenario ${id} is archived and read-only: reopen it as a draft (POST /api/scenarios/${id}/status {"status":"draft"}) or branch from one of its versions`)
    if (s.latest_version !== input.baseVersion) {
      throw new ScenarioError('CONFLICT', `Scenario ${id} is at version ${s.latest_version}, not ${input.baseVersion}: someone else saved it meanwhile — reload it and apply your change again`)
    }
    const doc: Scenario = { ...parsed, parent: s.parent_id !== null && s.parent_version !== null ? { id: s.parent_id, version: s.parent_version } : null }
    const version = s.latest_version + 1
    const before = await tx.query<{ document_hash: string }>('SELECT document_hash FROM scenario_version WHERE scenario_id = $1 AND version = $2', [id, s.latest_version])
    const moved = await tx.query(`UPDATE scenario SET latest_version = $2, changed_at = ${at(4)} WHERE id = $1 AND latest_version = $3`, [id, version, s.latest_version, nowMs])
    if (moved.rowCount !== 1) throw new Error(`scenario ${id} moved under its lock`)
    const hash = await insertVersion(tx, doc, version, input.note, by, nowMs)
    await appendAudit(tx, { ...audited(by), action: 'scenario.save', target: `scenario:${id}@v${version}`, beforeHash: before.rows[0]?.document_hash ?? null, afterHash: hash, detail: { baseVersion: input.baseVersion, edits: doc.edits.length } }, nowMs)
    return (await getScenario(tx, id))!
  })
}

/** A new scenario (a draft, version 1) from a stored version: its document with the new id and title, the parent recorded. */
export async function branchScenario(db: Db, from: { id: string; version: number }, input: { id: string; title: string; note: string }, by: ChangedBy, nowMs: number): Promise<ScenarioDetail> {
  return db.transaction(async (tx) => {
    const source = await getScenarioVersion(tx, from.id, from.version)
    if (!source) throw new ScenarioError('NOT_FOUND', `No version ${from.version} of scenario ${from.id}. Its versions are listed by GET /api/scenarios/${from.id}.`)
    const doc = ScenarioSchema.parse({ ...source.document, id: input.id, title: input.title, parent: { id: from.id, version: from.version } })
    await insertScenario(tx, doc.id, doc.parent, by, nowMs, 'choose another id for the branch')
    const hash = await insertVersion(tx, doc, 1, input.note, by, nowMs)
    await appendAudit(tx, { ...audited(by), action: 'scenario.branch', target: `scenario:${doc.id}@v1`, beforeHash: stateHash(source.document), afterHash: hash, detail: { parent: `${from.id}@v${from.version}` } }, nowMs)
    return (await getScenario(tx, doc.id))!
  })
}

/** Moves the scenario's status along STATUS_MOVES (SCENARIO_STATE otherwise); to its own status, nothing changes. */
export async function setScenarioStatus(db: Db, id: string, status: ScenarioStatus, by: ChangedBy, nowMs: number): Promise<ScenarioDetail> {
  return db.transaction(async (tx) => {
    const s = await lockScenario(tx, id)
    if (s.status !== status) {
      if (!STATUS_MOVES[s.status].includes(status)) {
        throw new ScenarioError('SCENARIO_STATE', `Scenario ${id} is ${s.status}: it can become ${STATUS_MOVES[s.status].join(' or ')}, not ${status}${s.status === 'archived' ? ' (reopen it as a draft first)' : ''}`)
      }
      await tx.query(`UPDATE scenario SET status = $2, status_changed_by = $3, status_changed_at = ${at(4)}, changed_at = ${at(4)} WHERE id = $1`, [id, status, by.actor, nowMs])
      await appendAudit(tx, { ...audited(by), action: 'scenario.status', target: `scenario:${id}@v${s.latest_version}`, detail: { from: s.status, to: status } }, nowMs)
    }
    return (await getScenario(tx, id))!
  })
}

/**
 * The cached estimate of a version at an hour, unless it was computed before the latest city data
 * import (a new street graph, areas or loop registry: the estimate would differ).
 */
export async function cachedEstimate(q: Queryable, id: string, version: number, hour: number): Promise<ScenarioEstimateDto | null> {
  const r = await q.query<{ estimate: ScenarioEstimateDto }>(
    `SELECT estimate FROM scenario_estimate
     WHERE scenario_id = $1 AND version = $2 AND hour = $3
       AND computed_at >= coalesce((SELECT max(imported_at) FROM dataset_import), '-infinity'::timestamptz)`,
    [id, version, hour],
  )
  return r.rows[0]?.estimate ?? null
}

/** Stores (or replaces) the estimate of a version at its hour. A cache write: not audited (nobody changed anything). */
export async function storeEstimate(q: Queryable, id: string, version: number, estimate: ScenarioEstimateDto): Promise<void> {
  await q.query(
    `INSERT INTO scenario_estimate (scenario_id, version, hour, estimate, computed_at) VALUES ($1, $2, $3, $4::jsonb, ${at(5)})
     ON CONFLICT (scenario_id, version, hour) DO UPDATE SET estimate = EXCLUDED.estimate, computed_at = EXCLUDED.computed_at`,
    [id, version, estimate.hour, JSON.stringify(estimate), estimate.computedAtMs],
  )
}
