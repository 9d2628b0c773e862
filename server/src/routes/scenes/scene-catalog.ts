/**
 * The scenes shipped in scenes/<id>/scene.json, read once at boot and validated against the
 * contract. A scene file that does not validate is left out with a message naming the file and
 * the field (the others still serve): a typo in one scene must not take the control room down.
 */
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { SceneSchema, type Scene } from '../../../../contracts/schemas/scene'
import { readDataFile } from '../data-file'

export interface SceneProblem {
  file: string
  problem: string
}

export interface SceneCatalog {
  scenes: Scene[]
  problems: SceneProblem[]
}

export function loadSceneCatalog(dir: string): SceneCatalog {
  const scenes: Scene[] = []
  const problems: SceneProblem[] = []
  if (!existsSync(dir)) return { scenes, problems: [{ file: dir, problem: 'the scenes directory does not exist' }] }
  for (const entry of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(dir, entry.name, 'scene.json')
    if (!existsSync(file)) continue
    const read = readDataFile(file, SceneSchema)
    if (!read.ok) {
      problems.push({ file, problem: read.problem })
      continue
    }
    const parsed = { data: read.value }
    if (parsed.data.id !== entry.name) {
      problems.push({ file, problem: `id "${parsed.data.id}" differs from its folder name "${entry.name}"` })
      continue
    }
    scenes.push(parsed.data)
  }
  return { scenes, problems }
}
