import { describe, expect, it } from 'vitest'
import type { Alarm } from '../../../contracts/alarm-api'
import { alarmFixture } from './test-factories'
import { applyAlarmChanges, groupForFlood, INITIAL_CONTROL_ROOM, operatorList, replaceAlarms } from './alarm-reducers'

const alarm = (id: number, o: Partial<Alarm> = {}): Alarm =>
  alarmFixture({ id, ruleId: 'occ', ruleName: 'Occupancy', ruleType: 'threshold', priority: 'low', subject: `L${id}`, deviceId: `L${id}`, deviceKind: 'traffic-loop', deviceName: `Loop ${id}`, position: [11.34, 44.49], district: 'Santo Stefano', message: 'occupancyPct 70 above 60', value: 70, ...o })
const flood = { active: false, sinceMs: null, lastTenMinutes: 0 }

describe('alarm reducers', () => {
  it('keeps the newest version of an alarm and drops closed ones', () => {
    let s = applyAlarmChanges(INITIAL_CONTROL_ROOM, [alarm(1, { lastChangeAtMs: 2000, acked: true, display: 'acknowledged' })], null)
    s = applyAlarmChanges(s, [alarm(1, { lastChangeAtMs: 1500 })], null)
    expect(s.alarms.get(1)?.display).toBe('acknowledged')
    s = applyAlarmChanges(s, [alarm(1, { lastChangeAtMs: 3000, closed: true, listed: false })], { ...flood, active: true, sinceMs: 2500 })
    expect(s.alarms.size).toBe(0)
    expect(s.flood.active).toBe(true)
  })

  it('a list fetched before a push and answered after it does not undo the push', () => {
    let s = applyAlarmChanges(INITIAL_CONTROL_ROOM, [alarm(1, { lastChangeAtMs: 5000, acked: true, display: 'acknowledged' }), alarm(2, { lastChangeAtMs: 5100 })], null)
    // The list was requested at 4000: it has alarm 1 unacknowledged, and not alarm 2 (opened after).
    s = replaceAlarms(s, [alarm(1, { lastChangeAtMs: 1000 }), alarm(3, { lastChangeAtMs: 900 })], flood, 4000, 6000)
    expect([...s.alarms.keys()].sort()).toEqual([1, 2, 3])
    expect(s.alarms.get(1)?.display).toBe('acknowledged')
    // An alarm the store holds from before the request, absent from the list, was closed meanwhile.
    s = replaceAlarms(s, [alarm(1, { lastChangeAtMs: 5000 })], flood, 7000, 8000)
    expect([...s.alarms.keys()]).toEqual([1])
  })

  it('orders the operator list by priority, unacknowledged first, newest first; hides shelved ones', () => {
    const m = new Map(
      [
        alarm(1, { priority: 'low', lastChangeAtMs: 9000 }),
        alarm(2, { priority: 'high', acked: true, display: 'acknowledged' }),
        alarm(3, { priority: 'high', lastChangeAtMs: 100 }),
        alarm(4, { priority: 'medium', listed: false, shelved: { untilMs: null, reason: 'x', by: 'op' } }),
        alarm(5, { priority: 'low', lastChangeAtMs: 9500, active: false, display: 'rtn-unacknowledged' }),
      ].map((a) => [a.id, a]),
    )
    expect(operatorList(m).map((a) => a.id)).toEqual([3, 2, 1, 5])
  })

  it('groups a flood by rule and district, highest priority first', () => {
    const list = [alarm(1), alarm(2), alarm(3, { district: 'Navile' }), alarm(4, { ruleId: 'gate', ruleName: 'Gate', priority: 'medium' })]
    expect(groupForFlood(list).map((g) => [g.ruleId, g.district, g.alarms.length])).toEqual([
      ['gate', 'Santo Stefano', 1],
      ['occ', 'Santo Stefano', 2],
      ['occ', 'Navile', 1],
    ])
  })
})
