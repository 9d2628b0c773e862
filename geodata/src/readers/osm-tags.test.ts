import { describe, expect, it } from 'vitest'
import { maxspeedValueKmh, mostImportantHighway, osmValues, parseLanes, parseMaxspeedKmh, parseOneway } from './osm-tags'

describe('osmValues', () => {
  it('reads OSMnx lists, OSM ";" multi-values and single values alike', () => {
    expect(osmValues(['30', '50'])).toEqual(['30', '50'])
    expect(osmValues('30; 50')).toEqual(['30', '50'])
    expect(osmValues(3)).toEqual(['3'])
    expect(osmValues(['2', '2', ''])).toEqual(['2'])
    expect(osmValues('')).toEqual([])
    expect(osmValues(null)).toEqual([])
  })
})

describe('mostImportantHighway', () => {
  it('picks the most important class of a list, a link just below its road', () => {
    expect(mostImportantHighway(['tertiary', 'secondary'])).toBe('secondary')
    expect(mostImportantHighway(['tertiary', 'motorway_link'])).toBe('motorway_link')
    expect(mostImportantHighway(['residential', 'living_street'])).toBe('residential')
    expect(mostImportantHighway(['primary_link', 'secondary'])).toBe('primary_link')
  })

  it('ranks unknown classes last and returns null for none', () => {
    expect(mostImportantHighway(['construction', 'service'])).toBe('service')
    expect(mostImportantHighway(['construction'])).toBe('construction')
    expect(mostImportantHighway([])).toBeNull()
  })
})

describe('parseLanes', () => {
  it('takes the widest part of a merged edge', () => {
    expect(parseLanes(['3', '2', '1'])).toEqual({ lanes: 3, ignored: [] })
    expect(parseLanes('2')).toEqual({ lanes: 2, ignored: [] })
  })

  it('ignores what is not a whole number of lanes', () => {
    expect(parseLanes(['1.5', '2'])).toEqual({ lanes: 2, ignored: ['1.5'] })
    expect(parseLanes('many')).toEqual({ lanes: null, ignored: ['many'] })
    expect(parseLanes('0')).toEqual({ lanes: null, ignored: ['0'] })
    expect(parseLanes('')).toEqual({ lanes: null, ignored: [] })
  })
})

describe('maxspeed', () => {
  it('converts units and implicit Italian limits to km/h', () => {
    expect(maxspeedValueKmh('50')).toBe(50)
    expect(maxspeedValueKmh('50 km/h')).toBe(50)
    expect(maxspeedValueKmh('30 mph')).toBe(48.3)
    expect(maxspeedValueKmh('10 knots')).toBe(18.5)
    expect(maxspeedValueKmh('IT:urban')).toBe(50)
    expect(maxspeedValueKmh('IT:motorway')).toBe(130)
  })

  it('has no number for signals, none or an unknown zone', () => {
    expect(maxspeedValueKmh('signals')).toBeNull()
    expect(maxspeedValueKmh('none')).toBeNull()
    expect(maxspeedValueKmh('FR:urban')).toBeNull()
  })

  it('takes the lowest limit of a list and reports what it ignored', () => {
    expect(parseMaxspeedKmh(['130', '110'])).toEqual({ kmh: 110, ignored: [] })
    expect(parseMaxspeedKmh('30;IT:urban')).toEqual({ kmh: 30, ignored: [] })
    expect(parseMaxspeedKmh(['signals', '50'])).toEqual({ kmh: 50, ignored: ['signals'] })
    expect(parseMaxspeedKmh('signals')).toEqual({ kmh: null, ignored: ['signals'] })
  })
})

describe('parseOneway', () => {
  it('reads OSMnx booleans and raw OSM values', () => {
    expect([true, 'yes', 'True', '1', '-1'].map(parseOneway)).toEqual([true, true, true, true, true])
    expect([false, 'no', '', null, 'reversible'].map(parseOneway)).toEqual([false, false, false, false, false])
  })
})
