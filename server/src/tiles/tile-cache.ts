/**
 * Least-recently-used cache of encoded tiles with a byte budget. A Map keeps insertion order,
 * so re-inserting on every hit makes its first key the least recently used.
 */
export interface CachedTile {
  /** gzip of the MVT bytes; empty when the tile has no feature. */
  gz: Buffer
  /** Size of the uncompressed MVT. */
  rawBytes: number
  etag: string
}

/** Bookkeeping per entry (key, Map slot) counted against the budget besides the bytes. */
const ENTRY_OVERHEAD_BYTES = 200

export class TileCache {
  private readonly entries = new Map<string, CachedTile>()
  private bytes = 0
  hits = 0
  misses = 0

  constructor(readonly budgetBytes: number) {}

  get(key: string): CachedTile | undefined {
    const e = this.entries.get(key)
    if (!e) {
      this.misses++
      return undefined
    }
    this.hits++
    this.entries.delete(key)
    this.entries.set(key, e)
    return e
  }

  set(key: string, tile: CachedTile): void {
    const size = tile.gz.length + ENTRY_OVERHEAD_BYTES
    if (size > this.budgetBytes) return
    const old = this.entries.get(key)
    if (old) {
      this.bytes -= old.gz.length + ENTRY_OVERHEAD_BYTES
      this.entries.delete(key)
    }
    this.entries.set(key, tile)
    this.bytes += size
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.budgetBytes) break
      this.entries.delete(k)
      this.bytes -= v.gz.length + ENTRY_OVERHEAD_BYTES
    }
  }

  clear(): void {
    this.entries.clear()
    this.bytes = 0
  }

  stats(): { entries: number; bytes: number; budgetBytes: number; hits: number; misses: number } {
    return { entries: this.entries.size, bytes: this.bytes, budgetBytes: this.budgetBytes, hits: this.hits, misses: this.misses }
  }
}
