/**
 * What the database benchmarks share: the median timer, the figures' format, and running the same
 * measurements on the embedded database and, when DATABASE_URL names an admin URL, on PostgreSQL in a
 * throwaway database.
 */
import { cpus, loadavg } from 'node:os'
import { openDb, type Db } from '../../server/src/db/adapter'
import { createDatabase, dropDatabase } from './services'

export const f1 = (x: number) => x.toFixed(1)
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** The median of `repeats` runs of fn, after one unmeasured warm-up run. */
export async function timeMedian(fn: () => unknown, repeats: number): Promise<number> {
  await fn()
  const ms: number[] = []
  for (let r = 0; r < repeats; r++) {
    const t = performance.now()
    await fn()
    ms.push(performance.now() - t)
  }
  return median(ms)
}

/** The benchmark's heading: what, when, how many runs, on what machine under what load. */
export function benchHeading(what: string, detail: string): string {
  return `Gemello ${what} benchmark — ${new Date().toISOString()} — ${detail} — ${cpus().length} CPUs — Node ${process.version} — load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`
}

/** Runs `run` on a new in-memory PGlite, then on a throwaway PostgreSQL database `dbName` when DATABASE_URL is set. */
export async function onBothDatabases(dbName: string, run: (db: Db, label: string) => Promise<void>): Promise<void> {
  const embedded = await openDb({ kind: 'embedded', dataDir: null })
  try {
    await run(embedded, 'embedded (PGlite, in memory)')
  } finally {
    await embedded.close()
  }
  const admin = process.env.DATABASE_URL
  if (!admin) return console.log('\n(set DATABASE_URL to an admin URL to measure PostgreSQL too)')
  const url = await createDatabase(admin, dbName)
  const db = await openDb({ kind: 'server', url })
  try {
    await run(db, `PostgreSQL (${db.describe()})`)
  } finally {
    await db.close()
    await dropDatabase(admin, dbName)
  }
}
