/**
 * Personal access tokens (contracts/token-api.ts, docs/access.md): what QGIS and GDAL send instead of
 * the session cookie. The secret is in the creation's answer only.
 */
import type { z } from 'zod'
import { TOKEN_ROUTES, type ApiToken, type CreatedApiToken, type CreateApiTokenRequest } from '../../../contracts/token-api'
import { sendJson, type FetchLike } from './send-json'

export type { ApiToken, CreatedApiToken }

export interface TokenClient {
  list(signal?: AbortSignal): Promise<ApiToken[]>
  create(body: CreateApiTokenRequest): Promise<CreatedApiToken>
  revoke(id: number): Promise<ApiToken>
}

export function createTokenClient(options: { baseUrl?: string; fetch?: typeof fetch } = {}): TokenClient {
  const baseUrl = options.baseUrl ?? ''
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const call = <S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, signal?: AbortSignal) => sendJson(doFetch, baseUrl, method, path, schema, body, signal)
  return {
    list: (signal) => call('GET', TOKEN_ROUTES.listApiTokens.path, TOKEN_ROUTES.listApiTokens.response, undefined, signal).then((r) => r.tokens),
    create: (body) => call('POST', TOKEN_ROUTES.createApiToken.path, TOKEN_ROUTES.createApiToken.response, body),
    revoke: (id) => call('DELETE', TOKEN_ROUTES.revokeApiToken.path.replace(':id', String(id)), TOKEN_ROUTES.revokeApiToken.response),
  }
}
