import { describe, expect, it } from 'vitest'
import { LIVE_LAYER_PERMISSION } from '../../../contracts/events'
import { PUBLIC, type Principal } from '../identity/principal'
import { subscriptionDenial } from './realtime-server'

const staff = (roles: Principal['roles']): Principal => ({ signedIn: true, username: 'u', roles: [...roles, 'public'], session: null })

describe('live layer (room) authorization', () => {
  it('lets staff with live:read subscribe to every layer of today’s table', () => {
    expect(subscriptionDenial(staff(['planner']), ['traffic-loop', 'ztl-gate', 'signal-controller'], 0)).toBeNull()
    expect(subscriptionDenial(PUBLIC, ['traffic-loop'], 0)).toMatchObject({ code: 'UNAUTHENTICATED' })
  })

  it('refuses a whole subscription when one layer needs a permission the role lacks, naming the layer', () => {
    // A camera layer that needs camera:view (as camera rooms will): a planner has live:read but not camera:view.
    const withCameras = { ...LIVE_LAYER_PERMISSION, 'ztl-gate': 'camera:view' as const }
    expect(subscriptionDenial(staff(['planner']), ['traffic-loop', 'ztl-gate'], 0, withCameras)).toEqual({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^ztl-gate: Your roles \(planner\) do not allow this: Open a camera live view/),
    })
    expect(subscriptionDenial(staff(['operator']), ['traffic-loop', 'ztl-gate'], 0, withCameras)).toBeNull()
  })
})
