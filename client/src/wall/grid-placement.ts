/**
 * Where the tiles of a wall layout go: the CSS grid of the page and each tile's area, and the same
 * placement in pixels (what a browser test compares the page with).
 */
import type { WallLayout, WallTile } from '../../../contracts/wall'

export interface GridTemplate {
  gridTemplateColumns: string
  gridTemplateRows: string
}

/** Equal columns and rows; `minmax(0, 1fr)` so a long line of text cannot widen its column. */
export function gridTemplate(layout: Pick<WallLayout, 'columns' | 'rows'>): GridTemplate {
  return {
    gridTemplateColumns: `repeat(${layout.columns}, minmax(0, 1fr))`,
    gridTemplateRows: `repeat(${layout.rows}, minmax(0, 1fr))`,
  }
}

export interface GridArea {
  gridColumn: string
  gridRow: string
}

export function tileArea(tile: Pick<WallTile, 'col' | 'row' | 'colSpan' | 'rowSpan'>): GridArea {
  return { gridColumn: `${tile.col} / span ${tile.colSpan}`, gridRow: `${tile.row} / span ${tile.rowSpan}` }
}

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/**
 * The rectangle a tile occupies in a grid box of `box` pixels with `gapPx` between cells and
 * `paddingPx` around the grid — the arithmetic of `gridTemplate` and `tileArea`.
 */
export function tileRect(layout: Pick<WallLayout, 'columns' | 'rows'>, tile: Pick<WallTile, 'col' | 'row' | 'colSpan' | 'rowSpan'>, box: { width: number; height: number }, gapPx = 0, paddingPx = 0): Rect {
  const cellW = (box.width - 2 * paddingPx - gapPx * (layout.columns - 1)) / layout.columns
  const cellH = (box.height - 2 * paddingPx - gapPx * (layout.rows - 1)) / layout.rows
  return {
    x: paddingPx + (tile.col - 1) * (cellW + gapPx),
    y: paddingPx + (tile.row - 1) * (cellH + gapPx),
    width: tile.colSpan * cellW + (tile.colSpan - 1) * gapPx,
    height: tile.rowSpan * cellH + (tile.rowSpan - 1) * gapPx,
  }
}

/** Cells no tile covers, as [col, row] (1-based): the page leaves them empty and dark. */
export function emptyCells(layout: WallLayout): Array<[number, number]> {
  const taken = new Set<string>()
  for (const t of layout.tiles) for (let c = t.col; c < t.col + t.colSpan; c++) for (let r = t.row; r < t.row + t.rowSpan; r++) taken.add(`${c},${r}`)
  const out: Array<[number, number]> = []
  for (let r = 1; r <= layout.rows; r++) for (let c = 1; c <= layout.columns; c++) if (!taken.has(`${c},${r}`)) out.push([c, r])
  return out
}
