import { describe, expect, it } from 'vitest'
import { mosquittoPasswordHash, mosquittoPasswordLine } from './mosquitto-passwd'

describe('Mosquitto password hashes', () => {
  it('equal what mosquitto_passwd 2.0 wrote for the same salt', () => {
    // mosquitto_passwd -c -b pw devA secret (Mosquitto 2.0.11)
    const written = '$7$101$1uIABUnfS9bj17Ti$/1ecGnZLl5CKx3vqa44anqipfiIQ1c1t9qpOJxeqf/Zb8lFZk12zKap/vOicCBmeyvemvZfEavyi4L0Zd0vEPg=='
    const salt = Buffer.from(written.split('$')[3]!, 'base64')
    expect(mosquittoPasswordHash('secret', salt)).toBe(written)
  })

  it('refuses a username the file format cannot hold', () => {
    expect(() => mosquittoPasswordLine('a:b', 'x')).toThrow(/cannot be written/)
    expect(mosquittoPasswordLine('loop-450', 'x')).toMatch(/^loop-450:\$7\$101\$/)
  })
})
