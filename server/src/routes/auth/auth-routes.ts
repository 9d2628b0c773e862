/**
 * Sign-in, sign-out, the session, the first-run setup (ADR 0005), the staff accounts and the audit
 * log search. Every sign-in, failed sign-in, sign-out and account change writes an audit row.
 */
import type { Express, Request, Response } from 'express'
import { ROUTES } from '../../../../contracts/api'
import { appendAudit, searchAudit } from '../../audit/audit-log'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import { actorOf } from '../../http/actor'
import type { Identity } from '../../identity/identity'
import { OidcError } from '../../identity/oidc'
import { hashPassword, needsRehash, verifyPassword } from '../../identity/passwords'
import { principalOfSession } from '../../identity/principal'
import { hashSessionId } from '../../identity/sessions'
import { createLocalUser, getUser, listUsers, normalizeUsername, updateUser, upsertOidcUser, UserError } from '../../identity/users'

const requestIdOf = (res: Response): string | null => (typeof res.locals.requestId === 'string' ? res.locals.requestId : null)
const addressOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? ''

function throttle(identity: Identity, res: Response, keys: Array<[limiter: 'perUser' | 'perAddress', key: string]>): void {
  for (const [limiter, key] of keys) {
    const wait = identity[limiter].hit(key)
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait))
      throw new ApiError('RATE_LIMITED', `Too many sign-in attempts; wait ${wait} seconds and try again.`)
    }
  }
}

function asApiError(err: unknown): never {
  if (err instanceof UserError) throw new ApiError(err.code, err.message)
  throw err
}

export function mountAuthRoutes(app: Express, identity: Identity): void {
  const { db } = identity
  const store = identity.sessions.store

  mount(app, ROUTES.session, async ({ req }) => identity.info(await identity.sessions.principalOf(req)))

  mount(app, ROUTES.signIn, async ({ body, req, res }) => {
    if (!identity.localSignIn) throw new ApiError('NOT_FOUND', 'This Gemello signs staff in through the identity provider: use /api/auth/oidc/start.')
    const username = normalizeUsername(body.username)
    const address = addressOf(req)
    throttle(identity, res, [
      ['perUser', `${username}|${address}`],
      ['perAddress', address],
    ])
    const user = await getUser(db, username)
    const usable = user !== null && user.source === 'local' && !user.disabled && user.passwordHash !== null
    // The same work whether or not the account exists: the answer's timing tells nothing.
    const ok = await verifyPassword(body.password, usable ? user.passwordHash! : await identity.dummyPasswordHash())
    if (!usable || !ok) {
      if (user) {
        await db.transaction((tx) => appendAudit(tx, { actor: user.username, actorRole: user.roles.join(','), action: 'session.sign-in-failed', target: `user:${user.username}`, requestId: requestIdOf(res), detail: { method: 'local', reason: user.disabled ? 'disabled' : 'password' } }))
      }
      throw new ApiError('SIGN_IN_FAILED', 'Wrong username or password, or the account is disabled.')
    }
    identity.perUser.reset(`${username}|${address}`)
    const before = await identity.sessions.principalOf(req)
    const currentId = identity.sessions.idOf(req)
    const { id, session } = await db.transaction(async (tx) => {
      if (needsRehash(user.passwordHash!)) await tx.query('UPDATE staff_user SET password_hash = $2 WHERE username = $1', [user.username, await hashPassword(body.password)])
      const opened = await store.open(tx, user.username, user.roles, currentId ? hashSessionId(currentId) : null)
      await appendAudit(tx, {
        actor: user.username,
        actorRole: user.roles.join(','),
        action: 'session.sign-in',
        target: `user:${user.username}`,
        requestId: requestIdOf(res),
        detail: { method: 'local', ...(before.username === user.username ? { stepUp: true } : {}) },
      })
      return opened
    })
    identity.sessions.setCookie(res, id)
    return identity.info(principalOfSession(session))
  })

  mount(app, ROUTES.signOut, async ({ req, res }) => {
    const id = identity.sessions.idOf(req)
    const ended = id ? await store.end(hashSessionId(id), requestIdOf(res)) : false
    identity.sessions.clearCookie(res)
    return { signedOut: ended }
  })

  mount(app, ROUTES.oidcStart, async ({ query, req, res }) => {
    if (!identity.oidc) throw new ApiError('NOT_FOUND', 'No identity provider is configured (OIDC_ISSUER); sign in with a local account.')
    throttle(identity, res, [['perAddress', addressOf(req)]])
    try {
      res.redirect(302, await identity.oidc.start(query.returnTo, query.stepUp === '1'))
    } catch (err) {
      if (err instanceof OidcError) throw new ApiError('SIGN_IN_FAILED', err.message)
      throw err
    }
    return null
  })

  mount(app, ROUTES.oidcCallback, async ({ query, req, res }) => {
    if (!identity.oidc) throw new ApiError('NOT_FOUND', 'No identity provider is configured (OIDC_ISSUER).')
    try {
      const { identity: who, returnTo } = await identity.oidc.finish(query)
      const currentId = identity.sessions.idOf(req)
      const { id } = await db.transaction(async (tx) => {
        const user = await upsertOidcUser(tx, who, requestIdOf(res))
        if (user.disabled) throw new OidcError('disabled', 'Your Gemello account is disabled; ask an administrator.', 'FORBIDDEN')
        const opened = await store.open(tx, user.username, user.roles, currentId ? hashSessionId(currentId) : null)
        await appendAudit(tx, { actor: user.username, actorRole: user.roles.join(','), action: 'session.sign-in', target: `user:${user.username}`, requestId: requestIdOf(res), detail: { method: 'oidc' } })
        return opened
      })
      identity.sessions.setCookie(res, id)
      res.redirect(302, returnTo)
      return null
    } catch (err) {
      if (!(err instanceof OidcError)) throw err
      await db.transaction((tx) =>
        appendAudit(tx, { actor: 'anonymous', actorRole: 'public', action: 'session.sign-in-failed', target: 'oidc', requestId: requestIdOf(res), detail: { method: 'oidc', reason: err.reason } }),
      )
      // A browser navigation: back to the sign-in page, which shows the message.
      res.redirect(302, `/?signInError=${encodeURIComponent(err.message)}`)
      return null
    }
  })

  mount(app, ROUTES.setup, async ({ body, req, res }) => {
    throttle(identity, res, [['perAddress', addressOf(req)]])
    if (!identity.setupOpen()) throw new ApiError('FORBIDDEN', 'Setup is over: an account exists already. Sign in, or ask an administrator.')
    if (!identity.takeSetupToken(body.token)) throw new ApiError('FORBIDDEN', 'This setup link is not the one on the console; copy it again from the terminal where Gemello runs.')
    try {
      const user = await createLocalUser(db, { username: body.username, password: body.password, roles: ['admin'], ...(body.displayName ? { displayName: body.displayName } : {}) }, { actor: 'system:setup', actorRole: 'system', requestId: requestIdOf(res) })
      const { id, session } = await db.transaction(async (tx) => {
        const opened = await store.open(tx, user.username, user.roles, null)
        await appendAudit(tx, { actor: user.username, actorRole: 'admin', action: 'session.sign-in', target: `user:${user.username}`, requestId: requestIdOf(res), detail: { method: 'setup' } })
        return opened
      })
      identity.sessions.setCookie(res, id)
      return identity.info(principalOfSession(session))
    } catch (err) {
      // The token stays valid when the form was wrong (a short password): setup can be retried.
      if (err instanceof UserError) identity.reopenSetup(body.token)
      return asApiError(err)
    }
  })

  mount(app, ROUTES.listUsers, async () => ({ users: await listUsers(db) }))

  mount(app, ROUTES.createUser, async ({ body, res }) => {
    try {
      return { ...(await createLocalUser(db, body, actorOf(res))), activeSessions: 0 }
    } catch (err) {
      return asApiError(err)
    }
  })

  mount(app, ROUTES.updateUser, async ({ params, body, res }) => {
    try {
      return { ...(await updateUser(db, params.username, body, actorOf(res))), activeSessions: 0 }
    } catch (err) {
      return asApiError(err)
    }
  })

  mount(app, ROUTES.searchAudit, async ({ query }) => {
    const entries = await searchAudit(db, {
      ...(query.actor ? { actor: query.actor } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.target ? { target: query.target } : {}),
      ...(query.from !== undefined ? { fromMs: query.from } : {}),
      ...(query.to !== undefined ? { toMs: query.to } : {}),
      ...(query.beforeSeq !== undefined ? { beforeSeq: query.beforeSeq } : {}),
      limit: query.limit,
    })
    return { entries, nextBeforeSeq: entries.length === query.limit ? entries.at(-1)!.seq : null }
  })
}
