import type { ErrorCode } from '../../../contracts/errors'

/** An expected refusal of a census read or write: a stable code, a message a person can act on, the fields at fault. */
export class CensusError extends Error {
  readonly details: Array<{ path: string; message: string }>
  constructor(
    readonly code: ErrorCode,
    message: string,
    field?: string,
    details?: Array<{ path: string; message: string }>,
  ) {
    super(message)
    this.name = 'CensusError'
    this.details = details ?? (field ? [{ path: field, message }] : [])
  }
}
