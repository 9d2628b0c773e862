/**
 * The alarms, incidents and wall focus in the page's store (ADR 0006). The list arrives by REST at
 * every (re)connection; changes arrive on the socket. Each alarm keeps the newest version seen (by
 * its last change, then arrival), so a list fetched before a push and answered after it cannot put
 * an older state back; closed alarms leave the store.
 */
import type { Alarm, FloodState } from '../../../contracts/alarm-api'
import type { Incident } from '../../../contracts/incident-api'
import type { WallFocus } from '../../../contracts/wall'

export interface ControlRoomState {
  /** Open alarms by id (listed or not: shelved, suppressed and out-of-service ones are views of these). */
  alarms: ReadonlyMap<number, Alarm>
  flood: FloodState
  /** Client clock of the last full list, null before the first. */
  alarmsLoadedAtMs: number | null
  alarmsError: string | null
  incidents: ReadonlyMap<number, Incident>
  /** The last selection an operator pushed to the wall. */
  wallFocus: WallFocus | null
}

export const INITIAL_CONTROL_ROOM: ControlRoomState = {
  alarms: new Map(),
  flood: { active: false, sinceMs: null, lastTenMinutes: 0 },
  alarmsLoadedAtMs: null,
  alarmsError: null,
  incidents: new Map(),
  wallFocus: null,
}

const newer = (next: Alarm, cur: Alarm | undefined) => !cur || next.lastChangeAtMs >= cur.lastChangeAtMs

/** Alarms pushed on the socket (whole alarms). */
export function applyAlarmChanges(s: ControlRoomState, alarms: readonly Alarm[], flood: FloodState | null): ControlRoomState {
  const next = new Map(s.alarms)
  for (const a of alarms) {
    if (!newer(a, next.get(a.id))) continue
    if (a.closed) next.delete(a.id)
    else next.set(a.id, a)
  }
  return { ...s, alarms: next, flood: flood ?? s.flood }
}

/**
 * The full list of open alarms, fetched at `requestedAtMs` (server time): replaces the store, except
 * for alarms pushed meanwhile with a newer change, which are kept.
 */
export function replaceAlarms(s: ControlRoomState, open: readonly Alarm[], flood: FloodState, requestedAtServerMs: number, nowMs: number): ControlRoomState {
  const next = new Map<number, Alarm>()
  for (const a of open) next.set(a.id, a)
  for (const [id, cur] of s.alarms) {
    const fetched = next.get(id)
    if (fetched ? cur.lastChangeAtMs > fetched.lastChangeAtMs : cur.lastChangeAtMs > requestedAtServerMs) next.set(id, cur)
  }
  return { ...s, alarms: next, flood, alarmsLoadedAtMs: nowMs, alarmsError: null }
}

export function applyIncident(s: ControlRoomState, incident: Incident): ControlRoomState {
  const cur = s.incidents.get(incident.id)
  if (cur && cur.version > incident.version) return s
  const next = new Map(s.incidents)
  if (incident.status === 'closed') next.delete(incident.id)
  else next.set(incident.id, incident)
  return { ...s, incidents: next }
}

/** The open incidents fetched at `requestedAtServerMs`; ones pushed meanwhile with a newer version are kept. */
export function replaceIncidents(s: ControlRoomState, open: readonly Incident[], requestedAtServerMs: number): ControlRoomState {
  const next = new Map<number, Incident>(open.map((i) => [i.id, i]))
  for (const [id, cur] of s.incidents) {
    const fetched = next.get(id)
    if (fetched ? cur.version > fetched.version : cur.updatedAtMs > requestedAtServerMs) next.set(id, cur)
  }
  return { ...s, incidents: next }
}

const RANK = { high: 0, medium: 1, low: 2, diagnostic: 3 } as const
const DISPLAY_RANK = { unacknowledged: 0, 'rtn-unacknowledged': 1, acknowledged: 2, normal: 3 } as const

/** The operator's list (ISA-18.2): listed alarms, priority first, unacknowledged first, newest change first. */
export function operatorList(alarms: ReadonlyMap<number, Alarm>): Alarm[] {
  return [...alarms.values()]
    .filter((a) => a.listed)
    .sort((a, b) => RANK[a.priority] - RANK[b.priority] || DISPLAY_RANK[a.display] - DISPLAY_RANK[b.display] || b.lastChangeAtMs - a.lastChangeAtMs || b.id - a.id)
}

export interface AlarmGroup {
  key: string
  ruleId: string
  ruleName: string
  district: string | null
  priority: Alarm['priority']
  alarms: Alarm[]
}

/** During a flood the list groups by rule and district (highest priority first), so one cause reads as one line. */
export function groupForFlood(list: readonly Alarm[]): AlarmGroup[] {
  const groups = new Map<string, AlarmGroup>()
  for (const a of list) {
    const key = `${a.ruleId}\u0000${a.district ?? ''}`
    const g = groups.get(key)
    if (g) g.alarms.push(a)
    else groups.set(key, { key, ruleId: a.ruleId, ruleName: a.ruleName, district: a.district, priority: a.priority, alarms: [a] })
  }
  return [...groups.values()].sort((a, b) => RANK[a.priority] - RANK[b.priority] || b.alarms.length - a.alarms.length || a.key.localeCompare(b.key))
}
