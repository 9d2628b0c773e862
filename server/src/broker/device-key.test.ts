import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../config/config'
import { DEVICE_KEY_FILENAME, resolveMqttAuth } from './device-key'

const KEY = 'ab'.repeat(32)
const none = { deviceKey: null, deviceKeyFile: null, username: null, password: null }
const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'gemello-key-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('the device key', () => {
  it('is made on the first embedded start, kept in DATA_DIR readable by the owner only, and the same after a restart', async () => {
    const dataDir = tmp()
    const first = await resolveMqttAuth(none, { dataDir, embedded: true })
    expect(statSync(path.join(dataDir, DEVICE_KEY_FILENAME)).mode & 0o777).toBe(0o600)
    const again = await resolveMqttAuth(none, { dataDir, embedded: true })
    expect(await again.keyring!.password({ type: 'device', deviceId: 'loop-1' })).toBe(await first.keyring!.password({ type: 'device', deviceId: 'loop-1' }))
    expect(again.service?.username).toBe('gemello@service')
  })

  it('comes from DEVICE_KEY when set; MQTT_USERNAME/MQTT_PASSWORD replace the service credentials', async () => {
    const auth = await resolveMqttAuth({ ...none, deviceKey: KEY, username: 'svc', password: 'pw' }, { dataDir: tmp(), embedded: false })
    expect(auth.keyring).not.toBeNull()
    expect(auth.service).toEqual({ username: 'svc', password: 'pw' })
    expect(await resolveMqttAuth(none, { dataDir: tmp(), embedded: false })).toEqual({ keyring: null, service: null })
  })

  it('is required on an external broker for the simulator and the ingest, and checked at boot', () => {
    const ext = { DATABASE_URL: 'postgres://db/g', MQTT_URL: 'mqtt://mq:1883', REDIS_URL: 'redis://r:6379' }
    expect(() => loadConfig({ ...ext, GEMELLO_ROLES: 'ingest' })).toThrow(/DEVICE_KEY: required with MQTT_URL when this process runs the ingest/)
    expect(() => loadConfig({ ...ext, GEMELLO_ROLES: 'simulator' })).toThrow(/DEVICE_KEY: required with MQTT_URL when this process runs the simulator/)
    expect(() => loadConfig({ ...ext, GEMELLO_ROLES: 'server' })).not.toThrow()
    expect(() => loadConfig({ ...ext, GEMELLO_ROLES: 'ingest', MQTT_USERNAME: 'svc', MQTT_PASSWORD: 'pw' })).not.toThrow()
    expect(() => loadConfig({ ...ext, GEMELLO_ROLES: 'ingest', DEVICE_KEY_FILE: '/run/secrets/device_key' })).not.toThrow()
    expect(() => loadConfig({ DEVICE_KEY: 'abcd' })).toThrow(/DEVICE_KEY: must be at least 32 bytes/)
    expect(() => loadConfig({ MQTT_USERNAME: 'svc' })).toThrow(/set both or neither/)
    expect(loadConfig({ DEVICE_KEY: KEY }).mqttAuth.deviceKey).toBe(KEY)
  })
})
