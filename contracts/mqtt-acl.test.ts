import { describe, expect, it } from 'vitest'
import { filterCovers, mosquittoAclFile, mqttAcl, topicMatches } from './mqtt-acl'
import type { MqttIdentity } from './mqtt-identity'

const device: MqttIdentity = { type: 'device', deviceId: 'loop-450' }
const service: MqttIdentity = { type: 'service' }
const gateway: MqttIdentity = { type: 'gateway', name: 'orion' }
const ok = (i: MqttIdentity | null, a: 'publish' | 'subscribe', t: string) => mqttAcl(i, a, t).allowed

describe('mqttAcl', () => {
  it('lets a device publish its own readings and registration, under any kind', () => {
    expect(ok(device, 'publish', 'gemello/v1/traffic-loop/loop-450/traffic')).toBe(true)
    expect(ok(device, 'publish', 'gemello/v1/traffic-loop/loop-450/register')).toBe(true)
  })

  it("refuses a device another device's topics, commands, FIWARE and anything outside gemello/v1", () => {
    expect(ok(device, 'publish', 'gemello/v1/traffic-loop/loop-451/traffic')).toBe(false)
    expect(ok(device, 'publish', 'gemello/v1/traffic-loop/loop-450/cmd/backfill')).toBe(false)
    expect(ok(device, 'publish', 'gemello/v1/traffic-loop/loop-451/cmd/backfill')).toBe(false)
    expect(ok(device, 'publish', 'gemello/v1/fiware/TrafficFlowObserved')).toBe(false)
    expect(ok(device, 'publish', 'gemello/v1/traffic-loop/loop-450/traffic/extra')).toBe(false)
    expect(ok(device, 'publish', 'other/loop-450')).toBe(false)
  })

  it("lets a device answer its own commands (6 levels under ack/), not another device's, and not as a reading", () => {
    const sig: MqttIdentity = { type: 'device', deviceId: 'signal-209' }
    expect(ok(sig, 'publish', 'gemello/v1/signal-controller/signal-209/ack/plan')).toBe(true)
    expect(ok(sig, 'publish', 'gemello/v1/signal-controller/signal-210/ack/plan')).toBe(false)
    expect(ok(sig, 'publish', 'gemello/v1/signal-controller/signal-209/ack/plan/extra')).toBe(false)
    expect(ok(sig, 'publish', 'gemello/v1/signal-controller/signal-209/cmd/plan')).toBe(false)
    expect(ok(gateway, 'publish', 'gemello/v1/signal-controller/signal-209/ack/plan')).toBe(false)
    // The service reads every answer (the deploy manager's subscription); the ingest's 5-level filter never matches one.
    expect(ok(service, 'subscribe', 'gemello/v1/signal-controller/+/ack/plan')).toBe(true)
    expect(topicMatches('gemello/v1/+/+/+', 'gemello/v1/signal-controller/signal-209/ack/plan')).toBe(false)
    expect(ok(sig, 'subscribe', 'gemello/v1/signal-controller/+/ack/plan')).toBe(false)
  })

  it('lets a device subscribe to its own commands only', () => {
    expect(ok(device, 'subscribe', 'gemello/v1/traffic-loop/loop-450/cmd/backfill')).toBe(true)
    expect(ok(device, 'subscribe', 'gemello/v1/+/loop-450/cmd/#')).toBe(true)
    expect(ok(device, 'subscribe', 'gemello/v1/traffic-loop/loop-451/cmd/backfill')).toBe(false)
    expect(ok(device, 'subscribe', 'gemello/v1/+/+/cmd/backfill')).toBe(false)
    expect(ok(device, 'subscribe', 'gemello/v1/traffic-loop/loop-450/traffic')).toBe(false)
    expect(ok(device, 'subscribe', '#')).toBe(false)
  })

  it('lets only the service publish commands, and read what the ingest subscribes to (shared or not)', () => {
    expect(ok(service, 'publish', 'gemello/v1/traffic-loop/loop-450/cmd/backfill')).toBe(true)
    expect(ok(service, 'subscribe', 'gemello/v1/+/+/+')).toBe(true)
    expect(ok(service, 'subscribe', '$share/gemello/gemello/v1/+/+/+')).toBe(true)
    expect(ok(service, 'subscribe', '$share/gemello/gemello/v1/fiware/+')).toBe(true)
    expect(ok(service, 'publish', 'gemello/v1/traffic-loop/loop-450/traffic')).toBe(false)
    expect(ok(service, 'subscribe', '#')).toBe(false)
  })

  it('lets a FIWARE gateway publish entities and nothing else', () => {
    expect(ok(gateway, 'publish', 'gemello/v1/fiware/TrafficFlowObserved')).toBe(true)
    expect(ok(gateway, 'publish', 'gemello/v1/traffic-loop/loop-450/traffic')).toBe(false)
    expect(ok(gateway, 'publish', 'gemello/v1/traffic-loop/loop-450/cmd/backfill')).toBe(false)
    expect(ok(gateway, 'subscribe', 'gemello/v1/#')).toBe(false)
  })

  it('refuses anonymous clients and says why', () => {
    expect(mqttAcl(null, 'publish', 'gemello/v1/traffic-loop/loop-450/traffic')).toEqual({ allowed: false, reason: 'not authenticated' })
    expect(mqttAcl(device, 'publish', 'gemello/v1/traffic-loop/loop-451/traffic')).toEqual({ allowed: false, reason: 'loop-450 may not publish to gemello/v1/traffic-loop/loop-451/traffic' })
  })
})

describe('topic matching', () => {
  it('matches names against filters as MQTT does', () => {
    expect(topicMatches('a/+/c', 'a/b/c')).toBe(true)
    expect(topicMatches('a/#', 'a')).toBe(true)
    expect(topicMatches('a/+', 'a/b/c')).toBe(false)
    expect(topicMatches('#', '$SYS/x')).toBe(false)
  })
  it('says when one filter covers another', () => {
    expect(filterCovers('a/#', 'a/+/c')).toBe(true)
    expect(filterCovers('a/+/c', 'a/+/c')).toBe(true)
    expect(filterCovers('a/b/c', 'a/+/c')).toBe(false)
    expect(filterCovers('a/+', 'a/#')).toBe(false)
  })
})

describe('mosquittoAclFile', () => {
  it('writes pattern rules for devices and user blocks for the service and each gateway', () => {
    const text = mosquittoAclFile(['orion'])
    expect(text).toMatch(/^pattern write gemello\/v1\/\+\/%u\/\+$/m)
    expect(text).toMatch(/^pattern read gemello\/v1\/\+\/%u\/cmd\/#$/m)
    expect(text).toMatch(/^pattern write gemello\/v1\/\+\/%u\/ack\/\+$/m)
    expect(text).toMatch(/^user gemello@service$/m)
    expect(text).toMatch(/^user orion@fiware-gateway$/m)
  })
})
