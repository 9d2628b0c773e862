/**
 * For tests that publish as several devices through one handle: each device gets its own connection,
 * authenticated as itself (the broker's ACL lets a device publish only its own topics), opened on
 * first use. The device id is read from the topic (gemello/v1/<kind>/<deviceId>/…). Only
 * `publishAsync` and `endAsync` are routed; the result is typed as an MqttClient for existing tests.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { MqttKeyring, parseDeviceKey } from '../../contracts/mqtt-identity'
import { DEVICE_KEY_FILENAME } from '../../server/src/broker/device-key'

/** The keyring of an embedded Gemello started with this DATA_DIR (its key file, made at first start). */
export async function keyringOfDataDir(dataDir: string): Promise<MqttKeyring> {
  return MqttKeyring.create(parseDeviceKey(readFileSync(path.join(dataDir, DEVICE_KEY_FILENAME), 'utf8')))
}

export async function connectAsEachDevice(url: string, keyring: MqttKeyring | string, options: IClientOptions): Promise<MqttClient> {
  const ring = typeof keyring === 'string' ? await keyringOfDataDir(keyring) : keyring
  const clients = new Map<string, Promise<MqttClient>>()
  const client = (topic: string) => {
    const deviceId = topic.split('/')[3]
    if (!deviceId) throw new Error(`no device id in topic ${topic}`)
    if (!clients.has(deviceId)) {
      clients.set(
        deviceId,
        ring.credentials({ type: 'device', deviceId }).then((c) => mqtt.connectAsync(url, { ...options, ...c, clientId: `${options.clientId ?? 'device'}-${deviceId}`.slice(0, 64) })),
      )
    }
    return clients.get(deviceId)!
  }
  const router = {
    publishAsync: async (topic: string, message: string | Buffer, opts?: mqtt.IClientPublishOptions) => (await client(topic)).publishAsync(topic, message, opts),
    endAsync: async (force?: boolean) => {
      for (const c of clients.values()) await (await c).endAsync(force)
    },
  }
  return router as unknown as MqttClient
}
