/**
 * Recent traffic counts written into the embedded database of a DATA_DIR before Gemello starts on it
 * (PGlite is one process at a time), so that the hourly open dataset of loop counts
 * (traffico-spire-orario) has rows at the first refresh: a few of the city's loops counting in each of
 * the last complete hours, then the hourly rollups run as in the product. Returns the loops' ids.
 */
import path from 'node:path'
import { openDb } from '../../server/src/db/adapter'
import { migrate } from '../../server/src/db/migrate'
import { writeBatch, type ValidReading } from '../../server/src/db/readings'
import { runRollups } from '../../server/src/jobs/rollup-job'
import { trafficReading } from '../helpers/factories'

const HOUR = 3_600_000

export async function seedRecentTrafficCounts(dataDir: string, o: { loops: number; hours: number }): Promise<string[]> {
  const db = await openDb({ kind: 'embedded', dataDir: path.join(dataDir, 'pglite') })
  try {
    await migrate(db)
    const loops = (await db.query<{ id: string }>(`SELECT id FROM device WHERE kind = 'traffic-loop' AND source <> 'generated' ORDER BY id LIMIT $1`, [o.loops])).rows.map((r) => r.id)
    const thisHour = Math.floor(Date.now() / HOUR) * HOUR
    const readings: ValidReading[] = []
    for (let h = 1; h <= o.hours; h++) {
      const start = thisHour - h * HOUR
      loops.forEach((deviceId, i) => readings.push(trafficReading({ deviceId, observedAtMs: start + 1_800_000, receivedAtMs: start + 1_801_000, values: { flowVehH: 300 + 40 * i + 10 * h, intervalS: 3600 } })))
    }
    await db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))
    for (let i = 0; i < 500 && (await db.transaction((tx) => runRollups(tx))).queueRows > 0; i++);
    return loops
  } finally {
    await db.close()
  }
}
