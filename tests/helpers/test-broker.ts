import { randomBytes } from 'node:crypto'
import { startEmbeddedBroker } from '../../server/src/broker/broker'
import { TEST_MQTT_URL, TEST_TARGET } from './test-env'

export interface TestBroker {
  url: string
  protocolVersion: 4 | 5
  /** A client id unique to this run, so persistent sessions never leak between runs. */
  clientId(name: string): string
  close(): Promise<void>
}

/** The embedded aedes broker on a random port, or the real Mosquitto (services mode). */
export async function createTestBroker(): Promise<TestBroker> {
  const run = randomBytes(4).toString('hex')
  const clientId = (name: string) => `t-${name}-${run}`
  if (TEST_TARGET === 'services') {
    return { url: TEST_MQTT_URL, protocolVersion: 5, clientId, close: async () => undefined }
  }
  const b = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 })
  return { url: b.url, protocolVersion: 4, clientId, close: () => b.close() }
}
