/**
 * What each tile of the wall reports about itself — whether it has drawn its first data, and how old
 * that data is — read by the test API (`window.__gemelloWall`) and by nothing on screen.
 */
import type { AgeState } from './data-age'

export interface TileReport {
  ready: boolean
  ageState: AgeState
  asOfMs: number | null
  error: string | null
}

/** Where a map or 3D tile looks. */
export interface TileView {
  center: [number, number]
  zoom: number
}

export class TileRegistry {
  private readonly tiles = new Map<string, TileReport>()
  private readonly views = new Map<string, () => TileView>()

  report(tileId: string, report: TileReport): void {
    this.tiles.set(tileId, report)
  }

  forget(tileId: string): void {
    this.tiles.delete(tileId)
    this.views.delete(tileId)
  }

  /** A map or 3D tile says how to read where it looks (null: it is gone). */
  setView(tileId: string, view: (() => TileView) | null): void {
    if (view) this.views.set(tileId, view)
    else this.views.delete(tileId)
  }

  viewsNow(): Record<string, TileView> {
    return Object.fromEntries([...this.views].map(([id, view]) => [id, view()]))
  }

  get(tileId: string): TileReport | undefined {
    return this.tiles.get(tileId)
  }

  /** Every one of `tileIds` has reported its first data. */
  allReady(tileIds: readonly string[]): boolean {
    return tileIds.every((id) => this.tiles.get(id)?.ready === true)
  }

  snapshot(): Record<string, TileReport> {
    return Object.fromEntries(this.tiles)
  }
}
