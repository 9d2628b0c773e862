import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/api-error'
import { pmoSitesFailure } from './use-pmo-sites'

describe('why the PMO sites did not come', () => {
  it('names a refusal, a server out of reach, or any other failure', () => {
    expect(pmoSitesFailure(new ApiError('FORBIDDEN', 'Not allowed', 403))).toBe('forbidden')
    expect(pmoSitesFailure(new ApiError('UNAUTHENTICATED', 'Sign in', 401))).toBe('forbidden')
    expect(pmoSitesFailure(new ApiError('NETWORK', 'Cannot reach the server', 0))).toBe('network')
    expect(pmoSitesFailure(new ApiError('BAD_RESPONSE', 'x', 200))).toBe('failed')
    expect(pmoSitesFailure(new Error('boom'))).toBe('failed')
  })
})
