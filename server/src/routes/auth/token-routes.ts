/**
 * Personal access tokens (contracts/token-api.ts, docs/access.md "Personal access tokens"): a signed-in
 * person lists, creates and revokes their own; an administrator signed in recently revokes anyone's.
 * A request authenticated by a token may list and revoke, never create: tokens are made by a person in
 * the web app, so a leaked token cannot outlive its revocation through a copy of itself.
 */
import type { Express } from 'express'
import { can } from '../../../../contracts/access'
import { TOKEN_ROUTES } from '../../../../contracts/token-api'
import { actorOf } from '../../http/actor'
import { principalOf } from '../../http/access'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import type { ApiTokenStore } from '../../identity/api-tokens'
import { decide } from '../../identity/principal'

export function mountTokenRoutes(app: Express, tokens: ApiTokenStore): void {
  mount(app, TOKEN_ROUTES.listApiTokens, async ({ req }) => {
    const who = await principalOf(req)
    return { tokens: await tokens.list(who.username!) }
  })

  mount(app, TOKEN_ROUTES.createApiToken, async ({ body, req, res }) => {
    const who = await principalOf(req)
    if (who.token) throw new ApiError('FORBIDDEN', 'A personal access token cannot create tokens: sign in to Gemello and create it there.')
    const { token, secret } = await tokens.create(who.username!, body, actorOf(res, who))
    return { ...token, secret }
  })

  mount(app, TOKEN_ROUTES.revokeApiToken, async ({ params, req, res }) => {
    const who = await principalOf(req)
    const token = await tokens.get(params.id)
    // Someone else's token is not there for whoever may not revoke it (no hint that it exists).
    if (!token || (token.username !== who.username && !can(who.roles, 'users:admin'))) throw new ApiError('NOT_FOUND', `You have no token ${params.id}; GET /api/tokens lists yours.`)
    if (token.username !== who.username) {
      const d = decide(who, 'users:admin', Date.now())
      if (!d.ok) throw new ApiError(d.code, d.message)
    }
    return (await tokens.revoke(token.id, actorOf(res, who)))!
  })
}
