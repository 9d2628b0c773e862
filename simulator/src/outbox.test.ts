import { describe, expect, it } from 'vitest'
import { Outbox } from './outbox'

const entry = (seq: number, sentAtMs = 0) => ({ stream: 'traffic', seq, topic: 't', payload: String(seq), sentAtMs })

describe('Outbox', () => {
  it('keeps readings past the PUBACK until Gemello confirms them', () => {
    const o = new Outbox('keep')
    for (let s = 1; s <= 5; s++) o.add(entry(s))
    o.acked('traffic', 1)
    expect(o.size()).toBe(5)
    expect(o.confirm('traffic', 3)).toBe(3)
    expect(o.size()).toBe(2)
  })

  it('re-sends what Gemello asks for, and what nobody confirmed for too long', () => {
    const o = new Outbox('keep')
    for (let s = 1; s <= 5; s++) o.add(entry(s, 1000))
    expect(o.take('traffic', [[2, 3]], 2000).map((e) => e.seq)).toEqual([2, 3])
    // 2 and 3 were just sent again: not due yet; the others are.
    expect(o.due(11_000, 10_000, 100).map((e) => e.seq)).toEqual([1, 4, 5])
    expect(o.resent).toBe(5)
  })

  it('forgets at PUBACK in drop-on-puback mode (the negative control)', () => {
    const o = new Outbox('drop-on-puback')
    o.add(entry(1))
    o.acked('traffic', 1)
    expect(o.size()).toBe(0)
  })

  it('drops what Gemello says it holds beyond the watermark, except the ranges it misses', () => {
    const o = new Outbox('keep')
    for (let s = 1; s <= 10; s++) o.add(entry(s))
    o.confirm('traffic', 2)
    expect(o.held('traffic', 2, 8, [[4, 5]])).toBe(4)
    expect(o.take('traffic', [[1, 10]], 0).map((e) => e.seq)).toEqual([4, 5, 9, 10])
  })
})
