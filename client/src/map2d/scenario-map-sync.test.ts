import { describe, expect, it } from 'vitest'
import { streetEdges } from './scenario-map-sync'

describe('a click on a street', () => {
  it('picks the street under the pointer in both directions, not the cross street', () => {
    const picked = streetEdges([
      { edgeId: '101', name: 'Via Rizzoli' },
      { edgeId: '55', name: 'Via Indipendenza' },
      { edgeId: '102', name: 'Via Rizzoli' },
      { edgeId: '101', name: 'Via Rizzoli' },
    ])
    expect(picked.map((e) => e.edgeId)).toEqual(['101', '102'])
  })

  it('picks only the edge under the pointer when the street has no name', () => {
    expect(streetEdges([{ edgeId: '7', name: null }, { edgeId: '8', name: null }]).map((e) => e.edgeId)).toEqual(['7'])
  })

  it('picks nothing where there is no street', () => {
    expect(streetEdges([])).toEqual([])
  })
})
