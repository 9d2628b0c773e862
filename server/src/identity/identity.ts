/**
 * The identity service of a server process (ADR 0005): sessions and their cookie, the OpenID
 * Connect client when a provider is configured, local accounts otherwise, the first-run setup,
 * the sign-in throttles, and the personal access tokens of clients that cannot hold the cookie.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { can, PERMISSIONS, STEP_UP_MAX_AGE_MS, type Permission } from '../../../contracts/access'
import type { SessionInfo } from '../../../contracts/api'
import type { IdentityConfig } from '../config/config'
import type { Db } from '../db/adapter'
import { OidcClient } from './oidc'
import { hashPassword } from './passwords'
import { ApiTokenStore } from './api-tokens'
import { CookieSessions, type Principal } from './principal'
import { RateLimiter } from './rate-limit'
import { SessionStore } from './sessions'
import { TokenAuth } from './token-auth'
import { countUsers, createLocalUser, getUser, UserError } from './users'

export interface IdentityLog {
  info(o: object, m?: string): void
  warn(o: object, m?: string): void
}

export class Identity {
  readonly sessions: CookieSessions
  /** Personal access tokens (QGIS, GDAL, scripts): the store, and how requests present them. */
  readonly tokens: ApiTokenStore
  readonly tokenAuth: TokenAuth
  readonly oidc: OidcClient | null
  /** Sign-in attempts: 5 a minute per username and address, 30 a minute per address. */
  readonly perUser = new RateLimiter(5, 60_000)
  readonly perAddress = new RateLimiter(30, 60_000)
  /** First run (no account, no provider): the one-time token of the setup link printed on the console. */
  private setupToken: string | null = null
  private dummyHash: Promise<string> | null = null
  private sweeper: NodeJS.Timeout | null = null

  constructor(
    readonly db: Db,
    readonly config: IdentityConfig,
    private readonly log: IdentityLog,
  ) {
    this.tokens = new ApiTokenStore(db)
    this.tokenAuth = new TokenAuth(this.tokens)
    this.sessions = new CookieSessions(new SessionStore(db, { idleMs: config.idleMs, absoluteMs: config.absoluteMs }), { secure: config.cookieSecure, absoluteMs: config.absoluteMs }, this.tokenAuth)
    this.oidc = config.oidc ? new OidcClient(config.oidc, db) : null
  }

  get localSignIn(): boolean {
    return this.oidc === null
  }

  /**
   * At start: the bootstrap administrator from the environment, or — on a first run with no account
   * and no provider — a one-time setup link on the console (the Jenkins pattern), since PGlite lets
   * only this process open the database while Gemello runs.
   */
  async start(publicUrl: string): Promise<void> {
    const admin = this.config.bootstrapAdmin
    if (admin && !(await getUser(this.db, admin.username))) {
      try {
        await createLocalUser(this.db, { username: admin.username, roles: ['admin'], password: admin.password, displayName: 'Administrator' }, { actor: 'system:bootstrap', actorRole: 'system' })
        this.log.info({ username: admin.username }, 'created the first administrator from GEMELLO_ADMIN_USERNAME')
      } catch (err) {
        // Another server process starting at the same time created it first.
        if (!(err instanceof UserError && err.code === 'CONFLICT')) throw err
      }
    }
    if (this.localSignIn && (await countUsers(this.db)) === 0) {
      this.setupToken = randomBytes(24).toString('base64url')
      this.log.warn(
        {},
        `First run: no staff account yet. Open ${publicUrl}/#setup=${this.setupToken} to create the administrator (the link works once), or stop Gemello and run: npm run users -- add <name> --role admin`,
      )
    }
    this.sweeper = setInterval(() => void this.sessions.store.sweep().catch(() => undefined), 5 * 60_000)
    this.sweeper.unref()
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper)
  }

  /** The first-run setup link's path (`/#setup=<token>`) while no account exists, else null. */
  setupPath(): string | null {
    return this.setupToken ? `/#setup=${this.setupToken}` : null
  }

  setupOpen(): boolean {
    return this.setupToken !== null
  }

  /** Uses the setup token: true once, for the right token. */
  takeSetupToken(token: string): boolean {
    const t = this.setupToken
    if (!t) return false
    const a = Buffer.from(token)
    const b = Buffer.from(t)
    if (a.length !== b.length || !timingSafeEqual(a, b)) return false
    this.setupToken = null
    return true
  }

  /** The setup failed on the form (not the token): the same link works again. */
  reopenSetup(token: string): void {
    this.setupToken ??= token
  }

  /** A scrypt hash to verify against when the username is unknown, so both take the same time. */
  dummyPasswordHash(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'))
    return this.dummyHash
  }

  info(who: Principal): SessionInfo {
    const s = who.session
    return {
      signedIn: who.signedIn,
      user: s ? { username: s.username, displayName: s.displayName, source: s.source, roles: s.roles.filter((r) => r !== 'public') } : null,
      permissions: (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(who.roles, p)),
      signIn: { local: this.localSignIn, oidc: this.oidc !== null },
      setupNeeded: this.setupOpen(),
      authAtMs: s?.authAtMs ?? null,
      idleExpiresAtMs: s?.idleExpiresAtMs ?? null,
      absoluteExpiresAtMs: s?.absoluteExpiresAtMs ?? null,
      stepUpMaxAgeMs: STEP_UP_MAX_AGE_MS,
    }
  }
}
