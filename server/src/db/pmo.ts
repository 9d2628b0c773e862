/**
 * The PMO's projects (migration 0020, docs/pmo.md): create, save a new version on the version it was
 * edited from (CONFLICT otherwise), read the latest and any version. Every change is one transaction with
 * its audit row; the project row keeps the line, the status and the site of the latest version for
 * lists and the map.
 */
import { ProjectSchema, type Project } from '../../../contracts/schemas/pmo'
import { appendAudit, stateHash } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'
import type { ChangedBy } from './signals'

export type PmoErrorCode = 'PROJECT_NOT_FOUND' | 'CONFLICT' | 'VALIDATION_FAILED'
export class PmoError extends Error {
  constructor(
    public readonly code: PmoErrorCode,
    message: string,
    public readonly path?: string,
  ) {
    super(message)
  }
}

export interface StoredProject {
  project: Project
  version: number
  updatedAtMs: number
  updatedBy: string
}

export interface ProjectVersionInfo {
  version: number
  atMs: number
  by: string
  note: string
}

const at = (p: number) => `to_timestamp($${p}::float8 / 1000)`
const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`
const audited = (by: ChangedBy) => ({ actor: by.actor, actorRole: by.actorRole, requestId: by.requestId ?? null })
const parseDoc = (d: unknown) => ProjectSchema.parse(typeof d === 'string' ? JSON.parse(d) : d)
const siteSql = (p: number) => `CASE WHEN $${p}::text IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON($${p}::text), 4326) END`

interface LatestRow {
  document: unknown
  version: number
  at_ms: number
  author: string
}

const LATEST = `SELECT v.document, v.version, ${ms('v.created_at')} AS at_ms, v.author
  FROM pmo_project p JOIN pmo_project_version v ON v.project_id = p.id AND v.version = p.latest_version`

const stored = (r: LatestRow): StoredProject => ({ project: parseDoc(r.document), version: Number(r.version), updatedAtMs: Number(r.at_ms), updatedBy: r.author })

export async function listProjects(q: Queryable, f: { line?: string; status?: string } = {}): Promise<StoredProject[]> {
  const where: string[] = []
  const values: unknown[] = []
  if (f.line) where.push(`p.line = $${values.push(f.line)}`)
  if (f.status) where.push(`p.status = $${values.push(f.status)}`)
  const r = await q.query<LatestRow>(`${LATEST} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY p.line, p.id`, values)
  return r.rows.map(stored)
}

export async function getProject(q: Queryable, id: string): Promise<StoredProject | null> {
  const r = await q.query<LatestRow>(`${LATEST} WHERE p.id = $1`, [id])
  return r.rows[0] ? stored(r.rows[0]) : null
}

export async function projectVersions(q: Queryable, id: string): Promise<ProjectVersionInfo[]> {
  const r = await q.query<{ version: number; at_ms: number; author: string; note: string }>(
    `SELECT version, ${ms('created_at')} AS at_ms, author, note FROM pmo_project_version WHERE project_id = $1 ORDER BY version DESC`,
    [id],
  )
  return r.rows.map((x) => ({ version: Number(x.version), atMs: Number(x.at_ms), by: x.author, note: x.note }))
}

export async function getProjectVersion(q: Queryable, id: string, version: number): Promise<{ project: Project; version: ProjectVersionInfo } | null> {
  const r = await q.query<{ document: unknown; version: number; at_ms: number; author: string; note: string }>(
    `SELECT document, version, ${ms('created_at')} AS at_ms, author, note FROM pmo_project_version WHERE project_id = $1 AND version = $2`,
    [id, version],
  )
  const x = r.rows[0]
  return x ? { project: parseDoc(x.document), version: { version: Number(x.version), atMs: Number(x.at_ms), by: x.author, note: x.note } } : null
}

async function insertVersion(tx: Queryable, doc: Project, version: number, note: string, by: ChangedBy, nowMs: number): Promise<string> {
  const hash = stateHash(doc)
  await tx.query(
    `INSERT INTO pmo_project_version (project_id, version, document, document_hash, author, note, created_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6, ${at(7)})`,
    [doc.id, version, JSON.stringify(doc), hash, by.actor, note, nowMs],
  )
  return hash
}

export async function createProject(db: Db, input: { project: Project; note: string }, by: ChangedBy, nowMs: number): Promise<StoredProject> {
  const doc = ProjectSchema.parse(input.project)
  return db.transaction(async (tx) => {
    const r = await tx.query(
      `INSERT INTO pmo_project (id, line, status, latest_version, site, created_by, created_at, changed_at)
       VALUES ($1, $2, $3, 1, ${siteSql(4)}, $5, ${at(6)}, ${at(6)}) ON CONFLICT (id) DO NOTHING`,
      [doc.id, doc.line, doc.status, doc.site ? JSON.stringify(doc.site.geometry) : null, by.actor, nowMs],
    )
    if (r.rowCount === 0) throw new PmoError('CONFLICT', `A project with the id ${doc.id} exists already: choose another id, or save a new version of that project`, 'project.id')
    const hash = await insertVersion(tx, doc, 1, input.note, by, nowMs)
    await appendAudit(tx, { ...audited(by), action: 'pmo.create', target: `project:${doc.id}@v1`, beforeHash: null, afterHash: hash, detail: { line: doc.line, status: doc.status } }, nowMs)
    return (await getProject(tx, doc.id))!
  })
}

/** A new version edited from `baseVersion`: CONFLICT when someone saved meanwhile. The id is the project's (VALIDATION_FAILED otherwise). */
export async function saveProject(db: Db, id: string, input: { project: Project; baseVersion: number; note: string }, by: ChangedBy, nowMs: number): Promise<StoredProject> {
  const doc = ProjectSchema.parse(input.project)
  if (doc.id !== id) throw new PmoError('VALIDATION_FAILED', `project.id is "${doc.id}", not this project's id "${id}": a version keeps its project's id`, 'project.id')
  return db.transaction(async (tx) => {
    const locked = await tx.query<{ latest_version: number }>(`SELECT latest_version FROM pmo_project WHERE id = $1 FOR UPDATE`, [id])
    const latest = locked.rows[0]?.latest_version
    if (latest === undefined) throw new PmoError('PROJECT_NOT_FOUND', `No project ${id}. List them with GET /api/pmo/projects.`)
    if (Number(latest) !== input.baseVersion) {
      throw new PmoError('CONFLICT', `Project ${id} is at version ${latest}, not ${input.baseVersion}: someone else saved it meanwhile — reload it and apply your change again`)
    }
    const version = Number(latest) + 1
    const before = await tx.query<{ document_hash: string }>('SELECT document_hash FROM pmo_project_version WHERE project_id = $1 AND version = $2', [id, latest])
    await tx.query(
      `UPDATE pmo_project SET latest_version = $2, line = $3, status = $4, site = ${siteSql(5)}, changed_at = ${at(6)} WHERE id = $1`,
      [id, version, doc.line, doc.status, doc.site ? JSON.stringify(doc.site.geometry) : null, nowMs],
    )
    const hash = await insertVersion(tx, doc, version, input.note, by, nowMs)
    await appendAudit(tx, { ...audited(by), action: 'pmo.save', target: `project:${id}@v${version}`, beforeHash: before.rows[0]?.document_hash ?? null, afterHash: hash, detail: { baseVersion: input.baseVersion, status: doc.status } }, nowMs)
    return (await getProject(tx, id))!
  })
}
