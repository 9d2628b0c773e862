import { randomBytes } from 'node:crypto'
import mqtt from 'mqtt'
import { startEmbeddedBroker } from '../../server/src/broker/broker'
import { TEST_MQTT_URL, TEST_TARGET } from './test-env'
import { serviceCredentials, testKeyring } from './test-mqtt-identity'

export interface TestBroker {
  url: string
  protocolVersion: 4 | 5
  /** A client id unique to this run, so persistent sessions never leak between runs. */
  clientId(name: string): string
  /** Closes the embedded broker; on the shared Mosquitto, ends the persistent sessions this run made. */
  close(): Promise<void>
}

/**
 * Ends persistent sessions on a shared broker (MQTT 5 clean start, session expiry 0): otherwise every
 * test run leaves sessions that the broker keeps queueing messages for — for two weeks — and the shared
 * Mosquitto slows down run after run.
 */
export async function dropSessions(url: string, clientIds: Iterable<string>): Promise<void> {
  for (const clientId of clientIds) {
    const c = await mqtt.connectAsync(url, { ...(await serviceCredentials()), protocolVersion: 5, clientId, clean: true, reconnectPeriod: 0, connectTimeout: 3000, properties: { sessionExpiryInterval: 0 } }).catch(() => null)
    await c?.endAsync().catch(() => undefined)
  }
}

/** The embedded aedes broker on a random port, or the real Mosquitto (services mode). */
export async function createTestBroker(): Promise<TestBroker> {
  const run = randomBytes(4).toString('hex')
  const issued = new Set<string>()
  const clientId = (name: string) => {
    const id = `t-${name}-${run}`
    issued.add(id)
    return id
  }
  if (TEST_TARGET === 'services') {
    return { url: TEST_MQTT_URL, protocolVersion: 5, clientId, close: () => dropSessions(TEST_MQTT_URL, issued) }
  }
  // Authenticates and applies the ACL like production: connect with deviceCredentials()/serviceCredentials().
  const b = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, keyring: await testKeyring() })
  return { url: b.url, protocolVersion: 4, clientId, close: () => b.close() }
}
