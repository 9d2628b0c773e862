import { ERROR_STATUS, type ErrorCode, type ErrorEnvelope } from '../../../contracts/errors'

/** An expected failure with a stable code; the error middleware turns it into the envelope. */
export class ApiError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: Array<{ path: string; message: string }>,
  ) {
    super(message)
    this.name = 'ApiError'
  }
  get status(): number {
    return ERROR_STATUS[this.code]
  }
  toEnvelope(): ErrorEnvelope {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } }
  }
}
