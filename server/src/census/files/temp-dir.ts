/**
 * A private temporary directory (mode 0700, from mkdtemp) for one GDAL conversion, removed when the
 * work ends, also on error. Files inside get fixed names (upload.gpkg, layer.shp, out.geojson): an
 * uploaded file's own name never becomes part of a path.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** Prefixes of the directories, so a test (or an operator) can see that none is left behind. */
export const UPLOAD_TEMP_PREFIX = 'gemello-upload-'
export const EXPORT_TEMP_PREFIX = 'gemello-export-'

/** Runs `work` in a new directory under `root` (default os.tmpdir(); a size-capped tmpfs bounds the disk a conversion can fill). */
export async function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T>, root: string = os.tmpdir()): Promise<T> {
  const dir = await mkdtemp(path.join(root, prefix))
  try {
    return await work(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
