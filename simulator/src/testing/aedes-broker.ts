/**
 * A real in-process MQTT 3.1.1 broker (aedes) on a TCP port, with TCP_NODELAY on its sockets, for
 * integration tests and local benchmarks. Run directly to keep one up:
 *   npx tsx simulator/src/testing/aedes-broker.ts [port]
 */
import net from 'node:net'
import { pathToFileURL } from 'node:url'
import { Aedes } from 'aedes'

export interface EmbeddedBroker {
  url: string
  port: number
  broker: Aedes
  close(): Promise<void>
}

export async function startAedesBroker(port = 0, host = '127.0.0.1'): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker()
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    socket.setNoDelay(true)
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    broker.handle(socket)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as net.AddressInfo
  return {
    url: `mqtt://${host}:${address.port}`,
    port: address.port,
    broker,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await new Promise<void>((resolve) => broker.close(() => resolve()))
    },
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const b = await startAedesBroker(Number(process.argv[2] ?? 1883))
  console.log(`aedes broker on ${b.url} (MQTT 3.1.1); Ctrl-C to stop`)
  const shutdown = () => void b.close().then(() => process.exit(0))
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}
