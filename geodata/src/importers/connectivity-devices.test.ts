import { describe, expect, it } from 'vitest'
import { CONNECTIVITY_NOTE, eastOf, routersForGates } from './connectivity-devices'

/** Equirectangular distance in metres. */
function metres(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180
  return Math.hypot((b[0] - a[0]) * rad * Math.cos(((a[1] + b[1]) / 2) * rad), (b[1] - a[1]) * rad) * 6_371_008.8
}

describe('routersForGates', () => {
  const gate = { row: 2, deviceId: 'ztl-varco-n-78', position: [11.34885940342026, 44.49141491237119] as [number, number], name: 'Santo Stefano' }

  it('puts one router 5 m east of each gate', () => {
    const [router] = routersForGates([gate])
    expect(router?.position[1]).toBe(gate.position[1])
    expect(router?.position[0]).toBeGreaterThan(gate.position[0])
    expect(metres(gate.position, router?.position ?? [0, 0])).toBeCloseTo(5, 6)
  })

  it('names it net-<varco> and says it is generated', () => {
    expect(routersForGates([gate])).toEqual([
      {
        row: 2,
        id: 'net-varco-n-78',
        kind: 'connectivity',
        name: 'Field router (gate Santo Stefano)',
        position: eastOf(gate.position, 5),
        expectedIntervalS: 60,
        source: 'generated',
        props: { generated: true, note: CONNECTIVITY_NOTE, gate: 'ztl-varco-n-78' },
      },
    ])
  })
})
