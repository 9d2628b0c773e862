/**
 * The reconciliation report (ADR 0004 §5): per device, what it published against what the database
 * holds. published = stored + quarantined + declared lost + LOST. Pass: lost 0, duplicates 0,
 * unexpected 0. Quarantined readings are found by their kept raw bytes (topic + seq).
 */
import type { Queryable } from '../../../server/src/db/adapter'

export interface Reconciliation {
  devices: number
  published: number
  stored: number
  quarantined: number
  declaredLost: number
  lost: number
  /** Rows beyond the first per (device, seq). */
  duplicates: number
  /** Stored seqs no device published. */
  unexpected: number
  /** The first missing ranges, for the report: device → [from, to]. */
  missing: Array<{ deviceId: string; from: number; to: number }>
}

/** `published`: deviceId → n, the device published seqs 1…n. */
export async function reconcile(db: Queryable, published: ReadonlyMap<string, number>, table = 'traffic_reading'): Promise<Reconciliation> {
  const ids = [...published.keys()]
  const stored = new Map<string, Map<number, number>>()
  const rows = await db.query<{ device_id: string; seq: number; n: number }>(
    `SELECT device_id, seq::float8 AS seq, count(*)::int AS n FROM ${table} WHERE device_id = ANY($1::text[]) GROUP BY 1, 2`,
    [ids],
  )
  for (const r of rows.rows) {
    let m = stored.get(r.device_id)
    if (!m) stored.set(r.device_id, (m = new Map()))
    m.set(Number(r.seq), Number(r.n))
  }
  const quarantined = new Map<string, Set<number>>()
  const q = await db.query<{ topic: string; raw: Buffer | Uint8Array | string }>(`SELECT topic, raw FROM ingest_quarantine WHERE split_part(topic, '/', 4) = ANY($1::text[])`, [ids])
  for (const r of q.rows) {
    const id = r.topic.split('/')[3]!
    try {
      const raw = typeof r.raw === 'string' ? r.raw : Buffer.from(r.raw).toString('utf8')
      const seq = (JSON.parse(raw) as { seq?: unknown }).seq
      if (typeof seq === 'number') {
        let s = quarantined.get(id)
        if (!s) quarantined.set(id, (s = new Set()))
        s.add(seq)
      }
    } catch {
      /* unparseable: not a reading of the fleet */
    }
  }
  const declared = new Map<string, Array<[number, number]>>()
  const d = await db
    .query<{ device_id: string; from_seq: number; to_seq: number }>(
      `SELECT device_id, from_seq::float8 AS from_seq, to_seq::float8 AS to_seq FROM seq_gap WHERE closed_as = 'declared_lost' AND device_id = ANY($1::text[])`,
      [ids],
    )
    .catch(() => ({ rows: [] as Array<{ device_id: string; from_seq: number; to_seq: number }> }))
  for (const r of d.rows) declared.set(r.device_id, [...(declared.get(r.device_id) ?? []), [Number(r.from_seq), Number(r.to_seq)]])

  const rep: Reconciliation = { devices: ids.length, published: 0, stored: 0, quarantined: 0, declaredLost: 0, lost: 0, duplicates: 0, unexpected: 0, missing: [] }
  for (const [id, n] of published) {
    rep.published += n
    const st = stored.get(id) ?? new Map<number, number>()
    const qs = quarantined.get(id) ?? new Set<number>()
    const dl = declared.get(id) ?? []
    for (const [seq, c] of st) {
      rep.duplicates += c - 1
      if (seq < 1 || seq > n) rep.unexpected++
    }
    let runStart: number | null = null
    for (let s = 1; s <= n + 1; s++) {
      let missing = false
      if (s <= n) {
        if (st.has(s)) rep.stored++
        else if (qs.has(s)) rep.quarantined++
        else if (dl.some(([a, b]) => s >= a && s <= b)) rep.declaredLost++
        else {
          rep.lost++
          missing = true
        }
      }
      if (missing) runStart ??= s
      else if (runStart !== null) {
        if (rep.missing.length < 20) rep.missing.push({ deviceId: id, from: runStart, to: s - 1 })
        runStart = null
      }
    }
  }
  return rep
}
