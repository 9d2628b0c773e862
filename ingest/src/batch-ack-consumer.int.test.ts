import { randomBytes } from 'node:crypto'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestBroker, type TestBroker } from '../../tests/helpers/test-broker'
import { waitFor } from '../../tests/helpers/wait-for'
import { BatchAckConsumer, type InboundMessage } from './batch-ack-consumer'
import { deviceCredentials, serviceCredentials } from '../../tests/helpers/test-mqtt-identity'

let broker: TestBroker
beforeAll(async () => {
  broker = await createTestBroker()
})
afterAll(async () => {
  await broker?.close()
})

/** A topic of a device of its own for each test: the device publishes, the consumer reads as the service (the broker's ACL). */
function deviceTopic(name: string): string {
  return `gemello/v1/traffic-loop/bac-${randomBytes(4).toString('hex')}/${name}`
}

async function publishAll(topic: string, n: number): Promise<void> {
  const pub = await mqtt.connectAsync(broker.url, { ...(await deviceCredentials(topic.split('/')[3]!)), protocolVersion: broker.protocolVersion, clientId: broker.clientId(`pub-${randomBytes(3).toString('hex')}`) })
  for (let i = 0; i < n; i++) await pub.publishAsync(topic, String(i), { qos: 1 })
  await pub.endAsync()
}

async function consumer(clientId: string, topic: string, maxInFlight: number, got: InboundMessage[]): Promise<BatchAckConsumer> {
  return new BatchAckConsumer({ url: broker.url, clientId, credentials: await serviceCredentials(), protocolVersion: broker.protocolVersion, subscriptions: [topic], maxInFlight, onMessage: (m) => got.push(m) })
}

describe('BatchAckConsumer (PUBACK only after ack)', () => {
  it('gets every un-acknowledged message again after a reconnect, and none once acknowledged', async () => {
    const topic = deviceTopic('ack')
    const id = broker.clientId('ack')
    const first: InboundMessage[] = []
    const a = await consumer(id, topic, 1000, first)
    await a.start()
    await publishAll(topic, 50)
    await waitFor(() => first.length === 50, 'first delivery')
    await a.stop() // nothing acked: the broker still owns all 50

    const second: InboundMessage[] = []
    const b = await consumer(id, topic, 1000, second)
    await b.start()
    await waitFor(() => second.length === 50, 'redelivery of the 50 un-acked messages')
    expect(second.map((m) => m.payload.toString()).sort((x, y) => Number(x) - Number(y))).toEqual(Array.from({ length: 50 }, (_, i) => String(i)))
    for (const m of second) m.ack()
    await new Promise((r) => setTimeout(r, 300))
    await b.stop()

    const third: InboundMessage[] = []
    const c = await consumer(id, topic, 1000, third)
    await c.start()
    await new Promise((r) => setTimeout(r, 800))
    expect(third).toHaveLength(0)
    await c.stop()
  })

  it('holds at most maxInFlight un-acknowledged messages, then continues as they are acknowledged', async () => {
    const topic = deviceTopic('window')
    const got: InboundMessage[] = []
    let maxPending = 0
    const c = new BatchAckConsumer({
      url: broker.url,
      clientId: broker.clientId('window'),
      credentials: await serviceCredentials(),
      protocolVersion: broker.protocolVersion,
      subscriptions: [topic],
      maxInFlight: 40,
      onMessage: (m) => {
        got.push(m)
        maxPending = Math.max(maxPending, c.pending)
      },
    })
    await c.start()
    await publishAll(topic, 300)
    await waitFor(() => got.length >= 40, 'first window')
    await new Promise((r) => setTimeout(r, 300))
    expect(got.length).toBeLessThanOrEqual(40)
    let acked = 0
    await waitFor(() => {
      while (acked < got.length) got[acked++]!.ack()
      return got.length === 300
    }, 'all 300 after acknowledging')
    expect(maxPending).toBeLessThanOrEqual(40)
    expect(new Set(got.map((m) => m.payload.toString())).size).toBe(300)
    await c.stop()
  })
})
