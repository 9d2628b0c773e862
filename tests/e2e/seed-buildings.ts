import path from 'node:path'
import { openDb } from '../../server/src/db/adapter'
import { migrate } from '../../server/src/db/migrate'
import type { BuildingFootprint } from '../../server/src/tiles3d/building-mesh'
import { insertBuildings } from '../../server/src/tiles3d/testing/generated-buildings'

/**
 * Writes buildings into the embedded database of a DATA_DIR before Gemello starts on it (PGlite
 * is one process at a time). The boot import keeps them: they belong to their own dataset.
 */
export async function seedBuildings(dataDir: string, buildings: readonly BuildingFootprint[], dataset: string): Promise<void> {
  // Where server/src/config/config.ts puts the embedded database inside DATA_DIR.
  const db = await openDb({ kind: 'embedded', dataDir: path.join(dataDir, 'pglite') })
  try {
    await migrate(db)
    await insertBuildings(db, buildings, dataset)
  } finally {
    await db.close()
  }
}
