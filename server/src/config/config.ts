import path from 'node:path'
import { z } from 'zod'

const port = z.coerce.number({ error: 'must be a port number (0–65535)' }).int('must be a whole number').min(0, 'must be 0–65535').max(65535, 'must be 0–65535')
const onOff = z.enum(['on', 'off'])

/** Every setting Gemello reads from the environment. Parsed once at boot; invalid values stop the boot. */
export const EnvSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
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
  SIMULATOR: onOff.default('on'),
  SIM_SEED: z.coerce.number().int().default(42),
  SIM_SPEED: z.coerce.number().min(0.1).max(3600).default(1),
  INGEST_MAX_BATCH: z.coerce.number().int().min(1).max(50_000).default(5000),
  INGEST_LINGER_MS: z.coerce.number().int().min(0).max(1000).default(5),
  INGEST_MAX_PENDING: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
  /** Concurrent write transactions; default: what the database adapter supports (2 on PostgreSQL, 1 on PGlite). */
  INGEST_WRITERS: z.coerce.number().int().min(1).max(16).optional(),
  INGEST_CLIENT_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).default('gemello-ingest'),
  LIVE_CADENCE_MS: z.coerce.number().int().min(20).max(5000).default(250),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})
export type Env = z.infer<typeof EnvSchema>

export interface Config {
  http: { port: number; host: string }
  db: { kind: 'embedded'; dataDir: string } | { kind: 'server'; url: string }
  mqtt: { kind: 'embedded'; port: number; host: string } | { kind: 'external'; url: string }
  redisUrl: string | null
  dataDir: string
  cityDataDir: string
  simulator: { enabled: boolean; seed: number; speed: number }
  ingest: { maxBatch: number; lingerMs: number; maxPending: number; clientId: string; writers: number | null }
  live: { cadenceMs: number }
  logLevel: Env['LOG_LEVEL']
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee README.md, section "Configuration".`)
    this.name = 'ConfigError'
  }
}

/** Keys that look like ours but are not known: most often a typo. */
const OWN_PREFIXES = ['SIM_', 'INGEST_', 'LIVE_', 'GEMELLO_']

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
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems)
  const e = parsed.data
  const dataDir = path.resolve(cwd, e.DATA_DIR)
  return {
    http: { port: e.PORT, host: e.HOST },
    db: e.DATABASE_URL ? { kind: 'server', url: e.DATABASE_URL } : { kind: 'embedded', dataDir: path.join(dataDir, 'pglite') },
    mqtt: e.MQTT_URL ? { kind: 'external', url: e.MQTT_URL } : { kind: 'embedded', port: e.MQTT_PORT, host: e.MQTT_HOST },
    redisUrl: e.REDIS_URL ?? null,
    dataDir,
    cityDataDir: path.resolve(cwd, e.CITY_DATA_DIR),
    simulator: { enabled: e.SIMULATOR === 'on', seed: e.SIM_SEED, speed: e.SIM_SPEED },
    ingest: { maxBatch: e.INGEST_MAX_BATCH, lingerMs: e.INGEST_LINGER_MS, maxPending: e.INGEST_MAX_PENDING, clientId: e.INGEST_CLIENT_ID, writers: e.INGEST_WRITERS ?? null },
    live: { cadenceMs: e.LIVE_CADENCE_MS },
    logLevel: e.LOG_LEVEL,
  }
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
