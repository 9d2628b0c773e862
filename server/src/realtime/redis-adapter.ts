/**
 * The Socket.IO Redis adapter (ADR 0004 §1): lets any server process broadcast to rooms and
 * namespaces whose clients are on other processes, and act on them (disconnectSockets, fetchSockets,
 * serverSideEmit). It is NOT the live data path — each server cuts its clients' frames from its own
 * mirror — and it is at-most-once (Redis pub/sub), so anything an operator must see is also state
 * sent in snapshots. Load balancers must keep sessions sticky (docs/scale-out.md).
 */
import { createAdapter } from '@socket.io/redis-adapter'
import { createClient } from 'redis'
import type { Server } from 'socket.io'

export interface RedisAdapterHandle {
  adapter: Parameters<Server['adapter']>[0]
  connected(): boolean
  close(): Promise<void>
}

export async function createRedisAdapter(url: string, prefix: string, log?: { warn(o: object, m?: string): void }): Promise<RedisAdapterHandle> {
  const opts = { url, socket: { connectTimeout: 2000, reconnectStrategy: (n: number) => Math.min(100 + n * 100, 1000) } }
  const pub = createClient(opts)
  const sub = pub.duplicate()
  let warned = false
  for (const c of [pub, sub]) {
    c.on('error', (err: Error) => {
      if (!warned) log?.warn({ err: err.message }, 'Socket.IO Redis adapter: Redis unavailable; broadcasts reach this process only until it is back')
      warned = true
    })
    c.on('ready', () => {
      warned = false
    })
  }
  // Redis down at start: run without waiting; the clients connect when it is back.
  const wait = (c: typeof pub) => Promise.race([c.connect().then(() => undefined), new Promise<void>((r) => setTimeout(r, 3000).unref())]).catch(() => undefined)
  await Promise.all([wait(pub), wait(sub)])
  return {
    adapter: createAdapter(pub, sub, { key: `${prefix}-sio`, requestsTimeout: 3000 }),
    connected: () => pub.isReady && sub.isReady,
    close: async () => {
      // close(), not destroy(): the adapter holds subscription promises that destroy() would reject unhandled.
      await Promise.all([pub, sub].map((c) => (c.isOpen ? c.close().catch(() => undefined) : undefined)))
    },
  }
}
