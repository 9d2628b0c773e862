import { describe, expect, it } from 'vitest'
import { FEATURE_CAP, covers, fetchBox, needsFetch, pageSummary } from './viewport-paging'

describe('fetching the viewport’s features', () => {
  it('pads the view and rounds outwards, so that small pans need nothing new', () => {
    const box = fetchBox([11.34, 44.49, 11.36, 44.5])
    expect(box).toEqual([11.335, 44.4875, 11.365, 44.5025])
    expect(covers(box, [11.341, 44.491, 11.361, 44.501])).toBe(true)
  })

  it('stays within CRS84', () => {
    expect(fetchBox([-179.9, -89.9, 179.9, 89.9])).toEqual([-180, -90, 180, 90])
  })

  it('fetches again for another collection, a revision, a view outside the box or an incomplete answer', () => {
    const last = { key: 'poles@0', box: fetchBox([11.34, 44.49, 11.36, 44.5]), complete: true }
    expect(needsFetch(null, 'poles@0', [11.34, 44.49, 11.36, 44.5])).toBe(true)
    expect(needsFetch(last, 'poles@0', [11.341, 44.491, 11.359, 44.499])).toBe(false)
    expect(needsFetch(last, 'poles@1', [11.341, 44.491, 11.359, 44.499])).toBe(true)
    expect(needsFetch(last, 'ducts@0', [11.341, 44.491, 11.359, 44.499])).toBe(true)
    expect(needsFetch(last, 'poles@0', [11.3, 44.49, 11.36, 44.5])).toBe(true)
    expect(needsFetch({ ...last, complete: false }, 'poles@0', [11.341, 44.491, 11.359, 44.499])).toBe(true)
  })

  it('says when the cap cut the answer short', () => {
    expect(pageSummary(12_345, FEATURE_CAP)).toEqual({ shown: 5000, total: 12_345, truncated: true })
    expect(pageSummary(40, 40)).toEqual({ shown: 40, total: 40, truncated: false })
  })
})
