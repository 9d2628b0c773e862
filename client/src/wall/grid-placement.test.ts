import { describe, expect, it } from 'vitest'
import { WallLayoutSchema } from '../../../contracts/wall'
import { emptyCells, gridTemplate, tileArea, tileRect } from './grid-placement'

const layout = WallLayoutSchema.parse({
  id: 'test',
  name: 'Test',
  columns: 4,
  rows: 3,
  tiles: [
    { id: 'map', type: 'map', col: 1, row: 1, colSpan: 2, rowSpan: 3 },
    { id: 'alarms', type: 'alarms', col: 3, row: 1, colSpan: 2, rowSpan: 2 },
    { id: 'kpis', type: 'kpis', col: 3, row: 3 },
  ],
})

describe('grid placement', () => {
  it('makes equal columns and rows that long text cannot widen', () => {
    expect(gridTemplate(layout)).toEqual({ gridTemplateColumns: 'repeat(4, minmax(0, 1fr))', gridTemplateRows: 'repeat(3, minmax(0, 1fr))' })
  })

  it('places a tile at its 1-based cell with its span', () => {
    expect(tileArea(layout.tiles[0]!)).toEqual({ gridColumn: '1 / span 2', gridRow: '1 / span 3' })
    expect(tileArea(layout.tiles[2]!)).toEqual({ gridColumn: '3 / span 1', gridRow: '3 / span 1' })
  })

  it('computes the pixel rectangle of a tile with gaps and padding', () => {
    // 4 columns in 3840 px with 3 gaps of 16 and 8 px padding each side: (3840 - 16 - 48) / 4 = 944.
    expect(tileRect(layout, layout.tiles[1]!, { width: 3840, height: 2160 }, 16, 8)).toEqual({ x: 8 + 2 * 960, y: 8, width: 2 * 944 + 16, height: 2 * ((2160 - 16 - 32) / 3) + 16 })
    expect(tileRect(layout, layout.tiles[0]!, { width: 400, height: 300 })).toEqual({ x: 0, y: 0, width: 200, height: 300 })
  })

  it('lists the cells no tile covers', () => {
    expect(emptyCells(layout)).toEqual([[4, 3]])
  })
})
