import { describe, expect, it } from 'vitest'
import type { WallFocus } from '../../../contracts/wall'
import { FOCUS_SHOWN_MS, focusDeviceId, focusPosition, focusShown, type FocusLookup } from './wall-focus'

const lookup: FocusLookup = {
  devicePosition: (id) => (id === 'loop-1' ? [11.3, 44.5] : null),
  alarm: (id) => (id === 7 ? { position: null, deviceId: 'loop-1' } : id === 8 ? { position: [11.4, 44.49], deviceId: null } : null),
  incident: (id) => (id === 3 ? { position: [11.35, 44.51] } : null),
}
const focus = (target: WallFocus['target'], extra: Partial<WallFocus> = {}): WallFocus => ({ target, by: 'm.rossi', atMs: 1, ...extra })

describe('push to wall', () => {
  it('flies to the centre the operator sent', () => {
    expect(focusPosition(focus({ type: 'device', id: 'loop-1' }, { center: [11, 44] }), lookup)).toEqual([11, 44])
  })
  it('finds a device, an alarm (or its device) and an incident', () => {
    expect(focusPosition(focus({ type: 'device', id: 'loop-1' }), lookup)).toEqual([11.3, 44.5])
    expect(focusPosition(focus({ type: 'alarm', id: '8' }), lookup)).toEqual([11.4, 44.49])
    expect(focusPosition(focus({ type: 'alarm', id: '7' }), lookup)).toEqual([11.3, 44.5])
    expect(focusPosition(focus({ type: 'incident', id: '3' }), lookup)).toEqual([11.35, 44.51])
  })
  it('has nowhere to fly for an unknown target', () => {
    expect(focusPosition(focus({ type: 'incident', id: 'x' }), lookup)).toBeNull()
    expect(focusPosition(focus({ type: 'device', id: 'nope' }), lookup)).toBeNull()
  })
  it('rings the pushed device or the device of the pushed alarm', () => {
    expect(focusDeviceId(focus({ type: 'device', id: 'loop-9' }), lookup)).toBe('loop-9')
    expect(focusDeviceId(focus({ type: 'alarm', id: '7' }), lookup)).toBe('loop-1')
    expect(focusDeviceId(focus({ type: 'incident', id: '3' }), lookup)).toBeNull()
  })
  it('announces the push for 30 seconds', () => {
    expect(focusShown(1000, 1000 + FOCUS_SHOWN_MS - 1)).toBe(true)
    expect(focusShown(1000, 1000 + FOCUS_SHOWN_MS)).toBe(false)
    expect(focusShown(null, 0)).toBe(false)
  })
})
