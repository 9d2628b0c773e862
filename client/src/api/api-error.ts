import { ErrorEnvelopeSchema, type ErrorCode } from '../../../contracts/errors'

/** Contract codes, plus the failures that happen before the server could answer with one. */
export type ApiErrorCode = ErrorCode | 'NETWORK' | 'BAD_RESPONSE' | 'HTTP_ERROR'

export interface ApiErrorDetail {
  path: string
  message: string
}

/** An expected failure of a REST call. Switch on `code`, never on `message`. */
export class ApiError extends Error {
  readonly code: ApiErrorCode
  /** HTTP status; 0 when no response arrived. */
  readonly status: number
  readonly details: ApiErrorDetail[]

  constructor(code: ApiErrorCode, message: string, status: number, details: ApiErrorDetail[] = []) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
    this.details = details
  }
}

/** Maps a non-2xx response body to an ApiError: the contract envelope when present, else a generic HTTP error. */
export function apiErrorFromBody(status: number, statusText: string, body: unknown): ApiError {
  const envelope = ErrorEnvelopeSchema.safeParse(body)
  if (envelope.success) {
    const { code, message, details } = envelope.data.error
    return new ApiError(code, message, status, details ?? [])
  }
  return new ApiError('HTTP_ERROR', `HTTP ${status}${statusText ? ` ${statusText}` : ''}`, status)
}
