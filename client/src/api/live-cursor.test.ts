import { describe, expect, it } from 'vitest'
import { LiveCursor } from './live-cursor'

const c = (seq: number, epoch = 'e1') => ({ epoch, seq })

function started(seq = 10): LiveCursor {
  const cursor = new LiveCursor()
  cursor.onSnapshot(c(seq))
  return cursor
}

describe('LiveCursor', () => {
  it('ignores deltas before the first snapshot', () => {
    expect(new LiveCursor().onDelta(c(2), c(1))).toBe('ignore')
  })

  it('applies a delta that continues from the last cursor', () => {
    const cursor = started(10)
    expect(cursor.onDelta(c(11), c(10))).toBe('apply')
    expect(cursor.cursor).toEqual(c(11))
  })

  it('ignores a delta whose seq is not newer in the same epoch', () => {
    const cursor = started(10)
    expect(cursor.onDelta(c(10), c(9))).toBe('ignore')
    expect(cursor.onDelta(c(8), c(7))).toBe('ignore')
    expect(cursor.cursor).toEqual(c(10))
  })

  it('asks for a resync when a delta does not start at the last cursor', () => {
    const cursor = started(10)
    expect(cursor.onDelta(c(13), c(12))).toBe('resync')
    expect(cursor.cursor).toEqual(c(10))
  })

  it('asks for a resync when the epoch changed (server restart)', () => {
    const cursor = started(10)
    expect(cursor.onDelta(c(1, 'e2'), c(0, 'e2'))).toBe('resync')
  })

  it('ignores deltas while a requested snapshot is pending', () => {
    const cursor = started(10)
    cursor.expectSnapshot()
    expect(cursor.onDelta(c(11), c(10))).toBe('ignore')
    expect(cursor.resumeFrom()).toBeUndefined()
  })

  it('offers the last cursor as resume token once a snapshot was applied', () => {
    const cursor = started(10)
    cursor.onDelta(c(11), c(10))
    expect(cursor.resumeFrom()).toEqual(c(11))
  })

  it('ignores an unrequested snapshot older than the held state', () => {
    const cursor = started(10)
    cursor.onDelta(c(11), c(10))
    expect(cursor.onSnapshot(c(5))).toBe('ignore')
    expect(cursor.onSnapshot(c(3, 'e2'))).toBe('apply')
  })
})
