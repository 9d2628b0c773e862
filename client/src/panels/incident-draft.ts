/**
 * The "new incident" form as a value: prefilled from the alarms an operator selected (the first
 * alarm's position, the highest priority, a title from the rule and the device) and checked with the
 * contract's own schema, each problem named by its field.
 */
import type { Alarm } from '../../../contracts/alarm-api'
import type { AlarmPriority } from '../../../contracts/alarms'
import { CreateIncidentBodySchema, type CreateIncidentBody, type IncidentPriority, type IncidentType } from '../../../contracts/incident-api'
import type { LonLat } from '../../../contracts/schemas/device'

export interface IncidentDraft {
  type: IncidentType
  title: string
  description: string
  priority: IncidentPriority
  /** As typed: decimal degrees, EPSG:4326. */
  lon: string
  lat: string
  assignee: string
  alarmIds: number[]
}

export type IncidentField = 'type' | 'title' | 'description' | 'priority' | 'position' | 'assignee' | 'alarmIds'

const INCIDENT_PRIORITY: Record<AlarmPriority, IncidentPriority> = { high: 'high', medium: 'medium', low: 'low', diagnostic: 'low' }
const RANK: Record<IncidentPriority, number> = { high: 0, medium: 1, low: 2 }

export function draftFromAlarms(alarms: readonly Alarm[], fallback: LonLat): IncidentDraft {
  const placed = alarms.find((a) => a.position !== null)
  const [lon, lat] = placed?.position ?? fallback
  const priority = alarms.map((a) => INCIDENT_PRIORITY[a.priority]).sort((a, b) => RANK[a] - RANK[b])[0] ?? 'medium'
  const first = alarms[0]
  const title = first ? [first.ruleName, first.deviceName ?? first.subject].join(' — ').slice(0, 200) : ''
  return { type: 'other', title, description: '', priority, lon: String(lon), lat: String(lat), assignee: '', alarmIds: alarms.map((a) => a.id) }
}

const toNumber = (s: string) => (s.trim() === '' ? Number.NaN : Number(s.replace(',', '.')))

export type DraftCheck = { ok: true; body: CreateIncidentBody } | { ok: false; errors: Partial<Record<IncidentField, string>> }

/** The request body, or the contract's message for each field in error. */
export function checkIncidentDraft(d: IncidentDraft): DraftCheck {
  const parsed = CreateIncidentBodySchema.safeParse({
    type: d.type,
    title: d.title,
    description: d.description,
    priority: d.priority,
    position: [toNumber(d.lon), toNumber(d.lat)],
    assignee: d.assignee.trim() === '' ? null : d.assignee,
    ...(d.alarmIds.length > 0 ? { alarmIds: d.alarmIds } : {}),
  })
  if (parsed.success) return { ok: true, body: parsed.data }
  const errors: Partial<Record<IncidentField, string>> = {}
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as IncidentField | undefined
    if (field && !errors[field]) errors[field] = issue.message
  }
  return { ok: false, errors }
}
