import { describe, expect, it } from 'vitest'
import { checkCameraDraft, draftMissing, needsJustification, type CameraDraft } from './camera-draft'

const complete = (over: Partial<CameraDraft> = {}): CameraDraft => ({
  purpose: 'ZTL access enforcement, Codice della Strada art. 7',
  legalBasis: 'GDPR art. 6(1)(e); D.P.R. 250/1999',
  signage: true,
  signageNote: '',
  retentionDays: '7',
  retentionJustification: '',
  dpiaRef: 'PG 2024/123456',
  controller: 'Comune di Bologna',
  streamUrl: '',
  removeStream: false,
  ...over,
})

describe('camera record draft', () => {
  it('lacks nothing when complete', () => expect(draftMissing(complete())).toEqual([]))
  it('names every missing field of an empty draft', () => {
    const empty = complete({ purpose: ' ', legalBasis: '', signage: false, retentionDays: '', dpiaRef: '', controller: '' })
    expect(draftMissing(empty)).toEqual(['purpose', 'legalBasis', 'signage', 'retentionDays', 'dpiaRef', 'controller'])
  })
  it('asks for a justification above 7 days only', () => {
    expect(needsJustification(complete({ retentionDays: '7' }))).toBe(false)
    expect(needsJustification(complete({ retentionDays: '30' }))).toBe(true)
    expect(draftMissing(complete({ retentionDays: '30' }))).toEqual(['retentionJustification'])
    expect(draftMissing(complete({ retentionDays: '30', retentionJustification: 'Fines procedure' }))).toEqual([])
  })
  it('builds the PUT body with the version and no blank texts', () => {
    const r = checkCameraDraft(complete({ signageNote: '  ' }), 3)
    expect(r).toEqual({ ok: true, body: expect.objectContaining({ retentionDays: 7, signageNote: null, version: 3 }) })
  })
  it('keeps the stored stream URL when the field is left blank, and removes it only when asked', () => {
    const keep = checkCameraDraft(complete(), 3)
    expect(keep.ok && 'streamUrl' in keep.body).toBe(false)
    const remove = checkCameraDraft(complete({ removeStream: true, streamUrl: 'https://cam.example/live' }), 3)
    expect(remove.ok && remove.body.streamUrl).toBeNull()
  })
  it('drops a justification that is not needed', () => {
    const r = checkCameraDraft(complete({ retentionJustification: 'left over' }), null)
    expect(r.ok && r.body.retentionJustification).toBeNull()
    expect(r.ok && 'version' in r.body).toBe(false)
  })
  it('refuses a stream URL with credentials or of another scheme', () => {
    for (const url of ['http://cam.example/live', 'rtsp://user:pw@cam.example/live']) {
      const r = checkCameraDraft(complete({ streamUrl: url }), null)
      expect(r.ok ? null : Object.keys(r.errors)).toEqual(['streamUrl'])
    }
    expect(checkCameraDraft(complete({ streamUrl: 'rtsps://cam.example/live' }), null).ok).toBe(true)
  })
  it('refuses a retention that is not a whole number of days', () => {
    const r = checkCameraDraft(complete({ retentionDays: '2.5' }), null)
    expect(r.ok ? null : Object.keys(r.errors)).toEqual(['retentionDays'])
  })
})
