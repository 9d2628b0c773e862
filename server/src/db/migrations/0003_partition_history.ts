/**
 * History becomes daily range partitions (ADR 0004 §4).
 *
 * Per history table: the existing table is renamed `<t>_legacy` and attached, as it is, as ONE
 * partition [MINVALUE, tomorrow 00:00 UTC) of a new parent `<t>` PARTITION BY RANGE (observed_at).
 * A CHECK matching that bound is added first, so the attach does not scan again (one validation
 * scan, no copy); its primary key becomes the partition's part of the parent's key, its unique
 * (device_id, stream, seq) index its local seq index. Then the next three UTC days get their own
 * partitions `<t>_pYYYYMMDD`, each with its local seq index; server/src/db/partitions.ts keeps
 * creating them from there. No DEFAULT partition (it would block creating and detaching others).
 *
 * Frozen: this file spells its tables out instead of importing reading-tables.ts, so that what
 * it does never changes after it was applied (its checksum covers only this file).
 */
import type { Queryable } from '../adapter'

const TABLES = ['traffic_reading', 'air_quality_reading', 'gate_reading', 'link_reading', 'signal_stage_reading', 'bike_count_reading']
const DAY_MS = 86_400_000
const DAYS_AHEAD = 3

const iso = (ms: number) => new Date(ms).toISOString()
const dayName = (ms: number) => iso(ms).slice(0, 10).replaceAll('-', '')

export async function up(tx: Queryable): Promise<void> {
  const now = await tx.query<{ ms: number }>('SELECT (extract(epoch FROM now()) * 1000)::float8 AS ms')
  const tomorrow = Math.floor(Number(now.rows[0]?.ms) / DAY_MS) * DAY_MS + DAY_MS
  for (const t of TABLES) {
    await tx.query(`ALTER TABLE ${t} RENAME TO ${t}_legacy`)
    await tx.query(`ALTER INDEX ${t}_pkey RENAME TO ${t}_legacy_pkey`)
    await tx.query(`ALTER INDEX ${t}_seq_key RENAME TO ${t}_legacy_seq_key`)
    await tx.query(`CREATE TABLE ${t} (LIKE ${t}_legacy INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (observed_at)`)
    await tx.query(`ALTER TABLE ${t} ADD CONSTRAINT ${t}_pkey PRIMARY KEY (device_id, stream, observed_at)`)
    await tx.query(`ALTER TABLE ${t}_legacy ADD CONSTRAINT ${t}_legacy_bound CHECK (observed_at < '${iso(tomorrow)}')`)
    await tx.query(`ALTER TABLE ${t} ATTACH PARTITION ${t}_legacy FOR VALUES FROM (MINVALUE) TO ('${iso(tomorrow)}')`)
    // The partition bound now says the same; a second copy of it would only cost planning time.
    await tx.query(`ALTER TABLE ${t}_legacy DROP CONSTRAINT ${t}_legacy_bound`)
    for (let d = 0; d < DAYS_AHEAD; d++) {
      const from = tomorrow + d * DAY_MS
      const p = `${t}_p${dayName(from)}`
      await tx.query(`CREATE TABLE ${p} PARTITION OF ${t} FOR VALUES FROM ('${iso(from)}') TO ('${iso(from + DAY_MS)}')`)
      await tx.query(`CREATE UNIQUE INDEX ${p}_seq_key ON ${p} (device_id, stream, seq)`)
    }
  }
}
