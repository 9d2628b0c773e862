import { describe, expect, it } from 'vitest'
import { DEFAULT_MAP_PREFERENCES, readMapPreferences } from './map-preferences'

describe('readMapPreferences', () => {
  it('starts dark with the SUMO network hidden', () => {
    expect(readMapPreferences('', null)).toEqual(DEFAULT_MAP_PREFERENCES)
  })

  it('remembers the theme and layer groups this browser chose', () => {
    const stored = JSON.stringify({ theme: 'light', groups: { network: true, signals: false } })
    expect(readMapPreferences('', stored)).toEqual({ theme: 'light', groups: { signals: false, buildings: true, network: true } })
  })

  it('lets ?theme= override the remembered theme', () => {
    expect(readMapPreferences('?theme=dark&lang=it', JSON.stringify({ theme: 'light' })).theme).toBe('dark')
    expect(readMapPreferences('?theme=light', null).theme).toBe('light')
  })

  it('ignores an unknown theme and a stored value that is not JSON', () => {
    expect(readMapPreferences('?theme=sepia', '{not json').theme).toBe('dark')
    expect(readMapPreferences('', JSON.stringify({ theme: 'neon', groups: { network: 'yes' } }))).toEqual(DEFAULT_MAP_PREFERENCES)
  })
})
