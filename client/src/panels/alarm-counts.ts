/** The status bar's alarm summary: listed alarms by priority and how many still need an acknowledgement. */
import type { Alarm } from '../../../contracts/alarm-api'
import type { AlarmPriority } from '../../../contracts/alarms'

export interface AlarmCounts {
  total: number
  unacknowledged: number
  byPriority: Record<AlarmPriority, number>
  /** The highest priority listed, null with an empty list. */
  highest: AlarmPriority | null
}

const ORDER: readonly AlarmPriority[] = ['high', 'medium', 'low', 'diagnostic']

export function alarmCounts(list: readonly Alarm[]): AlarmCounts {
  const byPriority: Record<AlarmPriority, number> = { high: 0, medium: 0, low: 0, diagnostic: 0 }
  let unacknowledged = 0
  for (const a of list) {
    byPriority[a.priority]++
    if (!a.acked) unacknowledged++
  }
  return { total: list.length, unacknowledged, byPriority, highest: ORDER.find((p) => byPriority[p] > 0) ?? null }
}

/** The ids of a group's alarms that still need an acknowledgement (what "acknowledge the group" sends). */
export function unackedIds(alarms: readonly Alarm[]): number[] {
  return alarms.filter((a) => !a.acked).map((a) => a.id)
}
