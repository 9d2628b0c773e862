import { describe, expect, it } from 'vitest'
import type { Alarm } from '../../../contracts/alarm-api'
import { alarmFixture } from '../state/test-factories'
import { checkIncidentDraft, draftFromAlarms, type IncidentDraft } from './incident-draft'

const CENTRE: [number, number] = [11.3426, 44.4949]

const alarm = (over: Partial<Alarm> = {}): Alarm => alarmFixture({ message: 'Gate reports fault', raisedAtMs: 1, lastChangeAtMs: 1, ...over })

const valid = (over: Partial<IncidentDraft> = {}): IncidentDraft => ({ ...draftFromAlarms([alarm()], CENTRE), ...over })

describe('draftFromAlarms', () => {
  it('takes the first placed alarm’s position, the highest priority and the alarm ids', () => {
    const d = draftFromAlarms([alarm({ id: 4, position: null, priority: 'low' }), alarm({ id: 7, priority: 'high', position: [11.35, 44.5] })], CENTRE)
    expect(d).toMatchObject({ lon: '11.35', lat: '44.5', priority: 'high', alarmIds: [4, 7] })
  })
  it('names the incident after the rule and the device', () => expect(draftFromAlarms([alarm()], CENTRE).title).toBe('ZTL gate or access point offline — San Felice'))
  it('falls back to the given position without alarms', () => {
    expect(draftFromAlarms([], CENTRE)).toMatchObject({ lon: '11.3426', lat: '44.4949', title: '', alarmIds: [], priority: 'medium' })
  })
  it('treats a diagnostic as low', () => expect(draftFromAlarms([alarm({ priority: 'diagnostic' })], CENTRE).priority).toBe('low'))
})

describe('checkIncidentDraft', () => {
  it('builds the request body', () => {
    const r = checkIncidentDraft(valid({ assignee: ' M.Rossi ', lon: '11,33' }))
    expect(r).toEqual({
      ok: true,
      body: expect.objectContaining({ type: 'other', priority: 'medium', position: [11.33, 44.497], assignee: 'm.rossi', alarmIds: [1], area: null }),
    })
  })
  it('sends no alarm ids when none were selected', () => {
    const r = checkIncidentDraft(valid({ alarmIds: [] }))
    expect(r.ok && 'alarmIds' in r.body && r.body.alarmIds !== undefined).toBe(false)
  })
  it('names a short title', () => {
    const r = checkIncidentDraft(valid({ title: 'ab' }))
    expect(r.ok ? null : Object.keys(r.errors)).toEqual(['title'])
  })
  it('names a position that is not a coordinate', () => {
    const r = checkIncidentDraft(valid({ lat: '' }))
    expect(r.ok ? null : Object.keys(r.errors)).toEqual(['position'])
    const far = checkIncidentDraft(valid({ lon: '200' }))
    expect(far.ok ? null : Object.keys(far.errors)).toEqual(['position'])
  })
  it('names an assignee that is not a username', () => {
    const r = checkIncidentDraft(valid({ assignee: 'Mario Rossi' }))
    expect(r.ok ? null : r.errors.assignee).toMatch(/staff username/)
  })
})
