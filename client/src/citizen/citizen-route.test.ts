import { describe, expect, it } from 'vitest'
import { citizenPath, parseCitizenPath, type CitizenRoute } from './citizen-route'

describe('the citizen pages’ addresses', () => {
  it('reads each page and back', () => {
    const routes: CitizenRoute[] = [{ page: 'home' }, { page: 'report' }, { page: 'mine' }, { page: 'case', id: 42 }]
    for (const r of routes) expect(parseCitizenPath(citizenPath(r))).toEqual(r)
    expect(parseCitizenPath('/cittadini')).toEqual({ page: 'home' })
    expect(parseCitizenPath('/cittadini/segnalazioni/42/')).toEqual({ page: 'case', id: 42 })
  })
  it('calls anything else not found', () => {
    for (const p of ['/cittadini/segnalazioni/0', '/cittadini/segnalazioni/abc', '/cittadini/x', '/altro']) expect(parseCitizenPath(p)).toEqual({ page: 'not-found' })
  })
})
