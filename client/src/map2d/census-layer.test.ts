import { describe, expect, it } from 'vitest'
import { featureCollectionOf } from './census-layer'

const point = (lon: number) => ({ type: 'Point' as const, coordinates: [lon, 44.49] as [number, number] })

describe('the census features drawn on the map', () => {
  it('marks the selected feature, leaves out the one terra-draw edits, and draws the relation targets', () => {
    const fc = featureCollectionOf({
      main: { collection: 'street-lights', features: [{ id: 1, geometry: point(11.34), label: 'A' }, { id: 2, geometry: point(11.35), label: 'B' }, { id: 3, geometry: point(11.36), label: 'C' }] },
      targets: [{ collection: 'poles', features: [{ id: 9, geometry: point(11.37), label: 'P' }] }],
      selectedId: 2,
      editingId: 3,
    }) as { features: Array<{ id: number; properties: Record<string, unknown> }> }
    expect(fc.features.map((f) => [f.id, f.properties.collection, f.properties.role, f.properties.selected])).toEqual([
      [9, 'poles', 'target', false],
      [1, 'street-lights', 'main', false],
      [2, 'street-lights', 'main', true],
    ])
  })
})
