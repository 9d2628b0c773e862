import { describe, expect, it } from 'vitest'
import { DatasetFileError } from '../readers/read-result'
import { parseSumoAdditional } from './sumo-additional-parser'
import { tinyAdditionalXml } from './tiny-sumo-net'

describe('parseSumoAdditional', () => {
  it('reads programs with minDur/maxDur/name/params and both detector tags, ignoring other elements and comments', () => {
    const { additional, problems, elements } = parseSumoAdditional(tinyAdditionalXml(), '/x/tiny_tls.add.xml')
    expect(additional.tlLogics).toEqual([
      {
        line: 2,
        file: 'tiny_tls.add.xml',
        source: 'additional',
        id: '209',
        type: 'actuated',
        programId: 'utopia',
        offsetS: 5,
        params: { 'max-gap': '3.0' },
        phases: [
          { duration: 31, state: 'Gr', minDur: 10, maxDur: 60, name: 'main' },
          { duration: 3.5, state: 'yr', minDur: 3.5, maxDur: 3.5 },
          { duration: 20, state: 'rG', minDur: 5, maxDur: 40, name: 'side', attrs: { next: '0' } },
          { duration: 3, state: 'ry' },
        ],
      },
    ])
    expect(additional.detectors.map((d) => [d.id, d.laneId, d.posM, d.freqS, d.outputFile, d.line])).toEqual([
      ['0.127_2.9_6_1__l0', 'E0_0', 20, 1800, 'e1_output.xml', 10],
      ['0.127_2.9_6_1__l1', 'E0_1', 20, 1800, 'e1_output.xml', 11],
      ['2.9_0.127_2_1__l0', 'E1_0', -10, 1800, 'e1_output.xml', 12],
      ['north_loop', 'E2_0', 25, 1800, 'e1_output.xml', 13],
    ])
    expect(elements).toBe(5)
    expect(problems).toEqual([])
  })

  it('refuses a detector without lane and a program with a bad phase, by line', () => {
    const xml = tinyAdditionalXml({
      detectors: [{ id: 'ok', lane: 'E0_0', pos: 1 }],
      additionalExtra: '    <e1Detector id="nolane" pos="3" freq="60" file="x.xml"/>\n    <tlLogic id="210" programID="p"><phase duration="x" state="G"/></tlLogic>',
    })
    const { additional, problems, rejected } = parseSumoAdditional(xml, 'a.add.xml')
    expect(additional.detectors.map((d) => d.id)).toEqual(['ok'])
    expect(additional.tlLogics.map((t) => t.id)).toEqual(['209'])
    expect(problems).toEqual([
      { row: 13, id: '210/p', problem: 'rejected: tlLogic 210/p: phase 1 attribute duration="x" is not a number' },
      { row: 12, id: 'nolane', problem: 'rejected: e1Detector nolane in a.add.xml: attribute lane is missing' },
    ])
    expect(rejected).toBe(2)
  })

  it('refuses a file whose root is not <additional>', () => {
    expect(() => parseSumoAdditional('<net/>', 'n.add.xml')).toThrow(DatasetFileError)
  })
})
