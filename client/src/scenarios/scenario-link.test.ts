import { describe, expect, it } from 'vitest'
import { parseScenarioLink, parseScenarioRef, withScenarioLink } from './scenario-link'

describe('scenario links', () => {
  it('open the latest version, or the one named', () => {
    expect(parseScenarioRef('chiusura-rizzoli')).toEqual({ id: 'chiusura-rizzoli', version: null })
    expect(parseScenarioRef('chiusura-rizzoli/3')).toEqual({ id: 'chiusura-rizzoli', version: 3 })
    expect(parseScenarioRef('chiusura-rizzoli/')).toEqual({ id: 'chiusura-rizzoli', version: null })
  })

  it('refuse what is not a scenario id or a version', () => {
    for (const bad of ['', 'Chiusura', '-x', 'a/0', 'a/1.5', 'a/3/4', 'a/x', '../etc']) expect(parseScenarioRef(bad)).toBeNull()
  })

  it('read the hour and the scenario compared from the page address', () => {
    expect(parseScenarioLink('?lang=it&scenario=a/2&hour=17&compare=b/5')).toEqual({ id: 'a', version: 2, hour: 17, compare: { id: 'b', version: 5 } })
    expect(parseScenarioLink('?scenario=a%2F2&compare=b')).toEqual({ id: 'a', version: 2, hour: null, compare: { id: 'b', version: null } })
    expect(parseScenarioLink('?scenario=a&hour=24')).toMatchObject({ hour: null })
    expect(parseScenarioLink('?scenario=a&hour=-1')).toMatchObject({ hour: null })
    expect(parseScenarioLink('?lang=en')).toBeNull()
  })

  it('write the link back into the address, keeping the other parameters', () => {
    expect(withScenarioLink('?lang=en&hour=3', { id: 'a', version: 2, hour: 8, compare: null })).toBe('?lang=en&scenario=a/2&hour=8')
    expect(withScenarioLink('?lang=en', { id: 'a', version: 2, hour: null, compare: { id: 'b', version: 1 } })).toBe('?lang=en&scenario=a/2&compare=b/1')
    expect(withScenarioLink('?lang=en&scenario=a/2&hour=8', null)).toBe('?lang=en')
    expect(withScenarioLink('?scenario=a', null)).toBe('')
  })

  it('round-trips', () => {
    const link = { id: 'ponte-stalingrado', version: 12, hour: 0, compare: { id: 'ponte-b', version: 3 } }
    expect(parseScenarioLink(withScenarioLink('', link))).toEqual(link)
  })
})
