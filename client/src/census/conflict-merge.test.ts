import { describe, expect, it } from 'vitest'
import { compareDrafts, reapply, type Draft } from './conflict-merge'

const at = (lon: number, lat: number) => ({ type: 'Point' as const, coordinates: [lon, lat] as [number, number] })
const draft = (values: Record<string, string>, geometry = at(11.3426, 44.4937)): Draft => ({ values: { name: '', status: 'functional', heightM: '8', armCount: '', ...values }, geometry })
const NAMES = ['name', 'status', 'heightM', 'armCount']

describe('a change refused because someone else saved first', () => {
  it('lists what each side changed since the version the editor started from', () => {
    const base = draft({})
    const mine = draft({ heightM: '9' })
    const theirs = draft({ name: 'Palo 12' })
    const c = compareDrafts(base, mine, theirs, NAMES)
    expect(c.rows).toEqual([
      { name: 'name', base: '', mine: '', theirs: 'Palo 12', mineChanged: false, theirsChanged: true, clash: false },
      { name: 'heightM', base: '8', mine: '9', theirs: '8', mineChanged: true, theirsChanged: false, clash: false },
    ])
    expect(c.clashes).toBe(0)
  })

  it('says where both changed the same attribute differently, and the geometry', () => {
    const base = draft({})
    const c = compareDrafts(base, draft({ heightM: '9' }, at(11.3427, 44.4937)), draft({ heightM: '10' }, at(11.3428, 44.4937)), NAMES)
    expect(c.rows.find((r) => r.name === 'heightM')!.clash).toBe(true)
    expect(c.geometry).toEqual({ mineChanged: true, theirsChanged: true, clash: true })
    expect(c.clashes).toBe(2)
  })

  it('the same change on both sides is no clash', () => {
    const c = compareDrafts(draft({}), draft({ heightM: '9' }), draft({ heightM: ' 9' }), NAMES)
    expect(c.rows[0]!.clash).toBe(false)
  })

  it('re-applies my changes on top of theirs, keeping theirs everywhere else', () => {
    const base = draft({})
    const mine = draft({ heightM: '9' }, at(11.3427, 44.4937))
    const theirs = draft({ name: 'Palo 12', armCount: '2' })
    expect(reapply(base, mine, theirs)).toEqual(draft({ heightM: '9', name: 'Palo 12', armCount: '2' }, at(11.3427, 44.4937)))
  })

  it('keeps their geometry when I did not move it, and my value where both changed it', () => {
    const base = draft({})
    const r = reapply(base, draft({ heightM: '9' }), draft({ heightM: '10' }, at(11.35, 44.49)))
    expect(r.values.heightM).toBe('9')
    expect(r.geometry).toEqual(at(11.35, 44.49))
  })
})
