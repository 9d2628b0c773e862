import path from 'node:path'
import { z } from 'zod'
import { PLATFORM_ENV, platformConfig, type PlatformConfig } from './platform-config'
import { ROLES as ACCESS_ROLES } from '../../../contracts/access'
import { parseDeviceKey } from '../../../contracts/mqtt-identity'

const port = z.coerce.number({ error: 'must be a port number (0–65535)' }).int('must be a whole number').min(0, 'must be 0–65535').max(65535, 'must be 0–65535')
const onOff = z.enum(['on', 'off'])

/** Every setting Gemello reads from the environment. Parsed once at boot; invalid values stop the boot. */
export const EnvSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** on behind a reverse proxy on this machine or the private network (nginx in docker-compose): client address and scheme from X-Forwarded-*. */
  TRUST_PROXY: onOff.default('off'),
  MQTT_PORT: port.default(1883),
  MQTT_HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('.gemello-data'),
  CITY_DATA_DIR: z.string().min(1).default('../shared/data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  MQTT_URL: z
    .string()
    .regex(/^(mqtt|mqtts|tcp|ssl):\/\//, 'MQTT_URL must start with mqtt:// or mqtts://')
    .optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://').optional(),
  /** Prefix of every Redis key Gemello uses (the live stream, id leases, the Socket.IO channels): one per deployment sharing a Redis. */
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, underscore or dash').default('gemello'),
  SIMULATOR: onOff.default('on'),
  SIM_SEED: z.coerce.number().int().default(42),
  SIM_SPEED: z.coerce.number().min(0.1).max(3600).default(1),
  INGEST_MAX_BATCH: z.coerce.number().int().min(1).max(50_000).default(5000),
  INGEST_LINGER_MS: z.coerce.number().int().min(0).max(1000).default(5),
  INGEST_MAX_PENDING: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
  /** Concurrent write transactions; default: what the database adapter supports (2 on PostgreSQL, 1 on PGlite). */
  INGEST_WRITERS: z.coerce.number().int().min(1).max(16).optional(),
  INGEST_CLIENT_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).default('gemello-ingest'),
  /** MQTT 5 shared-subscription group: ingest workers of one Gemello share it (one per deployment on a shared broker). */
  INGEST_SHARE_GROUP: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, underscore or dash').default('gemello'),
  /** Gap scan for devices with an outbox (props.backfill): every this many ms (0 = off). docs/chaos.md */
  INGEST_BACKFILL_SCAN_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  /** A hole in a device's seqs counts as a gap once a later seq was stored this long ago. */
  INGEST_BACKFILL_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /** Confirm a quiet stream's watermark to its device again after this long; ask for an open gap again after INGEST_BACKFILL_RETRY_MS. */
  INGEST_BACKFILL_CONFIRM_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  INGEST_BACKFILL_RETRY_MS: z.coerce.number().int().min(1000).max(86_400_000).default(30_000),
  /** Days of raw history (≥ 8), of 1-minute and of 1-hour rollups; older days are dropped as whole partitions (docs/history.md). */
  HISTORY_RAW_DAYS: z.coerce.number().int().min(8, 'must be at least 8 days: readings up to 7 days late are accepted').default(30),
  HISTORY_1M_DAYS: z.coerce.number().int().min(1).default(90),
  HISTORY_1H_DAYS: z.coerce.number().int().min(1).default(3650),
  LIVE_CADENCE_MS: z.coerce.number().int().min(20).max(5000).default(250),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** What this process runs: `all`, or a comma list of server, ingest, simulator (docs/scale-out.md). */
  GEMELLO_ROLES: z.string().min(1).default('all'),
  /** Open311 GeoReport v2 (docs/cases.md): the jurisdiction_id this server answers for; unset, any is accepted (one jurisdiction). */
  OPEN311_JURISDICTION_ID: z.string().regex(/^[a-z0-9.-]{1,100}$/, 'OPEN311_JURISDICTION_ID is a site name, e.g. comune.bologna.it').optional(),
  /** Days a reporter's personal data is kept after their case closes (the privacy notice's period); then the purge job deletes it. */
  CASE_PERSONAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** Staff sign-in through OpenID Connect (docs/access.md): the issuer URL turns it on; local accounts stay available only without it. */
  OIDC_ISSUER: z.string().url('OIDC_ISSUER must be the provider URL, e.g. https://sso.comune.bologna.it/realms/gemello').optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where the provider sends the browser back: <public URL of Gemello>/api/auth/oidc/callback. */
  OIDC_REDIRECT_URL: z.string().url('OIDC_REDIRECT_URL must be an absolute URL ending in /api/auth/oidc/callback').optional(),
  /** Dotted path of the roles claim in the ID token (Keycloak: realm_access.roles). */
  OIDC_ROLES_CLAIM: z.string().regex(/^[A-Za-z0-9_:.-]+$/).default('realm_access.roles'),
  /** Provider role → Gemello role, e.g. "sala-operativa=operator,ufficio-traffico=traffic_engineer"; Gemello's own role names always map to themselves. */
  OIDC_ROLE_MAP: z.string().default(''),
  /**
   * Citizens' sign-in (docs/cases.md "Citizens"): a certified OpenID Connect gateway in front of SPID and
   * CIE. The issuer URL turns it on; without it the citizen pages say that signing in is not available.
   */
  CITIZEN_OIDC_ISSUER: z.string().url('CITIZEN_OIDC_ISSUER must be the gateway URL, e.g. https://login.comune.bologna.it/oidc').optional(),
  CITIZEN_OIDC_CLIENT_ID: z.string().min(1).optional(),
  CITIZEN_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** <public URL of Gemello>/api/my/auth/callback. */
  CITIZEN_OIDC_REDIRECT_URL: z.string().url('CITIZEN_OIDC_REDIRECT_URL must be an absolute URL ending in /api/my/auth/callback').optional(),
  /** Dotted path of the fiscal-code claim (SPID gateways: fiscal_number, often "TINIT-<code>"). */
  CITIZEN_OIDC_FISCAL_CODE_CLAIM: z.string().regex(/^[A-Za-z0-9_:.-]+$/).default('fiscal_number'),
  /** The authentication levels asked for and accepted (space-separated acr values): SPID level 2 and 3 by default. */
  CITIZEN_OIDC_ACR: z.string().default('https://www.spid.gov.it/SpidL2 https://www.spid.gov.it/SpidL3'),
  /**
   * Open data (docs/opendata.md): who publishes, the public address that names the catalogue's
   * resources (stable IRIs for the national catalogue; the request's address when unset), how often
   * the datasets are regenerated, how many days of hourly history the files hold, and where the
   * DCAT-AP_IT SHACL shapes are read (../shared/specs/dcat-ap-it beside the city data by default).
   */
  OPENDATA_PUBLISHER_NAME: z.string().min(1).default('Comune di Bologna'),
  OPENDATA_IPA_CODE: z.string().regex(/^[a-z0-9_]{2,20}$/, 'the publisher’s IPA code, e.g. c_a944').default('c_a944'),
  /** The comune the datasets cover, as its GeoNames id (Bologna: 3181928) and name. */
  OPENDATA_GEONAMES_ID: z.string().regex(/^\d{1,10}$/, 'a GeoNames id, e.g. 3181928').default('3181928'),
  OPENDATA_PLACE_NAME: z.string().min(1).default('Bologna'),
  OPENDATA_CONTACT_NAME: z.string().min(1).default('Comune di Bologna – Open data'),
  OPENDATA_CONTACT_EMAIL: z.string().email('OPENDATA_CONTACT_EMAIL must be an e-mail address').default('opendata@comune.bologna.it'),
  OPENDATA_BASE_URL: z.string().url('OPENDATA_BASE_URL must be the public address of Gemello, e.g. https://gemello.comune.bologna.it').optional(),
  OPENDATA_REFRESH_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
  OPENDATA_HISTORY_DAYS: z.coerce.number().int().min(1).max(366).default(31),
  OPENDATA_SHAPES_DIR: z.string().min(1).optional(),
  /** Staff sessions end after this many idle minutes, and after this many hours whatever the activity. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  /** off only for plain-HTTP access from another machine in development: the cookie loses Secure and the __Host- prefix. */
  SESSION_COOKIE_SECURE: onOff.default('on'),
  /** First administrator, created at start when no account has this name (containers, tests); never changes an existing account. */
  GEMELLO_ADMIN_USERNAME: z.string().regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, '1–64 lower-case letters, digits, ".", "_", "@" or "-"').optional(),
  GEMELLO_ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').max(1024).optional(),
  /** Requests a minute one address may make to /api, /ogc and /open311 without signing in (then 429 with Retry-After). */
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(10).max(1_000_000).default(600),
  /** Origins allowed to open the live socket and to send state-changing requests, besides Gemello's own (comma list). */
  ALLOWED_ORIGINS: z.string().default(''),
  /** Sites whose pages may embed the public dashboards (CSP frame-ancestors): "https:" (any https site, the default), "none", or a comma-separated list of origins. */
  DASHBOARD_EMBED_ORIGINS: z.string().default('https:'),
  /** The fleet secret every MQTT password is derived from (hex or base64, ≥ 32 bytes; docs/broker.md). Embedded broker: made in DATA_DIR when unset. */
  DEVICE_KEY: z.string().min(1).optional(),
  /** A file holding DEVICE_KEY (a Docker secret), instead of the variable. */
  DEVICE_KEY_FILE: z.string().min(1).optional(),
  /** The ingest's own MQTT credentials on an external broker, instead of the service password derived from DEVICE_KEY. */
  MQTT_USERNAME: z.string().min(1).optional(),
  MQTT_PASSWORD: z.string().min(1).optional(),
}).extend(PLATFORM_ENV)
export type Env = z.infer<typeof EnvSchema>

export interface OpenDataConfig {
  publisherName: string
  /** The publisher's code in the IPA index (dct:identifier of the publisher and the prefix of every dataset's). */
  ipaCode: string
  /** dct:spatial of every dataset: the comune's GeoNames resource and name. */
  place: { name: string; geonames: string }
  contactName: string
  contactEmail: string
  /** Public address naming the catalogue's resources; null: the request's own address. */
  baseUrl: string | null
  refreshMs: number
  historyDays: number
  /** The DCAT-AP 2.1.1 and national SHACL shapes (read at each validation; missing: the catalogue is not validated, and says so). */
  shapesDir: string
}

export const ROLES = ['server', 'ingest', 'simulator'] as const
export type Role = (typeof ROLES)[number]

export interface Config {
  /** The parts this process runs; all three in the default single-process mode. */
  roles: ReadonlySet<Role>
  http: { port: number; host: string; trustProxy: boolean; publicRateLimit: number; dashboardEmbedOrigins: readonly string[] }
  db: { kind: 'embedded'; dataDir: string } | { kind: 'server'; url: string }
  mqtt: { kind: 'embedded'; port: number; host: string } | { kind: 'external'; url: string }
  redisUrl: string | null
  redisPrefix: string
  dataDir: string
  cityDataDir: string
  open311JurisdictionId: string | null
  casePersonalRetentionDays: number
  simulator: { enabled: boolean; seed: number; speed: number }
  ingest: {
    maxBatch: number
    lingerMs: number
    maxPending: number
    clientId: string
    shareGroup: string
    writers: number | null
    backfill: { scanMs: number; graceMs: number; confirmMs: number; retryMs: number }
  }
  live: { cadenceMs: number }
  history: { rawDays: number; oneMinuteDays: number; oneHourDays: number }
  opendata: OpenDataConfig
  logLevel: Env['LOG_LEVEL']
  identity: IdentityConfig
  /** The national platforms that are configured (App IO, pagoPA GPD, SEND); null each when not. */
  platforms: PlatformConfig
  /** Where Gemello's MQTT clients get their credentials (server/src/broker/device-key.ts). Secrets: never log. */
  mqttAuth: { deviceKey: string | null; deviceKeyFile: string | null; username: string | null; password: string | null }
}

export interface OidcConfig {
  issuer: string
  clientId: string
  clientSecret: string | null
  redirectUrl: string
  rolesClaim: string
  /** Provider role → Gemello role. */
  roleMap: ReadonlyMap<string, string>
}

/** The citizens' gateway (SPID/CIE through a certified OpenID Connect provider). */
export interface CitizenOidcConfig {
  issuer: string
  clientId: string
  clientSecret: string | null
  redirectUrl: string
  /** Dotted path of the fiscal-code claim. */
  fiscalCodeClaim: string
  /** The acr values asked for and accepted. */
  acr: readonly string[]
}

export interface IdentityConfig {
  oidc: OidcConfig | null
  citizenOidc?: CitizenOidcConfig | null
  idleMs: number
  absoluteMs: number
  cookieSecure: boolean
  allowedOrigins: readonly string[]
  /** GEMELLO_ADMIN_USERNAME/PASSWORD: the first administrator. */
  bootstrapAdmin: { username: string; password: string } | null
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee README.md, section "Configuration".`)
    this.name = 'ConfigError'
  }
}

/** Keys that look like ours but are not known: most often a typo. */
const OWN_PREFIXES = ['SIM_', 'INGEST_', 'LIVE_', 'GEMELLO_', 'HISTORY_', 'OIDC_', 'SESSION_', 'OPEN311_', 'CASE_', 'CITIZEN_', 'IO_', 'PAGOPA_', 'SEND_']

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const picked: Record<string, string | undefined> = {}
  for (const key of Object.keys(EnvSchema.shape)) {
    const v = env[key]
    if (v !== undefined && v !== '') picked[key] = v
  }
  const parsed = EnvSchema.safeParse(picked)
  const problems: string[] = []
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`)
  }
  for (const key of Object.keys(env)) {
    if (OWN_PREFIXES.some((p) => key.startsWith(p)) && !(key in EnvSchema.shape)) {
      problems.push(`${key}: unknown setting (known: ${Object.keys(EnvSchema.shape).filter((k) => OWN_PREFIXES.some((p) => k.startsWith(p))).join(', ')})`)
    }
  }
  const roles = parsed.success ? parseRoles(parsed.data.GEMELLO_ROLES, problems) : new Set<Role>()
  if (parsed.success && !isAllRoles(roles)) {
    // A process that runs only part of Gemello shares the database, the broker and the live feed
    // with the others: embedded PGlite and aedes live inside one process and cannot be shared.
    const missing = (['DATABASE_URL', 'MQTT_URL', 'REDIS_URL'] as const).filter((k) => !parsed.data[k])
    if (missing.length > 0) {
      problems.push(
        `GEMELLO_ROLES: "${parsed.data.GEMELLO_ROLES}" runs part of Gemello in this process; the parts share PostgreSQL, the MQTT broker and Redis, so set ${missing.join(', ')} (or use GEMELLO_ROLES=all, the default, for one process with embedded services)`,
      )
    }
  }
  if (parsed.success) {
    const d = parsed.data
    if (d.HISTORY_1M_DAYS < d.HISTORY_RAW_DAYS) problems.push(`HISTORY_1M_DAYS (${d.HISTORY_1M_DAYS}) must be at least HISTORY_RAW_DAYS (${d.HISTORY_RAW_DAYS}): 1-minute history is served from the rollups`)
    if (d.HISTORY_1H_DAYS < d.HISTORY_1M_DAYS) problems.push(`HISTORY_1H_DAYS (${d.HISTORY_1H_DAYS}) must be at least HISTORY_1M_DAYS (${d.HISTORY_1M_DAYS})`)
    if (d.OIDC_ISSUER) {
      for (const k of ['OIDC_CLIENT_ID', 'OIDC_REDIRECT_URL'] as const) if (!d[k]) problems.push(`${k}: required with OIDC_ISSUER (docs/access.md, "Signing in with a provider")`)
      if (d.OIDC_REDIRECT_URL && !d.OIDC_REDIRECT_URL.endsWith('/api/auth/oidc/callback')) problems.push('OIDC_REDIRECT_URL: must end in /api/auth/oidc/callback (the provider sends the browser back there)')
    } else {
      for (const k of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const) if (d[k]) problems.push(`${k}: set without OIDC_ISSUER, so nothing would use it; set OIDC_ISSUER too or remove it`)
    }
    if (d.CITIZEN_OIDC_ISSUER) {
      for (const k of ['CITIZEN_OIDC_CLIENT_ID', 'CITIZEN_OIDC_REDIRECT_URL'] as const) if (!d[k]) problems.push(`${k}: required with CITIZEN_OIDC_ISSUER (docs/cases.md, "Citizens")`)
      if (d.CITIZEN_OIDC_REDIRECT_URL && !d.CITIZEN_OIDC_REDIRECT_URL.endsWith('/api/my/auth/callback')) problems.push('CITIZEN_OIDC_REDIRECT_URL: must end in /api/my/auth/callback (the gateway sends the citizen back there)')
      if (splitList(d.CITIZEN_OIDC_ACR.replace(/\s+/g, ',')).length === 0) problems.push('CITIZEN_OIDC_ACR: name at least one authentication level')
    } else {
      for (const k of ['CITIZEN_OIDC_CLIENT_ID', 'CITIZEN_OIDC_CLIENT_SECRET', 'CITIZEN_OIDC_REDIRECT_URL'] as const) if (d[k]) problems.push(`${k}: set without CITIZEN_OIDC_ISSUER, so nothing would use it; set CITIZEN_OIDC_ISSUER too or remove it`)
    }
    platformConfig(d, problems)
    parseRoleMap(d.OIDC_ROLE_MAP, problems)
    if ((d.GEMELLO_ADMIN_USERNAME === undefined) !== (d.GEMELLO_ADMIN_PASSWORD === undefined)) problems.push('GEMELLO_ADMIN_USERNAME and GEMELLO_ADMIN_PASSWORD go together (the first administrator)')
    for (const o of splitList(d.DASHBOARD_EMBED_ORIGINS)) if (o !== 'https:' && o !== 'none' && !/^https?:\/\/[^/\s]+\/?$/.test(o)) problems.push(`DASHBOARD_EMBED_ORIGINS: "${o}" is not "https:", "none" or an origin (scheme://host[:port], no path)`)
    for (const o of splitList(d.ALLOWED_ORIGINS)) if (!/^https?:\/\/[^/\s]+$/.test(o)) problems.push(`ALLOWED_ORIGINS: "${o}" is not an origin (scheme://host[:port], no path)`)
    if (d.SESSION_ABSOLUTE_HOURS * 60 < d.SESSION_IDLE_MINUTES) problems.push('SESSION_IDLE_MINUTES: longer than SESSION_ABSOLUTE_HOURS, so it would never apply')
  }
  if (parsed.success) {
    const d = parsed.data
    if (d.DEVICE_KEY) {
      try {
        parseDeviceKey(d.DEVICE_KEY)
      } catch (err) {
        problems.push(`DEVICE_KEY: ${(err as Error).message.replace(/^DEVICE_KEY /, '')}`)
      }
      if (d.DEVICE_KEY_FILE) problems.push('DEVICE_KEY_FILE: set together with DEVICE_KEY; keep one')
    }
    if (Boolean(d.MQTT_USERNAME) !== Boolean(d.MQTT_PASSWORD)) problems.push('MQTT_USERNAME and MQTT_PASSWORD: set both or neither')
    if (d.MQTT_URL && !d.DEVICE_KEY && !d.DEVICE_KEY_FILE) {
      // On an external broker Gemello's clients authenticate (docs/broker.md, "Device identity and ACL").
      if (roles.has('simulator') && d.SIMULATOR === 'on') problems.push('DEVICE_KEY: required with MQTT_URL when this process runs the simulator (its devices authenticate with passwords derived from it), or set DEVICE_KEY_FILE, or SIMULATOR=off')
      else if (roles.has('ingest') && !d.MQTT_USERNAME) problems.push('DEVICE_KEY: required with MQTT_URL when this process runs the ingest (it connects as the Gemello service identity), or set DEVICE_KEY_FILE, or MQTT_USERNAME and MQTT_PASSWORD')
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems)
  const e = parsed.data
  const dataDir = path.resolve(cwd, e.DATA_DIR)
  return {
    roles,
    http: { port: e.PORT, host: e.HOST, trustProxy: e.TRUST_PROXY === 'on', publicRateLimit: e.PUBLIC_RATE_LIMIT_PER_MINUTE, dashboardEmbedOrigins: splitList(e.DASHBOARD_EMBED_ORIGINS).map((o) => o.replace(/\/$/, '')) },
    db: e.DATABASE_URL ? { kind: 'server', url: e.DATABASE_URL } : { kind: 'embedded', dataDir: path.join(dataDir, 'pglite') },
    mqtt: e.MQTT_URL ? { kind: 'external', url: e.MQTT_URL } : { kind: 'embedded', port: e.MQTT_PORT, host: e.MQTT_HOST },
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_KEY_PREFIX,
    dataDir,
    cityDataDir: path.resolve(cwd, e.CITY_DATA_DIR),
    open311JurisdictionId: e.OPEN311_JURISDICTION_ID ?? null,
    casePersonalRetentionDays: e.CASE_PERSONAL_RETENTION_DAYS,
    platforms: platformConfig(e, []),
    simulator: { enabled: e.SIMULATOR === 'on', seed: e.SIM_SEED, speed: e.SIM_SPEED },
    ingest: { maxBatch: e.INGEST_MAX_BATCH, lingerMs: e.INGEST_LINGER_MS, maxPending: e.INGEST_MAX_PENDING, clientId: e.INGEST_CLIENT_ID, shareGroup: e.INGEST_SHARE_GROUP,
      writers: e.INGEST_WRITERS ?? null,
      backfill: { scanMs: e.INGEST_BACKFILL_SCAN_MS, graceMs: e.INGEST_BACKFILL_GRACE_MS, confirmMs: e.INGEST_BACKFILL_CONFIRM_MS, retryMs: e.INGEST_BACKFILL_RETRY_MS },
    },
    live: { cadenceMs: e.LIVE_CADENCE_MS },
    history: { rawDays: e.HISTORY_RAW_DAYS, oneMinuteDays: e.HISTORY_1M_DAYS, oneHourDays: e.HISTORY_1H_DAYS },
    opendata: {
      publisherName: e.OPENDATA_PUBLISHER_NAME,
      ipaCode: e.OPENDATA_IPA_CODE,
      place: { name: e.OPENDATA_PLACE_NAME, geonames: `http://sws.geonames.org/${e.OPENDATA_GEONAMES_ID}/` },
      contactName: e.OPENDATA_CONTACT_NAME,
      contactEmail: e.OPENDATA_CONTACT_EMAIL,
      baseUrl: e.OPENDATA_BASE_URL?.replace(/\/$/, '') ?? null,
      refreshMs: e.OPENDATA_REFRESH_MINUTES * 60_000,
      historyDays: e.OPENDATA_HISTORY_DAYS,
      shapesDir: path.resolve(cwd, e.OPENDATA_SHAPES_DIR ?? path.join(e.CITY_DATA_DIR, '..', 'specs', 'dcat-ap-it')),
    },
    logLevel: e.LOG_LEVEL,
    mqttAuth: { deviceKey: e.DEVICE_KEY ?? null, deviceKeyFile: e.DEVICE_KEY_FILE ?? null, username: e.MQTT_USERNAME ?? null, password: e.MQTT_PASSWORD ?? null },
    identity: {
      oidc: e.OIDC_ISSUER
        ? {
            issuer: e.OIDC_ISSUER.replace(/\/$/, ''),
            clientId: e.OIDC_CLIENT_ID!,
            clientSecret: e.OIDC_CLIENT_SECRET ?? null,
            redirectUrl: e.OIDC_REDIRECT_URL!,
            rolesClaim: e.OIDC_ROLES_CLAIM,
            roleMap: parseRoleMap(e.OIDC_ROLE_MAP, []),
          }
        : null,
      citizenOidc: e.CITIZEN_OIDC_ISSUER
        ? {
            issuer: e.CITIZEN_OIDC_ISSUER.replace(/\/$/, ''),
            clientId: e.CITIZEN_OIDC_CLIENT_ID!,
            clientSecret: e.CITIZEN_OIDC_CLIENT_SECRET ?? null,
            redirectUrl: e.CITIZEN_OIDC_REDIRECT_URL!,
            fiscalCodeClaim: e.CITIZEN_OIDC_FISCAL_CODE_CLAIM,
            acr: splitList(e.CITIZEN_OIDC_ACR.replace(/\s+/g, ',')),
          }
        : null,
      idleMs: e.SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
      cookieSecure: e.SESSION_COOKIE_SECURE === 'on',
      allowedOrigins: splitList(e.ALLOWED_ORIGINS).map((o) => o.replace(/\/$/, '')),
      bootstrapAdmin: e.GEMELLO_ADMIN_USERNAME && e.GEMELLO_ADMIN_PASSWORD ? { username: e.GEMELLO_ADMIN_USERNAME, password: e.GEMELLO_ADMIN_PASSWORD } : null,
    },
  }
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '')
}

/** "provider-role=gemello_role,…" → map; Gemello roles are checked where they are used (contracts/access.ts). */
export function parseRoleMap(text: string, problems: string[]): Map<string, string> {
  const map = new Map<string, string>()
  for (const pair of splitList(text)) {
    const m = /^([^=]+)=([a-z_]+)$/.exec(pair)
    if (!m) problems.push(`OIDC_ROLE_MAP: "${pair}" is not provider-role=gemello_role`)
    else if (!(ACCESS_ROLES as readonly string[]).includes(m[2]!)) problems.push(`OIDC_ROLE_MAP: "${m[2]}" is not a Gemello role (${ACCESS_ROLES.join(', ')})`)
    else map.set(m[1]!.trim(), m[2]!)
  }
  return map
}

/** `all` or a comma list of roles; problems are added to `problems`. */
export function parseRoles(text: string, problems: string[] = []): ReadonlySet<Role> {
  const words = text
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '')
  const roles = new Set<Role>()
  for (const w of words) {
    if (w === 'all') for (const r of ROLES) roles.add(r)
    else if ((ROLES as readonly string[]).includes(w)) roles.add(w as Role)
    else problems.push(`GEMELLO_ROLES: unknown role "${w}" (use all, or a comma list of ${ROLES.join(', ')})`)
  }
  if (words.length === 0) problems.push(`GEMELLO_ROLES: empty (use all, or a comma list of ${ROLES.join(', ')})`)
  return roles
}

export function isAllRoles(roles: ReadonlySet<Role>): boolean {
  return ROLES.every((r) => roles.has(r))
}

/** A URL with its password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '<unparseable url>'
  }
}
