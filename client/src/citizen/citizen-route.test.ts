import { describe, expect, it } from 'vitest'
import { citizenPath, parseCitizenPath, type CitizenRoute } from './citizen-route'

describe('the citizen pages’ addresses', () => {
  it('reads each page and back', () => {
    const routes: CitizenRoute[] = [{ page: 'home' }, { page: 'report' }, { page: 'mine' }, { page: 'case', id: 42 }, { page: 'opendata' }, { page: 'dataset', id: 'traffico-spire-orario' }, { page: 'dashboards' }, { page: 'dashboard', id: 'cases' }]
    for (const r of routes) expect(parseCitizenPath(citizenPath(r))).toEqual(r)
    expect(parseCitizenPath('/cittadini')).toEqual({ page: 'home' })
    expect(parseCitizenPath('/cittadini/segnalazioni/42/')).toEqual({ page: 'case', id: 42 })
  })
  it('reads the open-data portal’s addresses: the catalogue and a dataset’s landing page', () => {
    expect(citizenPath({ page: 'opendata' })).toBe('/cittadini/dati')
    expect(citizenPath({ page: 'dataset', id: 'sensori' })).toBe('/cittadini/dati/sensori')
    expect(parseCitizenPath('/cittadini/dati/')).toEqual({ page: 'opendata' })
    expect(parseCitizenPath('/cittadini/dati/censimento-air-quality-stations')).toEqual({ page: 'dataset', id: 'censimento-air-quality-stations' })
    expect(parseCitizenPath(`/cittadini/dati/${'a'.repeat(80)}`)).toEqual({ page: 'dataset', id: 'a'.repeat(80) })
  })
  it('refuses a dataset id that is not lower-case letters, digits and "-", or is longer than 80', () => {
    for (const p of ['/cittadini/dati/Sensori', '/cittadini/dati/sensori_2', '/cittadini/dati/a%20b', '/cittadini/dati/sensori/data.csv', `/cittadini/dati/${'a'.repeat(81)}`]) expect(parseCitizenPath(p)).toEqual({ page: 'not-found' })
  })
  it('reads the dashboards’ addresses: the list and one dashboard by its id', () => {
    expect(citizenPath({ page: 'dashboards' })).toBe('/cittadini/cruscotti')
    expect(citizenPath({ page: 'dashboard', id: 'attivita-economiche-2024' })).toBe('/cittadini/cruscotti/attivita-economiche-2024')
    expect(parseCitizenPath('/cittadini/cruscotti/')).toEqual({ page: 'dashboards' })
    expect(parseCitizenPath('/cittadini/cruscotti/mobility')).toEqual({ page: 'dashboard', id: 'mobility' })
    for (const p of ['/cittadini/cruscotti/2024-welfare', '/cittadini/cruscotti/a', '/cittadini/cruscotti/Cases', `/cittadini/cruscotti/${'a'.repeat(61)}`, '/cittadini/cruscotti/cases/x']) expect(parseCitizenPath(p)).toEqual({ page: 'not-found' })
  })
  it('calls anything else not found', () => {
    for (const p of ['/cittadini/segnalazioni/0', '/cittadini/segnalazioni/abc', '/cittadini/x', '/altro']) expect(parseCitizenPath(p)).toEqual({ page: 'not-found' })
  })
})
