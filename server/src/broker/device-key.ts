/**
 * Where the device key (the fleet secret every MQTT password is derived from) comes from, and the
 * credentials Gemello's own clients use (docs/broker.md, "Device identity and ACL"):
 *
 *   DEVICE_KEY (hex or base64, ≥ 32 bytes), or DEVICE_KEY_FILE (a file holding it: a Docker secret);
 *   embedded broker without either: DATA_DIR/mqtt-device-key, made on first start (mode 0600) and kept.
 *
 * The service identity uses MQTT_USERNAME / MQTT_PASSWORD when given, otherwise its derived password.
 * Nothing here logs a secret.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { MqttKeyring, parseDeviceKey, type MqttCredentials } from '../../../contracts/mqtt-identity'

export const DEVICE_KEY_FILENAME = 'mqtt-device-key'

export interface MqttAuthConfig {
  deviceKey: string | null
  deviceKeyFile: string | null
  username: string | null
  password: string | null
}

export interface MqttAuth {
  /** Derives device, service and gateway passwords; null when no key is configured. */
  keyring: MqttKeyring | null
  /** What the ingest and the command publisher connect with; null = anonymous (a broker that allows it). */
  service: MqttCredentials | null
}

export interface DeviceKeySource {
  key: Uint8Array
  /** Where it came from, for the log (never the key). */
  from: string
}

/** Reads the key from DEVICE_KEY, DEVICE_KEY_FILE, or (embedded only) DATA_DIR, creating it there if needed. */
export function loadDeviceKey(auth: MqttAuthConfig, o: { dataDir: string; embedded: boolean }): DeviceKeySource | null {
  if (auth.deviceKey) return { key: parseDeviceKey(auth.deviceKey), from: 'DEVICE_KEY' }
  if (auth.deviceKeyFile) return { key: readKeyFile(auth.deviceKeyFile), from: `DEVICE_KEY_FILE ${auth.deviceKeyFile}` }
  if (!o.embedded) return null
  const file = path.join(o.dataDir, DEVICE_KEY_FILENAME)
  try {
    return { key: readKeyFile(file), from: file }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  mkdirSync(o.dataDir, { recursive: true })
  // wx: two processes starting at once never overwrite each other's key.
  try {
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  chmodSync(file, 0o600)
  return { key: readKeyFile(file), from: `${file} (new)` }
}

function readKeyFile(file: string): Uint8Array {
  const text = readFileSync(file, 'utf8')
  try {
    return parseDeviceKey(text)
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`)
  }
}

export async function resolveMqttAuth(auth: MqttAuthConfig, o: { dataDir: string; embedded: boolean; log?: { info(o: object, m?: string): void } }): Promise<MqttAuth> {
  const source = loadDeviceKey(auth, o)
  const keyring = source ? await MqttKeyring.create(source.key) : null
  if (source) o.log?.info({ from: source.from }, 'MQTT device key loaded')
  const service = auth.username && auth.password ? { username: auth.username, password: auth.password } : keyring ? await keyring.credentials({ type: 'service' }) : null
  return { keyring, service }
}
