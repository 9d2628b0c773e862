/**
 * MQTT credentials for tests: one fixed device key (never used outside tests), the keyring derived
 * from it, and shortcuts for a device's and the service's username and password. The embedded test
 * broker checks them; the shared Mosquitto (anonymous, no password file) simply accepts them.
 */
import { MqttKeyring, parseDeviceKey, type MqttCredentials } from '../../contracts/mqtt-identity'

export const TEST_DEVICE_KEY = '7465737420646576696365206b657920666f722067656d656c6c6f2074657374'

let ring: Promise<MqttKeyring> | null = null
export function testKeyring(): Promise<MqttKeyring> {
  ring ??= MqttKeyring.create(parseDeviceKey(TEST_DEVICE_KEY))
  return ring
}

/** `{ username, password }` of device `deviceId`, ready to spread into mqtt.connect options. */
export async function deviceCredentials(deviceId: string): Promise<MqttCredentials> {
  return (await testKeyring()).credentials({ type: 'device', deviceId })
}

export async function serviceCredentials(): Promise<MqttCredentials> {
  return (await testKeyring()).credentials({ type: 'service' })
}
