import { describe, expect, it } from 'vitest'
import { shortStationNames } from './station-names'

describe('station names on the wall', () => {
  it('says a shared first word once', () => {
    expect(shortStationNames(['ARPAE De Amicis', 'ARPAE Via Chiarini'])).toEqual({ network: 'ARPAE', names: ['De Amicis', 'Via Chiarini'] })
  })
  it('keeps the names whole when they share no first word', () => {
    expect(shortStationNames(['ARPAE De Amicis', 'Giardini'])).toEqual({ network: null, names: ['ARPAE De Amicis', 'Giardini'] })
  })
  it('keeps a lone name, and a name that is only the shared word', () => {
    expect(shortStationNames(['ARPAE De Amicis'])).toEqual({ network: null, names: ['ARPAE De Amicis'] })
    expect(shortStationNames(['ARPAE', 'ARPAE Nord'])).toEqual({ network: null, names: ['ARPAE', 'ARPAE Nord'] })
  })
})
