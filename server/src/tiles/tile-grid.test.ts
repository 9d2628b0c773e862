import { describe, expect, it } from 'vitest'
import { parseTileCoord, tileAt, tileBounds3857, tilesInBbox } from './tile-grid'

describe('the tile grid', () => {
  it('finds the tile of Piazza Maggiore as MapLibre numbers it (y from the north)', () => {
    expect(tileAt(11.3426, 44.4939, 14)).toEqual({ z: 14, x: 8708, y: 5926 })
    expect(tileAt(0, 0, 1)).toEqual({ z: 1, x: 1, y: 1 })
  })

  it('gives tile bounds in Web Mercator metres that tile the world', () => {
    const [xmin, ymin, xmax, ymax] = tileBounds3857({ z: 0, x: 0, y: 0 })
    expect([xmin, ymin]).toEqual([-20037508.342789244, -20037508.342789244])
    expect([xmax, ymax]).toEqual([20037508.342789244, 20037508.342789244])
    expect(tileBounds3857({ z: 1, x: 1, y: 0 })).toEqual([0, 0, 20037508.342789244, 20037508.342789244])
  })

  it('lists the tiles covering a box row by row', () => {
    const tiles = tilesInBbox([11.3, 44.47, 11.38, 44.52], 12)
    expect(tiles.length).toBeGreaterThan(0)
    expect(tiles[0]).toEqual(tileAt(11.3, 44.52, 12))
    expect(tiles.at(-1)).toEqual(tileAt(11.38, 44.47, 12))
  })
})

describe('parseTileCoord', () => {
  it('accepts the corners of the grid', () => {
    expect(parseTileCoord('0', '0', '0', 16, 'base')).toEqual({ ok: true, tile: { z: 0, x: 0, y: 0 } })
    expect(parseTileCoord('16', '65535', '65535', 16, 'base')).toEqual({ ok: true, tile: { z: 16, x: 65535, y: 65535 } })
  })

  it.each([
    ['17', '0', '0', 'above the maxzoom 16 of source "base"'],
    ['2', '4', '0', 'x and y run from 0 to 3'],
    ['2', '0', '4', 'x and y run from 0 to 3'],
    ['a', '0', '0', 'z must be a non-negative integer'],
    ['2', '1e1', '0', 'x must be a non-negative integer'],
    ['2', '0', '', 'y must be a non-negative integer'],
  ])('refuses %s/%s/%s with a message saying what is valid', (z, x, y, message) => {
    const r = parseTileCoord(z, x, y, 16, 'base')
    expect(r.ok).toBe(false)
    expect(!r.ok && r.message).toContain(message)
  })
})
