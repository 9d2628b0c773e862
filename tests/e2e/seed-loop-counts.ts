import path from 'node:path'
import { openDb } from '../../server/src/db/adapter'
import { migrate } from '../../server/src/db/migrate'
import { importCity } from '../../geodata/src/import-city'
import { writeRealLoopCounts } from '../helpers/real-loop-counts'
import { CITY_DATA_DIR } from '../helpers/test-env'

/**
 * Writes real loop counts of one day into the embedded database of a DATA_DIR before Gemello starts
 * on it (PGlite is one process at a time): the city imported first (the boot then finds it unchanged),
 * then the Costa/Pasubio loops' hourly counts of the weekday of March 2024 with the most loops counting,
 * at the hours asked — what a scenario's observed base reads. Returns that day.
 */
export async function seedLoopCounts(dataDir: string, hours: readonly number[]): Promise<string> {
  const db = await openDb({ kind: 'embedded', dataDir: path.join(dataDir, 'pglite') })
  try {
    await migrate(db)
    await importCity(db, CITY_DATA_DIR)
    return await writeRealLoopCounts(db, CITY_DATA_DIR, hours)
  } finally {
    await db.close()
  }
}
