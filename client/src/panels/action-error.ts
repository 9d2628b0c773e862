import { ApiError } from '../api/api-error'

/** The message of a failed call, for the panel's error line. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Someone else changed the record first (HTTP 409): the page must reload it, never overwrite. */
export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'CONFLICT'
}
