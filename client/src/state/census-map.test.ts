import { describe, expect, it } from 'vitest'
import { INITIAL_CENSUS_MAP, clickableCollections, closeCensusMap, geometryBbox, replaceDraft, reportClick, reportDraft, requestFocus } from './census-map'

const point = { type: 'Point' as const, coordinates: [11.34, 44.49] as [number, number] }

describe('the census map state', () => {
  it('a replaced draft gets a new revision (the map reloads it); a reported one keeps it', () => {
    const a = replaceDraft(INITIAL_CENSUS_MAP, point)
    expect(a.draft.revision).toBe(1)
    expect(reportDraft(a, { ...point, coordinates: [11.35, 44.49] }).draft).toEqual({ geometry: { ...point, coordinates: [11.35, 44.49] }, revision: 1 })
  })

  it('a drawn geometry is then edited', () => {
    const drawing = { ...INITIAL_CENSUS_MAP, mode: { kind: 'draw' as const, geometryType: 'Point' as const } }
    expect(reportDraft(drawing, point).mode).toEqual({ kind: 'edit' })
  })

  it('clicks and focus requests are new each time', () => {
    const a = reportClick(INITIAL_CENSUS_MAP, 'poles', 7)
    expect(reportClick(a, 'poles', 7).clicked).toEqual({ collection: 'poles', id: 7, seq: 2 })
    expect(requestFocus(requestFocus(INITIAL_CENSUS_MAP, [1, 2, 3, 4]), [1, 2, 3, 4]).focus!.seq).toBe(2)
  })

  it('clicks select the open collection’s features, or the relation’s targets while picking', () => {
    const open = { ...INITIAL_CENSUS_MAP, active: true, main: { collection: 'street-lights' as const, features: [] } }
    expect(clickableCollections(open)).toEqual(['street-lights'])
    expect(clickableCollections({ ...open, mode: { kind: 'pick', collections: ['poles'] } })).toEqual(['poles'])
    expect(clickableCollections({ ...open, mode: { kind: 'draw', geometryType: 'Point' } })).toEqual([])
  })

  it('closing keeps what the map reports', () => {
    const s = { ...INITIAL_CENSUS_MAP, active: true, mapBound: true, viewport: { bbox: [1, 2, 3, 4] as [number, number, number, number], zoom: 15 }, selectedId: 4 }
    expect(closeCensusMap(s)).toEqual({ ...INITIAL_CENSUS_MAP, mapBound: true, viewport: s.viewport })
  })

  it('boxes any geometry', () => {
    expect(geometryBbox({ type: 'Polygon', coordinates: [[[11.34, 44.49], [11.35, 44.5], [11.33, 44.48], [11.34, 44.49]]] })).toEqual([11.33, 44.48, 11.35, 44.5])
    expect(geometryBbox({ type: 'Point', coordinates: [] })).toBeNull()
  })
})
