import { describe, expect, it } from 'vitest'
import { can, GRANTS, holders, PERMISSIONS, ROLES, STAFF_ROLES, STEP_UP, type Permission } from './access'

describe('the access table', () => {
  it('gives every permission to some role, and only known permissions', () => {
    for (const p of Object.keys(PERMISSIONS) as Permission[]) expect(holders(p), p).not.toHaveLength(0)
    for (const r of ROLES) for (const p of GRANTS[r]) expect(Object.keys(PERMISSIONS), `${r}: ${p}`).toContain(p)
  })

  it('denies by default: no roles, an unknown role, or a permission not granted', () => {
    expect(can([], 'opendata:read')).toBe(false)
    expect(can(['root'], 'users:admin')).toBe(false)
    expect(can(['operator'], 'users:admin')).toBe(false)
    expect(can(['operator', 'admin'], 'users:admin')).toBe(true)
  })

  it('keeps single devices, cases of others and every write away from the public and citizens (§4.2)', () => {
    for (const r of ['public', 'citizen'] as const) {
      expect(can([r], 'live:read')).toBe(false)
      expect(can([r], 'live:read-aggregated')).toBe(true)
      expect(can([r], 'case:read-all')).toBe(false)
      expect(can([r], 'camera:view')).toBe(false)
      expect(GRANTS[r].filter((p) => /:(write|edit|deploy|switch|act|admin|configure)$/.test(p))).toEqual([])
    }
  })

  it('gives the dangerous permissions only to staff, and deploy only to traffic engineers (§4.2, D5)', () => {
    for (const p of STEP_UP) for (const r of holders(p)) expect(STAFF_ROLES).toContain(r)
    expect(holders('signal-plan:deploy')).toEqual(['traffic_engineer'])
    expect(holders('users:admin')).toEqual(['admin'])
    expect(holders('camera:view')).toEqual(['operator', 'traffic_engineer'])
    expect(can(['admin'], 'camera:view')).toBe(false) // configures cameras, does not watch them
  })

  it('lets planners, traffic engineers and admins write scenarios; PMO reads them; operators neither (issue 9)', () => {
    expect(holders('scenario:write')).toEqual(['traffic_engineer', 'planner', 'admin'])
    expect(holders('scenario:read')).toEqual(['traffic_engineer', 'planner', 'pmo', 'admin'])
  })
})
