/**
 * The video wall's layouts (ADR 0006, "The wall"): data files `scenes/walls/<id>.json`, read once at
 * boot and validated against contracts/wall.ts, like the scenes (scene-catalog.ts). A file that does
 * not validate is left out with a message naming the file and the field, and the others still serve:
 * a typo in one layout must not blank every wall.
 */
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { WallLayoutSchema, type WallLayout } from '../../../../contracts/wall'
import { readDataFile } from '../data-file'

export interface WallLayoutProblem {
  file: string
  problem: string
}

export interface WallLayoutCatalog {
  /** By id. */
  layouts: WallLayout[]
  problems: WallLayoutProblem[]
}

export function loadWallLayouts(dir: string): WallLayoutCatalog {
  const layouts: WallLayout[] = []
  const problems: WallLayoutProblem[] = []
  if (!existsSync(dir)) return { layouts, problems: [{ file: dir, problem: 'the wall layouts directory does not exist' }] }
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => e.name)
    .sort()
  for (const name of files) {
    const file = path.join(dir, name)
    const read = readDataFile(file, WallLayoutSchema)
    if (!read.ok) {
      problems.push({ file, problem: read.problem })
      continue
    }
    const parsed = { data: read.value }
    const id = name.slice(0, -'.json'.length)
    if (parsed.data.id !== id) {
      problems.push({ file, problem: `id "${parsed.data.id}" differs from its file name "${id}"` })
      continue
    }
    layouts.push(parsed.data)
  }
  return { layouts, problems }
}
