import { describe, expect, it } from 'vitest'
import type { WallFocus } from '../../../contracts/wall'
import { initialAppState, type AppState } from '../state/app-state'
import { liveDevice } from '../state/test-factories'
import { focusLabel } from './focus-card'

const t = (key: string, o?: Record<string, unknown>) => (o ? `${key} ${JSON.stringify(o)}` : key)
const focus = (target: WallFocus['target'], label?: string): WallFocus => ({ target, by: 'm.rossi', atMs: 1, ...(label ? { label } : {}) })

function state(): AppState {
  const s = initialAppState(0)
  return { ...s, devices: new Map([['loop-1', liveDevice()]]) }
}

describe('what the wall says was pushed', () => {
  it('names a device it knows by kind and name, in the wall’s language', () => {
    expect(focusLabel(focus({ type: 'device', id: 'loop-1' }, 'Spira via Irnerio'), state(), t, 'en')).toBe('kindOne.traffic-loop · Via Irnerio')
  })
  it('falls back to the operator’s label, then to the kind and id', () => {
    expect(focusLabel(focus({ type: 'incident', id: '4' }, 'Allagamento sottopasso'), state(), t, 'it')).toBe('Allagamento sottopasso')
    expect(focusLabel(focus({ type: 'alarm', id: '9' }), state(), t, 'it')).toBe('wall.focus.alarm {"id":"9"}')
  })
})
