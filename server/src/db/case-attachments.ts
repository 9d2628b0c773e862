/**
 * Photos of citizen cases (docs/cases.md "Photos"): stored after their metadata was stripped
 * (server/src/cases/strip-metadata.ts), one row per distinct image of a case (the same photo sent twice
 * is one attachment), with an "attach" event, the version bump and an audit row in one transaction.
 * A public photo of a published case is what the Open311 media_url points to.
 */
import { createHash } from 'node:crypto'
import type { CaseAttachment } from '../../../contracts/case-api'
import type { ImageType } from '../cases/strip-metadata'
import { appendAudit } from '../audit/audit-log'
import type { Db, Queryable } from './adapter'
import { BYTEA_IN, BYTEA_OUT, byteaIn, byteaOut } from './bytea'
import { CaseError, type CaseActor } from './cases'

interface Row {
  id: string
  content_type: ImageType
  size: number
  public: boolean
  uploaded_by: string
  uploaded_at: Date | string
}
const attachment = (r: Row): CaseAttachment => ({ id: Number(r.id), contentType: r.content_type, size: Number(r.size), public: r.public, uploadedBy: r.uploaded_by, uploadedAtMs: new Date(r.uploaded_at).getTime() })
const COLUMNS = `id, content_type, length(bytes) AS size, public, uploaded_by, uploaded_at`

export async function listAttachments(q: Queryable, caseId: number): Promise<CaseAttachment[]> {
  const r = await q.query<Row>(`SELECT ${COLUMNS} FROM citizen_case_attachment WHERE case_id = $1 ORDER BY id`, [caseId])
  return r.rows.map(attachment)
}

/** Stores a stripped image; the same image again (by SHA-256) returns the stored one and writes nothing. */
export async function addAttachment(db: Db, caseId: number, image: { type: ImageType; bytes: Buffer; public: boolean }, by: CaseActor, nowMs: number): Promise<{ attachment: CaseAttachment; created: boolean }> {
  const sha256 = createHash('sha256').update(image.bytes).digest('hex')
  return db.transaction(async (tx) => {
    const c = await tx.query<{ status: string; version: number }>(`SELECT status, version FROM citizen_case WHERE id = $1 FOR UPDATE`, [caseId])
    if (!c.rows[0]) throw new CaseError('CASE_NOT_FOUND', `No case #${caseId}. List the cases with GET /api/cases?state=all.`)
    const same = await tx.query<Row>(`SELECT ${COLUMNS} FROM citizen_case_attachment WHERE case_id = $1 AND sha256 = $2`, [caseId, sha256])
    if (same.rows[0]) return { attachment: attachment(same.rows[0]), created: false }
    const at = new Date(nowMs).toISOString()
    const r = await tx.query<Row>(
      `INSERT INTO citizen_case_attachment (case_id, sha256, content_type, bytes, public, uploaded_by, uploaded_at) VALUES ($1, $2, $3, ${BYTEA_IN('$4')}, $5, $6, $7) RETURNING ${COLUMNS}`,
      [caseId, sha256, image.type, byteaIn(image.bytes), image.public, by.actor, at],
    )
    const a = attachment(r.rows[0]!)
    await tx.query(`UPDATE citizen_case SET updated_at = $2, version = version + 1 WHERE id = $1`, [caseId, at])
    await tx.query(`INSERT INTO citizen_case_event (case_id, at, kind, actor, actor_role, status, public, detail) VALUES ($1, $2, 'attach', $3, $4, $5, $6, $7)`, [
      caseId,
      at,
      by.actor,
      by.actorRole,
      c.rows[0].status,
      image.public,
      JSON.stringify({ attachment: a.id, contentType: a.contentType, size: a.size }),
    ])
    await appendAudit(tx, { actor: by.actor, actorRole: by.actorRole, action: 'case.attach', target: `case:${caseId}@${Number(c.rows[0].version) + 1}`, requestId: by.requestId, detail: { attachment: a.id, sha256, public: image.public } }, nowMs)
    return { attachment: a, created: true }
  })
}

/** An attachment's bytes: of that case (offices), or only a public one of a published case (publicOnly). */
export async function attachmentBytes(q: Queryable, id: number, o: { caseId?: number; publicOnly?: boolean }): Promise<{ type: ImageType; bytes: Buffer } | null> {
  const r = await q.query<{ content_type: ImageType; bytes: string }>(
    `SELECT a.content_type, ${BYTEA_OUT('a.bytes')} AS bytes FROM citizen_case_attachment a JOIN citizen_case c ON c.id = a.case_id
      WHERE a.id = $1 ${o.caseId !== undefined ? 'AND a.case_id = $2' : ''} ${o.publicOnly ? 'AND a.public AND c.published' : ''}`,
    o.caseId !== undefined ? [id, o.caseId] : [id],
  )
  const row = r.rows[0]
  return row ? { type: row.content_type, bytes: byteaOut(row.bytes) } : null
}
