import { describe, expect, it } from 'vitest'
import { AlarmRuleSchema, inWindow, romeTime } from './alarm-rules'

const texts = {
  cause: 'The loop measures occupancy above the limit.',
  consequence: 'Queues reach the upstream junction within minutes.',
  response: 'Check the camera of the junction and consider the peak-hour plan.',
}

describe('alarm rules', () => {
  it('accepts a threshold rule with its defaults, and refuses one without an operator response', () => {
    const r = AlarmRuleSchema.parse({ id: 'occupancy-high', name: 'Occupancy high', priority: 'low', type: 'threshold', metric: 'occupancyPct', above: 60, ...texts })
    expect(r).toMatchObject({ enabled: true, deadband: 0, delayS: 0, scope: {} })
    const noResponse = AlarmRuleSchema.safeParse({ id: 'occupancy-high', name: 'Occupancy high', priority: 'low', type: 'threshold', metric: 'occupancyPct', above: 60, cause: texts.cause, consequence: texts.consequence })
    expect(noResponse.success).toBe(false)
    const vague = AlarmRuleSchema.safeParse({ id: 'occupancy-high', name: 'Occupancy high', priority: 'low', type: 'threshold', metric: 'occupancyPct', above: 60, ...texts, response: 'check' })
    expect(vague.error?.issues[0]?.message).toMatch(/response: say it in a sentence/)
  })

  it('refuses a threshold with both or neither limit, and a corridor needing more loops than it has', () => {
    const base = { id: 'r1', name: 'Rule one', priority: 'low', metric: 'speedKmh', ...texts }
    expect(AlarmRuleSchema.safeParse({ ...base, type: 'threshold', above: 1, below: 2 }).success).toBe(false)
    expect(AlarmRuleSchema.safeParse({ ...base, type: 'threshold' }).success).toBe(false)
    const corridor = { id: 'irnerio', name: 'Via Irnerio', priority: 'medium', type: 'congestion', ...texts, corridor: { deviceIds: ['loop-1', 'loop-2'], minLoops: 3 } }
    expect(AlarmRuleSchema.safeParse(corridor).success).toBe(false)
    expect(AlarmRuleSchema.parse({ ...corridor, corridor: { deviceIds: ['loop-1', 'loop-2'], minLoops: 2 } })).toMatchObject({ occupancyPctAtLeast: 35, speedKmhAtMost: 15, delayS: 180 })
  })

  it('reads local time in Europe/Rome across the daylight-saving change', () => {
    // 2026-03-29 is the spring change: 01:30 UTC is 03:30 CEST; the day before, 01:30 UTC is 02:30 CET.
    expect(romeTime(Date.UTC(2026, 2, 29, 1, 30))).toEqual({ day: 7, minutes: 3 * 60 + 30 })
    expect(romeTime(Date.UTC(2026, 2, 28, 1, 30))).toEqual({ day: 6, minutes: 2 * 60 + 30 })
  })

  it('applies a time window on its days, including one that spans midnight', () => {
    const weekdayPeak = { days: [1, 2, 3, 4, 5], from: '07:00', to: '09:30' }
    const thu0800 = Date.UTC(2026, 10, 26, 7, 0) // Thursday 08:00 in Rome (CET)
    const sat0800 = Date.UTC(2026, 10, 28, 7, 0)
    expect(inWindow(weekdayPeak, thu0800)).toBe(true)
    expect(inWindow(weekdayPeak, sat0800)).toBe(false)
    expect(inWindow(undefined, sat0800)).toBe(true)
    const fridayNight = { days: [5], from: '22:00', to: '06:00' }
    expect(inWindow(fridayNight, Date.UTC(2026, 10, 27, 22, 0))).toBe(true) // Friday 23:00
    expect(inWindow(fridayNight, Date.UTC(2026, 10, 28, 3, 0))).toBe(true) // Saturday 04:00, the night that began Friday
    expect(inWindow(fridayNight, Date.UTC(2026, 10, 29, 3, 0))).toBe(false) // Sunday 04:00
  })
})
