import type { QuarantineEntry, QuarantineReason } from '../../../contracts/schemas/quarantine'
import type { Queryable } from './adapter'

const PREVIEW_BYTES = 2048

export async function listQuarantine(
  db: Queryable,
  q: { limit: number; beforeId?: number; reason?: QuarantineReason },
): Promise<{ total: number; byReason: Record<string, number>; entries: QuarantineEntry[]; nextBeforeId: number | null }> {
  const where: string[] = []
  const params: unknown[] = []
  if (q.beforeId !== undefined) {
    params.push(q.beforeId)
    where.push(`id < $${params.length}`)
  }
  if (q.reason) {
    params.push(q.reason)
    where.push(`reason = $${params.length}`)
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const rows = await db.query<{
    id: number
    ms: number
    topic: string
    client_id: string | null
    reason: QuarantineReason
    detail: string
    preview: Uint8Array
    payload_bytes: number
    sha256: string
  }>(
    `SELECT id, round(extract(epoch FROM received_at) * 1000)::float8 AS ms, topic, client_id, reason, detail,
            substring(raw FROM 1 FOR ${PREVIEW_BYTES}) AS preview, payload_bytes, sha256
     FROM ingest_quarantine ${w} ORDER BY id DESC LIMIT $${params.length + 1}`,
    [...params, q.limit],
  )
  const counts = await db.query<{ reason: string; n: number }>('SELECT reason, count(*)::int AS n FROM ingest_quarantine GROUP BY reason')
  const byReason = Object.fromEntries(counts.rows.map((r) => [r.reason, Number(r.n)]))
  const entries = rows.rows.map((r) => ({
    id: Number(r.id),
    receivedAtMs: Number(r.ms),
    topic: r.topic,
    clientId: r.client_id,
    reason: r.reason,
    detail: r.detail,
    payloadPreview: Buffer.from(r.preview).toString('utf8'),
    payloadBytes: r.payload_bytes,
    sha256: r.sha256,
  }))
  const last = entries.at(-1)
  return {
    total: Object.values(byReason).reduce((a, b) => a + b, 0),
    byReason,
    entries,
    nextBeforeId: entries.length === q.limit && last ? last.id : null,
  }
}

export async function quarantineTotals(db: Queryable): Promise<{ total: number; last: { reason: QuarantineReason; atMs: number } | null }> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ingest_quarantine')
  const last = await db.query<{ reason: QuarantineReason; ms: number }>(
    'SELECT reason, round(extract(epoch FROM received_at) * 1000)::float8 AS ms FROM ingest_quarantine ORDER BY id DESC LIMIT 1',
  )
  const l = last.rows[0]
  return { total: Number(r.rows[0]?.n ?? 0), last: l ? { reason: l.reason, atMs: Number(l.ms) } : null }
}

export async function listConflicts(db: Queryable, limit: number) {
  const total = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ingest_conflict')
  const r = await db.query<{
    id: number
    device_id: string
    stream: string
    ms: number
    seq: number | null
    rms: number
    kind: 'value_mismatch' | 'seq_reused'
    existing: Record<string, unknown>
    incoming: Record<string, unknown>
  }>(
    `SELECT id, device_id, stream, round(extract(epoch FROM observed_at) * 1000)::float8 AS ms, seq,
            round(extract(epoch FROM received_at) * 1000)::float8 AS rms, kind, existing, incoming
     FROM ingest_conflict ORDER BY id DESC LIMIT $1`,
    [limit],
  )
  return {
    total: Number(total.rows[0]?.n ?? 0),
    entries: r.rows.map((c) => ({
      id: Number(c.id),
      deviceId: c.device_id,
      stream: c.stream,
      observedAtMs: Number(c.ms),
      seq: c.seq === null ? null : Number(c.seq),
      receivedAtMs: Number(c.rms),
      kind: c.kind,
      existing: c.existing,
      incoming: c.incoming,
    })),
  }
}
