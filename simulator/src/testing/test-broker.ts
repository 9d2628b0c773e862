/**
 * The broker an integration test runs against: an in-process aedes (MQTT 3.1.1) by default, or the
 * real broker at TEST_MQTT_URL when GEMELLO_TEST_TARGET=services (e.g. Mosquitto, which speaks MQTT 5).
 */
import { startAedesBroker } from './aedes-broker'

export const TEST_TARGET: 'embedded' | 'services' = process.env.GEMELLO_TEST_TARGET === 'services' ? 'services' : 'embedded'

export interface TestBroker {
  url: string
  close(): Promise<void>
}

export async function startTestBroker(): Promise<TestBroker> {
  if (TEST_TARGET === 'services') return { url: process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883', close: async () => {} }
  return startAedesBroker()
}
