import { describe, expect, it } from 'vitest'
import type { Case } from '../../../contracts/case-api'
import { assignChange, isOverdue, statusChange } from './case-form'

const NOW = Date.parse('2026-11-28T10:00:00Z')
const aCase = (over: Partial<Case> = {}): Case => ({
  id: 41,
  serviceCode: 'buca-stradale',
  status: 'triaged',
  priority: 'medium',
  position: [11.3426, 44.4939],
  address: 'Via Rizzoli 1',
  districtId: null,
  districtName: 'Santo Stefano',
  officeId: 'strade',
  assignee: null,
  source: 'open311',
  published: true,
  requestedAtMs: NOW - 86_400_000,
  updatedAtMs: NOW,
  expectedAtMs: NOW + 86_400_000,
  closedAtMs: null,
  slaBreachedAtMs: null,
  version: 3,
  description: 'Buca profonda',
  attributes: {},
  addressId: null,
  mediaUrl: null,
  statusNotes: null,
  serviceNotice: null,
  asset: null,
  incidentId: null,
  pmoSiteId: null,
  duplicateOf: null,
  hasPersonalData: false,
  ...over,
})

describe('the office case forms', () => {
  it('sends only the fields that changed, on the version shown, and nothing when none did', () => {
    expect(assignChange(aCase(), { assignee: ' m.rossi ', officeId: 'strade', priority: 'medium' })).toEqual({ version: 3, assignee: 'm.rossi' })
    expect(assignChange(aCase({ assignee: 'm.rossi' }), { assignee: '', officeId: 'verde', priority: 'high' })).toEqual({ version: 3, assignee: null, officeId: 'verde', priority: 'high' })
    expect(assignChange(aCase({ assignee: 'm.rossi' }), { assignee: 'm.rossi', officeId: 'strade', priority: 'medium' })).toBeNull()
  })

  it('changes the status with the citizen’s note; a duplicate must name another case', () => {
    expect(statusChange(aCase(), { status: 'fixed', note: ' Riparata ', duplicateOf: '' })).toEqual({ ok: true, body: { version: 3, status: 'fixed', statusNote: 'Riparata' } })
    expect(statusChange(aCase(), { status: 'triaged', note: '', duplicateOf: '' })).toEqual({ ok: false, reason: 'same-status' })
    expect(statusChange(aCase(), { status: 'duplicate', note: '', duplicateOf: '' })).toEqual({ ok: false, reason: 'duplicate-needs-case' })
    expect(statusChange(aCase(), { status: 'duplicate', note: '', duplicateOf: '#41' })).toEqual({ ok: false, reason: 'duplicate-of-itself' })
    expect(statusChange(aCase(), { status: 'duplicate', note: '', duplicateOf: '#12' })).toEqual({ ok: true, body: { version: 3, status: 'duplicate', duplicateOf: 12 } })
  })

  it('calls a case overdue past its expected time or once flagged, never once closed', () => {
    expect(isOverdue(aCase(), NOW)).toBe(false)
    expect(isOverdue(aCase({ expectedAtMs: NOW - 1 }), NOW)).toBe(true)
    expect(isOverdue(aCase({ slaBreachedAtMs: NOW - 5 }), NOW)).toBe(true)
    expect(isOverdue(aCase({ slaBreachedAtMs: NOW - 5, closedAtMs: NOW }), NOW)).toBe(false)
  })
})
