import { describe, expect, it } from 'vitest'
import type { Alarm } from '../../../contracts/alarm-api'
import { districtAlarms } from './district-cards'

function alarm(overrides: Partial<Alarm>): Alarm {
  return {
    id: 1, ruleId: 'gate-offline', ruleName: 'Gate offline', ruleType: 'offline', priority: 'medium', subject: 'g-1', deviceId: 'g-1', deviceKind: 'ztl-gate',
    deviceName: 'Gate', position: [11.3, 44.5], district: 'Navile', message: 'fault', value: 'fault', cause: 'c', consequence: 'q', response: 'r', translations: {}, active: true,
    acked: false, shelved: null, suppressedBy: null, outOfService: false, display: 'unacknowledged', listed: true, chattering: false, raisedAtMs: 1, lastChangeAtMs: 1,
    clearedAtMs: null, ackedAtMs: null, ackedBy: null, activations: 1, closed: false, ...overrides,
  }
}

describe('district cards', () => {
  it('lists every district, with nothing open where no alarm is', () => {
    expect(districtAlarms([], ['Navile', 'Savena'])).toEqual([
      { district: 'Navile', open: 0, unacknowledged: 0, highest: null },
      { district: 'Savena', open: 0, unacknowledged: 0, highest: null },
    ])
  })
  it('counts open and unacknowledged alarms and keeps the highest priority', () => {
    const rows = districtAlarms(
      [alarm({ id: 1, priority: 'low' }), alarm({ id: 2, priority: 'high', display: 'acknowledged', acked: true }), alarm({ id: 3, display: 'rtn-unacknowledged', active: false })],
      ['Navile'],
    )
    expect(rows).toEqual([{ district: 'Navile', open: 3, unacknowledged: 2, highest: 'high' }])
  })
  it('adds alarms outside every district last', () => {
    const rows = districtAlarms([alarm({ district: null, priority: 'high' }), alarm({ district: 'Elsewhere' })], ['Navile'])
    expect(rows.map((r) => r.district)).toEqual(['Navile', 'Elsewhere', null])
  })
})
