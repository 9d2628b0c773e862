import { describe, expect, it } from 'vitest'
import { activeRunIds, canCancel, DEFAULT_SUMO_FORM, mergeRun, shownRun, sumoRunBody } from './sumo-runs'
import { sumoRunFixture } from './testing/fixtures'

describe('SUMO runs in the workbench', () => {
  it('keeps the newest answer of each run, newest run first', () => {
    const list = [sumoRunFixture({ id: 3, status: 'queued', progress: 0 }), sumoRunFixture({ id: 1 })]
    const next = mergeRun(list, sumoRunFixture({ id: 3, status: 'running', progress: 0.4 }))
    expect(next.map((r) => [r.id, r.status, r.progress])).toEqual([
      [3, 'running', 0.4],
      [1, 'done', 1],
    ])
    expect(mergeRun(next, sumoRunFixture({ id: 5, status: 'queued' })).map((r) => r.id)).toEqual([5, 3, 1])
  })

  it('follows only queued and running runs', () => {
    const list = [5, 4, 3, 2, 1].map((id, i) => sumoRunFixture({ id, status: (['running', 'done', 'queued', 'failed', 'cancelled'] as const)[i] }))
    expect(activeRunIds(list)).toEqual([3, 5])
  })

  it('offers cancel while a run is queued or running and no cancel was asked yet', () => {
    expect(canCancel(sumoRunFixture({ status: 'running' }))).toBe(true)
    expect(canCancel(sumoRunFixture({ status: 'running', cancelRequested: true }))).toBe(false)
    expect(canCancel(sumoRunFixture({ status: 'done' }))).toBe(false)
  })

  it('shows the run picked, else the newest', () => {
    const list = [sumoRunFixture({ id: 2 }), sumoRunFixture({ id: 1 })]
    expect(shownRun(list, 1)?.id).toBe(1)
    expect(shownRun(list, 9)?.id).toBe(2)
    expect(shownRun([], null)).toBeNull()
  })

  it('asks for the version on screen, leaving the day to the server when none is typed', () => {
    expect(sumoRunBody({ planId: 'utopia', version: 4 }, DEFAULT_SUMO_FORM)).toEqual({ planId: 'utopia', version: 4, demand: 'loop-counts', hour: 8, durationS: 3600 })
    expect(sumoRunBody({ planId: 'utopia', version: 4 }, { demand: 'scenario', date: '2025-03-11', hour: 17, durationS: 600 })).toEqual({ planId: 'utopia', version: 4, demand: 'scenario', date: '2025-03-11', hour: 17, durationS: 600 })
  })
})
