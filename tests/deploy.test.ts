import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { EnvSchema } from '../server/src/config/config'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

interface Compose {
  services: Record<string, { image?: string; build?: string; environment?: Record<string, string>; depends_on?: Record<string, unknown>; volumes?: string[] }>
}

describe('docker-compose.yml (production layout)', () => {
  const compose = yaml.load(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as Compose

  it('runs PostGIS, Mosquitto, Redis and the app', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'mosquitto', 'postgis', 'redis'])
    expect(compose.services.postgis?.image).toMatch(/^postgis\/postgis:15-/)
    expect(compose.services.mosquitto?.volumes).toContain('./deploy/mosquitto/mosquitto.conf:/mosquitto/config/mosquitto.conf:ro')
  })

  it('wires the app to those services with settings the app accepts', () => {
    const env = compose.services.app?.environment ?? {}
    expect(env.DATABASE_URL).toMatch(/@postgis:5432\//)
    expect(env.MQTT_URL).toBe('mqtt://mosquitto:1883')
    expect(env.REDIS_URL).toBe('redis://redis:6379')
    const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[^}]+\}/g, 'x')])))
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
    for (const key of Object.keys(env)) expect(Object.keys(EnvSchema.shape)).toContain(key)
  })
})
