import { describe, expect, it } from 'vitest'
import type { Alarm } from '../../../contracts/alarm-api'
import { alarmCounts, unackedIds } from './alarm-counts'

const alarm = (id: number, priority: Alarm['priority'], acked: boolean) => ({ id, priority, acked }) as Alarm

describe('alarmCounts', () => {
  it('counts by priority and unacknowledged, and names the highest', () => {
    const c = alarmCounts([alarm(1, 'low', false), alarm(2, 'medium', true), alarm(3, 'low', true)])
    expect(c).toEqual({ total: 3, unacknowledged: 1, byPriority: { high: 0, medium: 1, low: 2, diagnostic: 0 }, highest: 'medium' })
  })
  it('has no highest priority when the list is empty', () => expect(alarmCounts([]).highest).toBeNull())
  it('acknowledges only what is unacknowledged in a group', () => expect(unackedIds([alarm(1, 'low', false), alarm(2, 'low', true), alarm(3, 'high', false)])).toEqual([1, 3]))
})
