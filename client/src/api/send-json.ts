/**
 * One JSON call to Gemello's REST API, shared by every client of client/src/api: the session cookie
 * goes along (same origin), a JSON body when given; the response is parsed with its contract schema;
 * every failure is an ApiError (NETWORK, BAD_RESPONSE, or the server's error envelope).
 */
import type { z } from 'zod'
import { ApiError, apiErrorFromBody } from './api-error'

export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

export async function sendJson<S extends z.ZodType>(doFetch: FetchLike, baseUrl: string, method: string, path: string, schema: S, body?: unknown, signal?: AbortSignal): Promise<z.infer<S>> {
  let response: Response
  try {
    response = await doFetch(`${baseUrl}${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal,
    })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err
    throw new ApiError('NETWORK', `Cannot reach the server (${err instanceof Error ? err.message : String(err)})`, 0)
  }
  let answer: unknown
  try {
    answer = await response.json()
  } catch {
    if (!response.ok) throw apiErrorFromBody(response.status, response.statusText, null)
    throw new ApiError('BAD_RESPONSE', `${path}: the response is not JSON`, response.status)
  }
  if (!response.ok) throw apiErrorFromBody(response.status, response.statusText, answer)
  const parsed = schema.safeParse(answer)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid'
    throw new ApiError('BAD_RESPONSE', `${path}: the response does not match the contract (${where})`, response.status)
  }
  return parsed.data
}
