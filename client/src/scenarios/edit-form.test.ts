import { describe, expect, it } from 'vitest'
import { SCENARIO_EDIT_KINDS, type ScenarioEdit } from '../../../contracts/schemas/scenario'
import { editOfForm, emptyEditForm, formOfEdit, parseNumber, pickModeOf, toggleEdges } from './edit-form'

describe('the edit form', () => {
  it('closes the picked streets wholly, all day', () => {
    const f = { ...emptyEditForm('close-road'), edges: ['e1', 'e2'] }
    expect(editOfForm(f)).toEqual({ edit: { kind: 'close-road', edges: ['e1', 'e2'] } })
  })

  it('closes some lanes in a time window that may cross midnight', () => {
    const f = { ...emptyEditForm('close-road'), edges: ['e1'], closure: 'lanes' as const, lanesClosed: '1', window: true, fromHour: 22, toHour: 6, note: ' Lavori notturni ' }
    expect(editOfForm(f)).toEqual({ edit: { kind: 'close-road', edges: ['e1'], lanesClosed: 1, fromHour: 22, toHour: 6, note: 'Lavori notturni' } })
  })

  it('names what is missing or out of range instead of sending it', () => {
    expect(editOfForm(emptyEditForm('close-road'))).toEqual({ problems: ['edges'] })
    expect(editOfForm({ ...emptyEditForm('speed-limit'), edges: ['e1'], speedKmh: '200' })).toEqual({ problems: ['speedKmh'] })
    expect(editOfForm({ ...emptyEditForm('lane-use'), edges: ['e1'], lanes: '1.5' })).toEqual({ problems: ['lanes'] })
    expect(editOfForm({ ...emptyEditForm('close-road'), edges: ['e1'], window: true, fromHour: 8, toHour: 8 })).toEqual({ problems: ['window'] })
    expect(editOfForm(emptyEditForm('generator'))).toEqual({ problems: ['name', 'position'] })
    expect(editOfForm(emptyEditForm('signal-plan'))).toEqual({ problems: ['controller', 'plan'] })
  })

  it('reads a decimal comma', () => {
    expect(parseNumber('1,25')).toBe(1.25)
    expect(parseNumber(' 30 ')).toBe(30)
    expect(parseNumber('3O')).toBeNaN()
    expect(editOfForm({ ...emptyEditForm('scale-demand'), factor: '1,2' })).toEqual({ edit: { kind: 'scale-demand', factor: 1.2 } })
  })

  it('scales the demand of some districts only', () => {
    const f = { ...emptyEditForm('scale-demand'), factor: '0.8', districts: ['Navile', ' ', 'Navile', 'Porto-Saragozza'] }
    expect(editOfForm(f)).toEqual({ edit: { kind: 'scale-demand', factor: 0.8, districts: ['Navile', 'Porto-Saragozza'] } })
  })

  it('places a generator where the map was clicked', () => {
    const f = { ...emptyEditForm('generator'), name: 'Concerto Unipol Arena', position: [11.31, 44.52] as [number, number], producedVehH: '0', attractedVehH: '2500' }
    expect(editOfForm(f)).toEqual({ edit: { kind: 'generator', name: 'Concerto Unipol Arena', position: [11.31, 44.52], producedVehH: 0, attractedVehH: 2500 } })
  })

  it('gives back every kind of edit it was opened with', () => {
    const edits: ScenarioEdit[] = [
      { kind: 'close-road', edges: ['e1'], lanesClosed: 2, fromHour: 7, toHour: 9, note: 'x' },
      { kind: 'close-road', edges: ['e1', 'e2'], note: 'Incident #4', source: { incidentId: 4 } },
      { kind: 'close-road', edges: ['e5'], source: { pmoSiteId: 'PMO-2024-118' } },
      { kind: 'speed-limit', edges: ['e1'], speedKmh: 30 },
      { kind: 'lane-use', edges: ['e1', 'e2'], lanes: 1 },
      { kind: 'bus-lane', edges: ['e3'] },
      { kind: 'signal-plan', controllerId: '209', planId: '209-utopia', version: 2 },
      { kind: 'scale-demand', factor: 1.1, districts: ['Navile'] },
      { kind: 'generator', name: 'Fiera', position: [11.36, 44.51], producedVehH: 100, attractedVehH: 900 },
    ]
    expect([...new Set(edits.map((e) => e.kind))].sort()).toEqual([...SCENARIO_EDIT_KINDS].sort())
    for (const e of edits) expect(editOfForm(formOfEdit(e))).toEqual({ edit: e })
  })

  it('picks streets on the map for the road edits, a point for a generator', () => {
    expect(pickModeOf('bus-lane')).toBe('edges')
    expect(pickModeOf('generator')).toBe('point')
    expect(pickModeOf('scale-demand')).toBe('none')
  })

  it('adds a street clicked (both directions), and takes it out on a second click', () => {
    let f = toggleEdges(emptyEditForm('close-road'), ['e1', 'e1r'])
    expect(f.edges).toEqual(['e1', 'e1r'])
    f = toggleEdges(f, ['e2'])
    expect(f.edges).toEqual(['e1', 'e1r', 'e2'])
    f = toggleEdges(f, ['e1', 'e1r'])
    expect(f.edges).toEqual(['e2'])
    expect(toggleEdges(f, [])).toBe(f)
  })
})
