import { describe, expect, it } from 'vitest'
import { TileCache, type CachedTile } from './tile-cache'

const tile = (bytes: number, etag = 'e'): CachedTile => ({ gz: Buffer.alloc(bytes), rawBytes: bytes * 3, etag })

describe('TileCache', () => {
  it('returns what it holds and counts hits and misses', () => {
    const c = new TileCache(10_000)
    c.set('a', tile(10, 'x'))
    expect(c.get('a')?.etag).toBe('x')
    expect(c.get('b')).toBeUndefined()
    expect(c.stats()).toMatchObject({ entries: 1, hits: 1, misses: 1 })
  })

  it('evicts the least recently used tiles to stay within its byte budget', () => {
    const c = new TileCache(3 * (1000 + 200))
    c.set('a', tile(1000))
    c.set('b', tile(1000))
    c.set('c', tile(1000))
    c.get('a')
    c.set('d', tile(1000))
    expect(c.get('b')).toBeUndefined()
    expect(['a', 'c', 'd'].map((k) => c.get(k) !== undefined)).toEqual([true, true, true])
    expect(c.stats().bytes).toBeLessThanOrEqual(c.budgetBytes)
  })

  it('does not keep a tile larger than the whole budget, and replaces a key without double counting', () => {
    const c = new TileCache(2000)
    c.set('big', tile(5000))
    expect(c.get('big')).toBeUndefined()
    c.set('a', tile(100))
    c.set('a', tile(300))
    expect(c.stats()).toMatchObject({ entries: 1, bytes: 500 })
  })

  it('forgets everything on clear', () => {
    const c = new TileCache(10_000)
    c.set('a', tile(10))
    c.clear()
    expect(c.stats()).toMatchObject({ entries: 0, bytes: 0 })
  })
})
