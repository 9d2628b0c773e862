/**
 * Personal access tokens (docs/access.md, "Personal access tokens"): what QGIS, GDAL and scripts send
 * instead of the session cookie they cannot obtain — `Authorization: Bearer gmt_…`, or Basic with the
 * username and a token as the password (never the account password). A signed-in person creates them
 * in the web app; the secret is in the creation's answer only, and a token cannot create another.
 * A token acts with its user's current roles, but never for a step-up permission (plan deploy, user
 * admin): those need a recent sign-in.
 */
import { z } from 'zod'
import type { RouteContract } from './api'

/** `gmt_` + 32 random bytes in base64url (43 characters). */
export const API_TOKEN_FORMAT = /^gmt_[A-Za-z0-9_-]{43}$/
/** What a list shows of a secret: `gmt_` and the next 4 characters. */
export const API_TOKEN_PREFIX_LENGTH = 8
export const API_TOKEN_MAX_DAYS = 365

export const ApiTokenStatusSchema = z.enum(['active', 'expired', 'revoked'])
export type ApiTokenStatus = z.infer<typeof ApiTokenStatusSchema>

/** A token as lists show it: never the secret. */
export const ApiTokenSchema = z.object({
  id: z.number().int(),
  /** Whose it is (the signed-in user's own, or — for an administrator revoking it — someone else's). */
  username: z.string(),
  /** The label its owner chose ("QGIS, office PC"). */
  name: z.string(),
  /** `gmt_` and the next 4 characters of the secret, to tell tokens apart. */
  prefix: z.string(),
  status: ApiTokenStatusSchema,
  createdAtMs: z.number(),
  expiresAtMs: z.number(),
  /** Last request it authenticated, to the minute (written at most once a minute); null if never used. */
  lastUsedAtMs: z.number().nullable(),
  revokedAtMs: z.number().nullable(),
})
export type ApiToken = z.infer<typeof ApiTokenSchema>

export const ListApiTokensResponseSchema = z.object({ tokens: z.array(ApiTokenSchema) })
export const CreateApiTokenRequestSchema = z.object({
  name: z.string().trim().min(1, 'name the token (e.g. "QGIS, office PC")').max(80),
  expiresInDays: z.number().int().min(1).max(API_TOKEN_MAX_DAYS, `a token lives at most ${API_TOKEN_MAX_DAYS} days`),
})
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequestSchema>
export const CreatedApiTokenSchema = ApiTokenSchema.extend({
  /** The secret, shown this once: Gemello keeps only its hash. */
  secret: z.string().regex(API_TOKEN_FORMAT),
})
export type CreatedApiToken = z.infer<typeof CreatedApiTokenSchema>
export const ApiTokenParamsSchema = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('the token’s id (from the list)') })

export const TOKEN_ROUTES = {
  listApiTokens: { method: 'get', path: '/api/tokens', permission: 'api-token:own', operationId: 'listApiTokens', summary: 'The signed-in user’s personal access tokens, newest first (prefix and status, never the secret)', tags: ['identity'], response: ListApiTokensResponseSchema, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  createApiToken: { method: 'post', path: '/api/tokens', permission: 'api-token:own', operationId: 'createApiToken', summary: 'Create a personal access token for QGIS, GDAL or a script (expires in 1–365 days); the answer holds the secret, shown once. Refused to a request authenticated by a token; audited', tags: ['identity'], body: CreateApiTokenRequestSchema, response: CreatedApiTokenSchema, errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  revokeApiToken: { method: 'delete', path: '/api/tokens/:id', permission: 'api-token:own', operationId: 'revokeApiToken', summary: 'Revoke one of one’s own tokens (an administrator, signed in recently: anyone’s); it stops working at once. Revoking twice changes nothing; audited', tags: ['identity'], params: ApiTokenParamsSchema, response: ApiTokenSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'STEP_UP_REQUIRED'] },
} as const satisfies Record<string, RouteContract>
