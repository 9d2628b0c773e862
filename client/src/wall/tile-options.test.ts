import { afterEach, describe, expect, it, vi } from 'vitest'
import { chartOptions, viewOptions } from './tile-options'

afterEach(() => vi.restoreAllMocks())

describe('tile options', () => {
  it('reads a view and a chart window', () => {
    expect(viewOptions({ center: [11.34, 44.49], zoom: 14, pitch: 40 }, 'map')).toEqual({ center: [11.34, 44.49], zoom: 14, pitch: 40 })
    expect(chartOptions({ hours: 24 }, 'mobility')).toEqual({ hours: 24 })
  })
  it('ignores a setting of the wrong shape and keeps the others', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(viewOptions({ zoom: 'near', scene: 'centro' }, 'map')).toEqual({ scene: 'centro' })
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/wall tile map: option zoom ignored/))
  })
  it('ignores settings it does not know', () => {
    expect(chartOptions({ colour: 'red' }, 'aq')).toEqual({})
  })
})
