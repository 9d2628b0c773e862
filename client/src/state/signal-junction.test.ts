import { describe, expect, it } from 'vitest'
import type { SignalGeometry } from '../../../contracts/signal-api'
import { initialAppState } from './app-state'
import { clearSignalJunction, intervalStates, junctionFocus, setSignalJunction, type SignalJunctionView } from './signal-junction'
import { T0 } from './test-factories'

const view = (over: Partial<SignalJunctionView> = {}): SignalJunctionView => ({ controllerId: '210', position: [11.33, 44.49], geometry: null, states: null, ...over })

describe('the junction open in the signal workbench', () => {
  it('maps the selected interval’s states onto the group ids', () => {
    expect(intervalStates(['S1', 'S2', 'P1'], ['G', 'R', 'DARK'])).toEqual({ S1: 'G', S2: 'R', P1: 'DARK' })
    expect(intervalStates(['S1'], undefined)).toBeNull()
  })

  it('is published, and an equal view (a new plan object, same states) leaves the state untouched', () => {
    const s1 = setSignalJunction(initialAppState(T0), view({ states: { S1: 'G' } }))
    expect(s1.signalJunction?.controllerId).toBe('210')
    expect(setSignalJunction(s1, view({ states: { S1: 'G' } }))).toBe(s1)
    expect(setSignalJunction(s1, view({ states: { S1: 'Y' } }))).not.toBe(s1)
  })

  it('is cleared by the workbench that opened it, not by one closing after another opened', () => {
    const s = setSignalJunction(initialAppState(T0), view({ controllerId: '209' }))
    expect(clearSignalJunction(s, '210')).toBe(s)
    expect(clearSignalJunction(s, '209').signalJunction).toBeNull()
  })

  it('is flown to at the device, else at the middle of its junction polygons', () => {
    expect(junctionFocus(view())).toEqual([11.33, 44.49])
    const geometry: SignalGeometry = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[11.2, 44.4], [11.3, 44.5]] }, properties: { kind: 'lane', groupId: 'S1', laneId: 'a_0', type: 'vehicle', turn: 'through' } },
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[11.3, 44.5], [11.302, 44.5], [11.302, 44.502], [11.3, 44.5]]] }, properties: { kind: 'junction', junctionId: 'J' } },
      ],
    }
    const at = junctionFocus(view({ position: null, geometry }))!
    expect(at[0]).toBeCloseTo(11.301, 9)
    expect(at[1]).toBeCloseTo(44.501, 9)
    expect(junctionFocus(view({ position: null }))).toBeNull()
  })
})
