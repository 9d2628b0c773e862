import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { EnvSchema, loadConfig } from '../server/src/config/config'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

interface Compose {
  services: Record<string, { image?: string; build?: string; environment?: Record<string, string>; depends_on?: Record<string, unknown> | string[]; volumes?: string[]; profiles?: string[] }>
}

describe('docker-compose.yml (production layout)', () => {
  const compose = yaml.load(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as Compose

  const gemello = Object.entries(compose.services).filter(([, s]) => s.build === '.')

  it('runs PostGIS, Mosquitto, Redis, two servers behind a sticky load balancer, two ingest workers and a demo simulator', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['ingest-1', 'ingest-2', 'lb', 'mosquitto', 'postgis', 'redis', 'server-1', 'server-2', 'simulator'])
    expect(compose.services.postgis?.image).toMatch(/^postgis\/postgis:15-/)
    expect(compose.services.mosquitto?.volumes).toContain('./deploy/mosquitto/mosquitto.conf:/mosquitto/config/mosquitto.conf:ro')
    expect(compose.services.simulator?.profiles).toEqual(['demo'])
    expect(compose.services.lb?.volumes).toContain('./deploy/nginx/gemello.conf:/etc/nginx/conf.d/default.conf:ro')
    const nginx = readFileSync(path.join(ROOT, 'deploy/nginx/gemello.conf'), 'utf8')
    // Sticky sessions and the WebSocket upgrade, to every server process of the compose file.
    expect(nginx).toMatch(/ip_hash;/)
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/)
    for (const name of Object.keys(compose.services).filter((n) => n.startsWith('server-'))) expect(nginx).toContain(`server ${name}:8080`)
  })

  it('gives each process its roles, and each ingest worker its own client id', () => {
    const roles = Object.fromEntries(gemello.map(([name, s]) => [name, s.environment?.GEMELLO_ROLES]))
    expect(roles).toEqual({ 'server-1': 'server', 'server-2': 'server', 'ingest-1': 'ingest', 'ingest-2': 'ingest', simulator: 'simulator' })
    const ids = gemello.filter(([n]) => n.startsWith('ingest-')).map(([, s]) => s.environment?.INGEST_CLIENT_ID)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.every((id) => typeof id === 'string')).toBe(true)
  })

  it('wires every Gemello process to those services with settings the app accepts', () => {
    for (const [name, svc] of gemello) {
      const env = svc.environment ?? {}
      expect(env.DATABASE_URL, name).toMatch(/@postgis:5432\//)
      expect(env.MQTT_URL, name).toBe('mqtt://mosquitto:1883')
      expect(env.REDIS_URL, name).toBe('redis://redis:6379')
      const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[^}]+\}/g, 'x')])))
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
      for (const key of Object.keys(env)) expect(Object.keys(EnvSchema.shape)).toContain(key)
      // Only what the process runs: the config's own rule for split roles must hold.
      expect(() => loadConfig(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[^}]+\}/g, 'x')])))).not.toThrow()
    }
  })
})
