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

export class TileRegistry {
  private readonly tiles = new Map<string, TileReport>()

  report(tileId: string, report: TileReport): void {
    this.tiles.set(tileId, report)
  }

  forget(tileId: string): void {
    this.tiles.delete(tileId)
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
