/** A real MQTT subscriber that records every message it receives (for integration tests). */
import type { Socket } from 'node:net'
import mqtt from 'mqtt'

export interface Received {
  topic: string
  payload: Buffer
  userProperties: Record<string, string | string[]> | undefined
}

export interface Collector {
  messages: Received[]
  /** Resolves once at least `n` messages have arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export async function collect(url: string, filter = 'gemello/v1/#', protocolVersion: 4 | 5 = 4): Promise<Collector> {
  const client = await mqtt.connectAsync(url, { protocolVersion, clientId: `gemello-test-sub-${Math.random().toString(16).slice(2, 10)}`, clean: true, reconnectPeriod: 0 })
  ;(client.stream as Partial<Socket>).setNoDelay?.(true)
  const messages: Received[] = []
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload, userProperties: packet.properties?.userProperties })
  })
  await client.subscribeAsync(filter, { qos: 1 })
  return {
    messages,
    async waitFor(n, timeoutMs = 30_000) {
      const deadline = performance.now() + timeoutMs
      while (messages.length < n) {
        if (performance.now() > deadline) throw new Error(`received ${messages.length} of ${n} messages within ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 10))
      }
    },
    close: () => client.endAsync(),
  }
}
