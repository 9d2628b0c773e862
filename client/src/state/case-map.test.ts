import { describe, expect, it } from 'vitest'
import type { CaseFeatureCollection, CaseSummary } from '../../../contracts/case-api'
import { applyCaseChange, INITIAL_CASE_MAP, replaceCasePoints, startCaseFetch } from './case-map'

const NOW = Date.parse('2026-11-28T10:00:00Z')
const summary = (over: Partial<CaseSummary> = {}): CaseSummary => ({
  id: 7,
  serviceCode: 'buca-stradale',
  status: 'triaged',
  priority: 'medium',
  position: [11.3426, 44.4939],
  address: null,
  districtId: null,
  districtName: null,
  officeId: 'strade',
  assignee: null,
  source: 'open311',
  published: true,
  requestedAtMs: NOW - 3_600_000,
  updatedAtMs: NOW,
  expectedAtMs: NOW + 86_400_000,
  closedAtMs: null,
  slaBreachedAtMs: null,
  version: 2,
  ...over,
})
const fc = (ids: number[]): CaseFeatureCollection => ({
  type: 'FeatureCollection',
  features: ids.map((id) => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [11.34, 44.49] }, properties: { id, serviceCode: 'buca-stradale', status: 'new', priority: 'medium', overdue: false, requestedAtMs: NOW } })),
})

describe('the case layer state', () => {
  it('moves a pushed case, flags it overdue past its SLA, and takes it off the map when it closes', () => {
    let s = replaceCasePoints(startCaseFetch(INITIAL_CASE_MAP), fc([7, 8]), NOW)
    s = applyCaseChange(s, summary({ position: [11.35, 44.5], status: 'in_progress' }), NOW)
    expect(s.points.get(7)).toMatchObject({ position: [11.35, 44.5], status: 'in_progress', overdue: false })
    s = applyCaseChange(s, summary({ expectedAtMs: NOW - 1 }), NOW)
    expect(s.points.get(7)!.overdue).toBe(true)
    s = applyCaseChange(s, summary({ status: 'fixed', closedAtMs: NOW }), NOW)
    expect([...s.points.keys()]).toEqual([8])
  })

  it('keeps a change pushed while the list was being fetched (the answer may predate it)', () => {
    let s = startCaseFetch(replaceCasePoints(INITIAL_CASE_MAP, fc([7]), NOW))
    s = applyCaseChange(s, summary({ id: 9 }), NOW)
    s = applyCaseChange(s, summary({ id: 7, status: 'fixed', closedAtMs: NOW }), NOW)
    // The fetch answered with the state before both pushes: 7 still open, 9 not there yet.
    s = replaceCasePoints(s, fc([7]), NOW)
    expect([...s.points.keys()]).toEqual([9])
    expect(s.pending).toEqual([])
  })
})
