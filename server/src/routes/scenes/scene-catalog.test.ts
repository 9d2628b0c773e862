import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { sceneJsonSchemaText } from '../../../../contracts/schemas/scene-json-schema'
import { loadSceneCatalog } from './scene-catalog'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..')
const SCENES = path.join(ROOT, 'scenes')

function sceneDir(scenes: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gemello-scenes-'))
  for (const [name, body] of Object.entries(scenes)) {
    mkdirSync(path.join(dir, name))
    writeFileSync(path.join(dir, name, 'scene.json'), typeof body === 'string' ? body : JSON.stringify(body))
  }
  return dir
}

const valid = (id: string) => ({
  id,
  title: { it: 'Prova', en: 'Test' },
  description: { it: 'Una scena', en: 'A scene' },
  view: '2d',
  camera: { target: [11.34, 44.49], zoom: 15 },
  layers: { groups: ['buildings'], devices: ['traffic-loop'] },
  time: { mode: 'live' },
})

describe('the shipped scenes', () => {
  const catalog = loadSceneCatalog(SCENES)

  it('are all valid and named after their folder', () => {
    expect(catalog.problems).toEqual([])
    expect(catalog.scenes.map((s) => s.id)).toEqual(['andrea-costa', 'bologna-overview', 'milan-centre', 'pasubio', 'piazza-maggiore', 'stazione-centrale'])
  })

  it('look at the places they are named after', () => {
    const at = (id: string) => catalog.scenes.find((s) => s.id === id)?.camera.target
    // Piazza Maggiore 44.4939 N 11.3426 E; Bologna Centrale 44.5058 N 11.3428 E; Duomo di Milano 45.4641 N 9.1919 E.
    const near = (p: [number, number] | undefined, lon: number, lat: number, m: number) =>
      p !== undefined && Math.hypot((p[0] - lon) * 79_000, (p[1] - lat) * 111_000) < m
    expect(near(at('piazza-maggiore'), 11.3426, 44.4939, 100)).toBe(true)
    expect(near(at('stazione-centrale'), 11.3428, 44.5058, 300)).toBe(true)
    expect(near(at('milan-centre'), 9.1919, 45.4641, 300)).toBe(true)
    expect(catalog.scenes.find((s) => s.id === 'milan-centre')?.view).toBe('3d')
  })

  it('match the JSON Schema file (run `npm run scenes:schema` after changing the contract)', () => {
    expect(readFileSync(path.join(SCENES, 'scene.schema.json'), 'utf8')).toBe(sceneJsonSchemaText())
  })
})

describe('loadSceneCatalog', () => {
  it('leaves out a scene that does not validate, says which field, and keeps the others', () => {
    const bad = { ...valid('bad-zoom'), camera: { target: [11.34, 44.49], zoom: 40 } }
    const c = loadSceneCatalog(sceneDir({ 'good-one': valid('good-one'), 'bad-zoom': bad, broken: '{ not json' }))
    expect(c.scenes.map((s) => s.id)).toEqual(['good-one'])
    expect(c.problems).toHaveLength(2)
    expect(c.problems.find((p) => p.file.includes('bad-zoom'))?.problem).toMatch(/^camera\.zoom: /)
    expect(c.problems.find((p) => p.file.includes('broken'))?.problem).toMatch(/not valid JSON/)
  })

  it('refuses a scene whose id differs from its folder (the URL would not find it)', () => {
    const c = loadSceneCatalog(sceneDir({ 'folder-name': valid('other-name') }))
    expect(c.scenes).toEqual([])
    expect(c.problems[0]?.problem).toMatch(/differs from its folder name/)
  })
})
