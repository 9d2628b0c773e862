import { describe, expect, it } from 'vitest'
import { screenOfLink } from './census-screen'

describe('a link into the census', () => {
  it('opens a feature, a collection, or the collections', () => {
    expect(screenOfLink('poles/123')).toEqual({ kind: 'feature', collection: 'poles', id: 123, session: 0, focus: true })
    expect(screenOfLink('ducts')).toEqual({ kind: 'collection', collection: 'ducts' })
    expect(screenOfLink('ducts/0')).toEqual({ kind: 'collection', collection: 'ducts' })
    expect(screenOfLink('no-such/1')).toEqual({ kind: 'home' })
    expect(screenOfLink(null)).toEqual({ kind: 'home' })
  })
})
