import { describe, expect, it } from 'vitest'
import { parseSumoAdditional } from './sumo-additional-parser'
import { tlLogicXml } from './tl-logic-export'
import { tinyAdditionalXml } from './tiny-sumo-net'

describe('tlLogicXml', () => {
  it('writes programs that parse back to the same programs (phases, optional attributes, params)', () => {
    const original = parseSumoAdditional(tinyAdditionalXml(), 'tiny_tls.add.xml').additional.tlLogics
    const xml = tlLogicXml(original.map(({ id, programId, type, offsetS, phases, params }) => ({ tlsId: id, programId, type, offsetS, phases, params })))
    const back = parseSumoAdditional(xml, 'tiny_tls.add.xml').additional.tlLogics
    expect(back.map(({ line: _l, ...p }) => p)).toEqual(original.map(({ line: _l, ...p }) => p))
    expect(xml).toContain('<phase duration="20" state="rG" minDur="5" maxDur="40" name="side" next="0"/>')
    expect(xml).toContain('<phase duration="3" state="ry"/>')
  })

  it('escapes attribute values', () => {
    const xml = tlLogicXml([{ tlsId: 'a"b', programId: 'p<1>', type: 'static', offsetS: 0, phases: [{ duration: 1, state: 'G', name: 'x & y' }], params: {} }])
    expect(xml).toContain('<tlLogic id="a&quot;b" type="static" programID="p&lt;1&gt;" offset="0">')
    expect(parseSumoAdditional(xml, 'e.add.xml').additional.tlLogics[0]).toMatchObject({ id: 'a"b', programId: 'p<1>', phases: [{ name: 'x & y' }] })
  })
})
