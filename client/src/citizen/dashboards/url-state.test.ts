import { describe, expect, it } from 'vitest'
import type { ChoroplethPanel } from '../../../../contracts/theme-dashboard-api'
import { dayOptions, isEmbed, panelState, parseUrlState, resolveView, writeUrlState, type DashboardUrlState } from './url-state'

const row = (areaId: string) => ({ areaId, code: areaId, name: areaId, values: {} })
const PANEL: Pick<ChoroplethPanel, 'levels' | 'measureIds'> = { measureIds: ['open', 'late'], levels: { quartiere: [row('q1'), row('q2')], area_statistica: [row('a1')] } }

describe('a dashboard’s view in its address', () => {
  it('reads back what it wrote: period, embed, each choropleth’s level, measure and area', () => {
    const state: DashboardUrlState = { days: 90, embed: true, panel: null, views: { 'by-area': { level: 'area_statistica', measure: 'late', area: 'a1' }, 'map.2': { measure: 'open' } } }
    const search = writeUrlState(state)
    expect(search).toBe('?days=90&embed=1&by-area.level=area_statistica&by-area.measure=late&by-area.area=a1&map.2.measure=open')
    expect(parseUrlState(search)).toEqual(state)
  })
  it('reads back an embedded panel with its view; names a panel only in the embedded view', () => {
    const state: DashboardUrlState = { days: 30, embed: true, panel: 'by-area', views: { 'by-area': { level: 'area_statistica', area: 'a1' } } }
    const search = writeUrlState(state, '?lang=en')
    expect(search).toBe('?lang=en&days=30&embed=1&panel=by-area&by-area.level=area_statistica&by-area.area=a1')
    expect(parseUrlState(search)).toEqual(state)
    expect(parseUrlState('?panel=by-area').panel).toBeNull()
    expect(parseUrlState('?embed=1&panel=').panel).toBeNull()
    expect(writeUrlState({ ...state, embed: false })).toBe('?days=30&by-area.level=area_statistica&by-area.area=a1')
  })
  it('embeds one panel as it is now: the period and that panel’s view, not the other panels’', () => {
    const state: DashboardUrlState = { days: 7, embed: false, panel: null, views: { 'by-area': { measure: 'late' }, other: { level: 'quartiere' } } }
    expect(panelState(state, 'by-area')).toEqual({ days: 7, embed: true, panel: 'by-area', views: { 'by-area': { measure: 'late' } } })
    expect(writeUrlState(panelState(state, 'kpi-open'), '?lang=it')).toBe('?lang=it&days=7&embed=1&panel=kpi-open')
  })
  it('keeps the other parameters (the language) and replaces its own', () => {
    const search = writeUrlState({ days: null, embed: false, panel: null, views: { m: { level: 'quartiere' } } }, '?lang=en&days=30&m.area=q1&embed=1&panel=m')
    expect(search).toBe('?lang=en&m.level=quartiere')
    expect(writeUrlState({ days: null, embed: false, panel: null, views: {} }, '?days=7')).toBe('')
  })
  it('ignores what it cannot use: an unknown level, a period out of range, empty values', () => {
    expect(parseUrlState('?days=0&m.level=comune&m.measure=&x=1')).toEqual({ days: null, embed: false, panel: null, views: { m: {} } })
    expect(parseUrlState('?days=367').days).toBeNull()
    expect(parseUrlState('?days=7abc').days).toBeNull()
    expect(isEmbed('?embed=1&lang=it')).toBe(true)
    expect(isEmbed('?embed=true')).toBe(false)
  })
  it('draws the address’s level, measure and area when the panel has them, else its defaults', () => {
    expect(resolveView(PANEL, undefined)).toEqual({ level: 'quartiere', measure: 'open', area: null })
    expect(resolveView(PANEL, { level: 'area_statistica', measure: 'late', area: 'a1' })).toEqual({ level: 'area_statistica', measure: 'late', area: 'a1' })
    expect(resolveView(PANEL, { level: 'area_statistica', measure: 'gone', area: 'q1' })).toEqual({ level: 'area_statistica', measure: 'open', area: null })
    expect(resolveView({ measureIds: ['x'], levels: { area_statistica: [row('a1')] } }, { level: 'quartiere' }).level).toBe('area_statistica')
  })
  it('offers the periods up to the dashboard’s maximum, with its default', () => {
    expect(dayOptions({ default: 30, max: 366 })).toEqual([7, 30, 90, 365])
    expect(dayOptions({ default: 14, max: 90 })).toEqual([7, 14, 30, 90])
  })
})
