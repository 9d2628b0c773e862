import { describe, expect, it } from 'vitest'
import type { AccessPoint } from '../../../contracts/camera-api'
import { outageList } from './outage-list'

const point = (deviceId: string, state: AccessPoint['state'], district: string | null, name = deviceId) => ({ deviceId, state, district, name }) as AccessPoint

describe('outageList', () => {
  it('keeps down and silent access points, down first, then by district and name', () => {
    const list = outageList([
      point('a', 'up', 'Navile'),
      point('b', 'silent', 'Navile'),
      point('c', 'down', 'Savena'),
      point('d', 'down', 'Navile', 'Zeta'),
      point('e', 'down', 'Navile', 'Alfa'),
      point('f', 'degraded', 'Navile'),
      point('g', 'down', null),
    ])
    expect(list.map((p) => p.deviceId)).toEqual(['e', 'd', 'c', 'g', 'b'])
  })
})
