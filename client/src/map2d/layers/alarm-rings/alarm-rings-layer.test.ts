import { describe, expect, it } from 'vitest'
import type { Alarm } from '../../../../../contracts/alarm-api'
import { alarmRings } from './alarm-rings-layer'

const a = (id: number, deviceId: string | null, priority: Alarm['priority']) =>
  ({ id, deviceId, priority, position: deviceId ? [11.3, 44.5] : null, acked: false }) as unknown as Alarm

describe('alarm rings', () => {
  it('draws one ring per device, for its most urgent alarm, counting the others; alarms without a place are left to the list', () => {
    const rings = alarmRings([a(1, 'L1', 'high'), a(2, 'L2', 'medium'), a(3, 'L1', 'low'), a(4, null, 'high')])
    expect(rings.map((r) => [r.alarm.id, r.count])).toEqual([
      [1, 2],
      [2, 1],
    ])
  })
})
