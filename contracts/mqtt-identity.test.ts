import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { identityOfUsername, MqttKeyring, parseDeviceKey, SERVICE_USERNAME, usernameOf } from './mqtt-identity'
import { DEVICE_ID } from './events'

const KEY_HEX = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'

describe('MQTT identities', () => {
  it('derives a device password as base64url(HMAC-SHA256(key, "device\\0" + id))', async () => {
    const ring = await MqttKeyring.create(parseDeviceKey(KEY_HEX))
    const expected = createHmac('sha256', Buffer.from(KEY_HEX, 'hex')).update('device\0loop-450').digest('base64url')
    expect(await ring.password({ type: 'device', deviceId: 'loop-450' })).toBe(expected)
    expect(expected).toHaveLength(43)
  })

  it('gives the service and each gateway a password of their own purpose', async () => {
    const ring = await MqttKeyring.create(parseDeviceKey(KEY_HEX))
    const hmac = (s: string) => createHmac('sha256', Buffer.from(KEY_HEX, 'hex')).update(s).digest('base64url')
    expect(await ring.password({ type: 'service' })).toBe(hmac('service\0gemello'))
    expect(await ring.password({ type: 'gateway', name: 'orion' })).toBe(hmac('gateway\0orion'))
  })

  it('verifies the right password and refuses a wrong one, an unknown username or none', async () => {
    const ring = await MqttKeyring.create(parseDeviceKey(KEY_HEX))
    const { username, password } = await ring.credentials({ type: 'device', deviceId: 'ztl-12' })
    expect(await ring.verify(username, password)).toEqual({ type: 'device', deviceId: 'ztl-12' })
    expect(await ring.verify(username, Buffer.from(password))).toEqual({ type: 'device', deviceId: 'ztl-12' })
    expect(await ring.verify('ztl-13', password)).toBeNull()
    expect(await ring.verify(username, `${password.slice(0, -1)}A`)).toBeNull()
    expect(await ring.verify('not a device/id', password)).toBeNull()
    expect(await ring.verify(undefined, undefined)).toBeNull()
    const other = await MqttKeyring.create(parseDeviceKey(KEY_HEX.replace(/^00/, '01')))
    expect(await other.verify(username, password)).toBeNull()
  })

  it('reserves usernames no device id can take', () => {
    expect(DEVICE_ID.test(SERVICE_USERNAME)).toBe(false)
    expect(DEVICE_ID.test(usernameOf({ type: 'gateway', name: 'orion' }))).toBe(false)
    expect(identityOfUsername(SERVICE_USERNAME)).toEqual({ type: 'service' })
    expect(identityOfUsername('orion@fiware-gateway')).toEqual({ type: 'gateway', name: 'orion' })
    expect(identityOfUsername('loop-450')).toEqual({ type: 'device', deviceId: 'loop-450' })
    expect(identityOfUsername('@fiware-gateway')).toBeNull()
    expect(identityOfUsername('a:b')).toBeNull()
  })

  it('reads the key as hex or base64 and refuses short or malformed keys', () => {
    const bytes = Buffer.from(KEY_HEX, 'hex')
    expect(Buffer.from(parseDeviceKey(KEY_HEX))).toEqual(bytes)
    expect(Buffer.from(parseDeviceKey(bytes.toString('base64')))).toEqual(bytes)
    expect(Buffer.from(parseDeviceKey(bytes.toString('base64url')))).toEqual(bytes)
    expect(() => parseDeviceKey('abcd')).toThrow(/at least 32 bytes/)
    expect(() => parseDeviceKey('not a key!')).toThrow(/hex or base64/)
  })
})
