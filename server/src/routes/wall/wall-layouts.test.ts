import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadSceneCatalog } from '../scenes/scene-catalog'
import { loadWallLayouts } from './wall-layouts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..')
const WALLS = path.join(ROOT, 'scenes', 'walls')

function wallDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gemello-walls-'))
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), typeof body === 'string' ? body : JSON.stringify(body))
  return dir
}

const valid = (id: string) => ({
  id,
  name: 'Test wall',
  columns: 2,
  rows: 1,
  tiles: [
    { id: 'map', type: 'map', col: 1, row: 1 },
    { id: 'alarms', type: 'alarms', col: 2, row: 1 },
  ],
})

describe('the shipped wall layouts', () => {
  const catalog = loadWallLayouts(WALLS)

  it('are all valid and named after their file', () => {
    expect(catalog.problems).toEqual([])
    expect(catalog.layouts.map((l) => l.id)).toEqual(['control-room', 'mobility'])
  })

  it('fill their grids: every cell has exactly one tile', () => {
    for (const l of catalog.layouts) {
      const cells = l.tiles.reduce((n, t) => n + t.colSpan * t.rowSpan, 0)
      expect(cells, l.id).toBe(l.columns * l.rows)
    }
  })

  it('start their maps and 3D views from scenes that exist', () => {
    const scenes = new Set(loadSceneCatalog(path.join(ROOT, 'scenes')).scenes.map((s) => s.id))
    const named = catalog.layouts.flatMap((l) => l.tiles.flatMap((t) => (typeof t.options.scene === 'string' ? [t.options.scene] : [])))
    expect(named.length).toBeGreaterThan(0)
    for (const scene of named) expect(scenes.has(scene), scene).toBe(true)
  })

  it('give the control room a 4 × 3 wall with the live map on 2 × 2 and every tile the ADR asks for', () => {
    const l = catalog.layouts.find((x) => x.id === 'control-room')!
    expect([l.columns, l.rows]).toEqual([4, 3])
    expect(l.tiles.find((t) => t.type === 'map')).toMatchObject({ col: 1, row: 1, colSpan: 2, rowSpan: 2 })
    expect(new Set(l.tiles.map((t) => t.type))).toEqual(new Set(['map', 'globe', 'alarms', 'districts', 'incidents', 'kpis', 'mobility', 'air-quality']))
  })

  it('give the mobility wall a map and mobility charts', () => {
    const l = catalog.layouts.find((x) => x.id === 'mobility')!
    expect(l.tiles.map((t) => t.type).sort()).toEqual(['map', 'mobility', 'mobility'])
  })
})

describe('loadWallLayouts', () => {
  it('leaves out a layout that does not validate, says which tile and why, and keeps the others', () => {
    const overlap = { ...valid('overlap'), tiles: [{ id: 'a', type: 'map', col: 1, row: 1, colSpan: 2 }, { id: 'b', type: 'alarms', col: 2, row: 1 }] }
    const c = loadWallLayouts(wallDir({ 'good.json': valid('good'), 'overlap.json': overlap, 'broken.json': '{ not json', 'notes.txt': 'ignored' }))
    expect(c.layouts.map((l) => l.id)).toEqual(['good'])
    expect(c.problems).toHaveLength(2)
    expect(c.problems.find((p) => p.file.endsWith('overlap.json'))?.problem).toBe('tiles.1: tile b overlaps another tile at column 2, row 1')
    expect(c.problems.find((p) => p.file.endsWith('broken.json'))?.problem).toMatch(/^not valid JSON/)
  })

  it('refuses a layout whose id differs from its file name (/wall?layout= would not find it)', () => {
    const c = loadWallLayouts(wallDir({ 'wall-one.json': valid('wall-two') }))
    expect(c.layouts).toEqual([])
    expect(c.problems[0]?.problem).toBe('id "wall-two" differs from its file name "wall-one"')
  })

  it('reports a missing directory instead of throwing', () => {
    const c = loadWallLayouts(path.join(tmpdir(), 'gemello-no-such-walls'))
    expect(c.layouts).toEqual([])
    expect(c.problems[0]?.problem).toMatch(/does not exist/)
  })
})
