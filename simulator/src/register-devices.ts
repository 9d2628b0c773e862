/** `register` messages: a device announcing itself (topic gemello/v1/<kind>/<id>/register). */
import { randomBytes } from 'node:crypto'
import { registerTopic } from '../../contracts/events'
import type { MqttKeyring } from '../../contracts/mqtt-identity'
import type { DeviceRegistration } from '../../contracts/schemas/device'
import { STREAMS } from '../../contracts/schemas/reading'
import { PublisherPool } from './publisher-pool'
import type { SimDevice } from './stream-source'

export function registrationMessage(device: SimDevice): { topic: string; payload: Buffer } {
  const firstStream = Object.values(STREAMS[device.kind])[0]
  const declared = device.expectedIntervalS
  const expected = Number.isInteger(declared) && declared > 0 ? Math.min(declared, 7 * 86_400) : (firstStream?.defaultIntervalS ?? 60)
  const body: DeviceRegistration = { name: device.name ?? device.id, position: device.position, expectedIntervalS: expected }
  return { topic: registerTopic(device.kind, device.id), payload: Buffer.from(JSON.stringify(body)) }
}

/** Publishes every device's registration at QoS 1 and waits for the acks. */
export async function publishRegistrations(opts: { mqttUrl: string; protocolVersion: 4 | 5; devices: readonly SimDevice[]; maxPending?: number; keyring?: MqttKeyring | null }): Promise<number> {
  // With a keyring each device registers on its own connection, as itself.
  const identities = opts.keyring ? await Promise.all(opts.devices.map((d) => opts.keyring!.credentials({ type: 'device', deviceId: d.id }))) : undefined
  const pool = await PublisherPool.connect({
    mqttUrl: opts.mqttUrl,
    protocolVersion: opts.protocolVersion,
    connections: 1,
    ...(identities ? { identities } : {}),
    maxPending: opts.maxPending ?? 1000,
    clientIdPrefix: `gemello-register-${randomBytes(4).toString('hex')}`,
  })
  try {
    for (const [i, device] of opts.devices.entries()) {
      const m = registrationMessage(device)
      await pool.publish(identities ? i : 0, m.topic, m.payload)
    }
    await pool.drain(30_000)
    return pool.stats().acked
  } finally {
    await pool.close(0)
  }
}
