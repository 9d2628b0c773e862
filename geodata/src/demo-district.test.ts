import { describe, expect, it } from 'vitest'
import { DeviceIdSchema } from '../../contracts/schemas/device'
import { buildDemoDistrict, demoChecksum, DEMO_DEFAULT_CENTER } from './demo-district'
import { inEnvelope } from './readers/row-checks'

const count = (kinds: string[]) => kinds.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {})

describe('buildDemoDistrict', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    expect(buildDemoDistrict()).toEqual(buildDemoDistrict())
    expect(demoChecksum(buildDemoDistrict({ seed: 1 }))).toBe(demoChecksum(buildDemoDistrict({ seed: 1 })))
    expect(demoChecksum(buildDemoDistrict({ seed: 2 }))).not.toBe(demoChecksum(buildDemoDistrict({ seed: 1 })))
  })

  it('has a street grid, one quartiere and devices of every kind', () => {
    const d = buildDemoDistrict()
    expect(d.streetArcs).toHaveLength(60)
    expect(d.areas).toEqual([expect.objectContaining({ kind: 'quartiere', name: 'Demo district' })])
    expect(count(d.devices.map((x) => x.kind))).toEqual({ 'traffic-loop': 40, 'air-quality': 2, 'ztl-gate': 4, 'bike-counter': 2, connectivity: 4 })
  })

  it('labels everything as generated', () => {
    const d = buildDemoDistrict()
    for (const x of d.devices) {
      expect(x.source).toBe('generated')
      expect(x.name.startsWith('Demo')).toBe(true)
      expect(x.props.generated).toBe(true)
      expect(DeviceIdSchema.safeParse(x.id).success).toBe(true)
    }
    for (const a of d.streetArcs) expect(a.name.startsWith('Demo')).toBe(true)
    expect(new Set(d.devices.map((x) => x.id)).size).toBe(d.devices.length)
    expect(d.devices.filter((x) => x.kind === 'air-quality').map((x) => x.props.pollutants)).toEqual([
      ['no2', 'o3', 'pm10'],
      ['no2', 'o3', 'pm10'],
    ])
  })

  it('sits within a kilometre of its centre, the real Bologna centre by default', () => {
    expect(DEMO_DEFAULT_CENTER).toEqual([11.3426, 44.4949])
    for (const center of [DEMO_DEFAULT_CENTER, [7.6869, 45.0703] as [number, number]]) {
      const box = { minLon: center[0] - 0.013, maxLon: center[0] + 0.013, minLat: center[1] - 0.009, maxLat: center[1] + 0.009 }
      const d = buildDemoDistrict({ center })
      for (const x of d.devices) expect(inEnvelope(x.position, box)).toBe(true)
    }
  })

  it('gives each gate one field router', () => {
    const d = buildDemoDistrict()
    const gates = d.devices.filter((x) => x.kind === 'ztl-gate').map((x) => x.id)
    expect(d.devices.filter((x) => x.kind === 'connectivity').map((x) => x.props.gate)).toEqual(gates)
  })
})
