/** Load generation and statistics of the tile benchmark: keep-alive HTTP clients, worker pools. */
import { Agent, request } from 'node:http'
import type { TileCoord } from '../../server/src/tiles/tile-grid'
import { tilesInBbox } from '../../server/src/tiles/tile-grid'

export const agent = new Agent({ keepAlive: true, maxSockets: 8 })

/** One GET with gzip accepted; resolves with status and body size on the wire. */
export function getTile(url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    request(url, { agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let bytes = 0
      res.on('data', (c: Buffer) => (bytes += c.length))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }))
    })
      .on('error', reject)
      .end()
  })
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}
export const median = (v: number[]) => quantile(v, 0.5)

/** Runs fn over items with `concurrency` workers; returns items per second. */
export async function throughput<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<number> {
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++]!
        await fn(item)
      }
    }),
  )
  return items.length / ((performance.now() - t0) / 1000)
}

/**
 * The benchmark's tile list: for each zoom, the tiles over the city extent, thinned to at most
 * `perZoom` with a fixed stride (same list every run, spread over the whole city).
 */
export function benchTiles(bbox: [number, number, number, number], zooms: number[], perZoom: number): TileCoord[] {
  return zooms.flatMap((z) => {
    const all = tilesInBbox(bbox, z)
    const stride = Math.max(1, Math.ceil(all.length / perZoom))
    return all.filter((_, i) => i % stride === 0)
  })
}

export const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '—')
