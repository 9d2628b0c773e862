import { describe, expect, it } from 'vitest'
import { activeRunIds, canCancelRun, isActiveRun, mergeRun, type PolledRun } from './polled-runs'

type Run = PolledRun & { progress: number }
const run = (over: Partial<Run> & Pick<Run, 'id'>): Run => ({ status: 'done', cancelRequested: false, progress: 1, ...over })

describe('polled runs', () => {
  it('keeps the newest answer of each run, newest run first', () => {
    const list = [run({ id: 3, status: 'queued', progress: 0 }), run({ id: 1 })]
    const next = mergeRun(list, run({ id: 3, status: 'running', progress: 0.4 }))
    expect(next.map((r) => [r.id, r.status, r.progress])).toEqual([
      [3, 'running', 0.4],
      [1, 'done', 1],
    ])
    expect(mergeRun(next, run({ id: 5, status: 'queued' })).map((r) => r.id)).toEqual([5, 3, 1])
  })

  it('follows only queued and running runs, ids ascending', () => {
    const list = [5, 4, 3, 2, 1].map((id, i) => run({ id, status: ['running', 'done', 'queued', 'failed', 'cancelled'][i] }))
    expect(list.filter(isActiveRun).map((r) => r.id)).toEqual([5, 3])
    expect(activeRunIds(list)).toEqual([3, 5])
  })

  it('offers cancel while a run is queued or running and no cancel was asked yet', () => {
    expect(canCancelRun(run({ id: 1, status: 'queued' }))).toBe(true)
    expect(canCancelRun(run({ id: 1, status: 'running' }))).toBe(true)
    expect(canCancelRun(run({ id: 1, status: 'running', cancelRequested: true }))).toBe(false)
    expect(canCancelRun(run({ id: 1, status: 'done' }))).toBe(false)
  })
})
