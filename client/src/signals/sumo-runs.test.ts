import { describe, expect, it } from 'vitest'
import { DEFAULT_SUMO_FORM, shownRun, sumoRunBody } from './sumo-runs'
import { sumoRunFixture } from './testing/fixtures'

describe('SUMO runs in the workbench', () => {
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
