/**
 * The broker adapter: the other place where the two run modes differ.
 *
 *  - embedded: aedes in this process, listening on MQTT_HOST:MQTT_PORT so outside devices and
 *    mosquitto_pub can publish. aedes speaks MQTT 3.1.1 only, so clients use protocol 4 with a
 *    persistent session (clean = false); its session store is in memory (lost on restart).
 *  - external: MQTT_URL (Mosquitto, EMQX…), MQTT 5 with a persistent session.
 */
import net from 'node:net'

export interface BrokerHandle {
  kind: 'embedded' | 'external'
  url: string
  protocolVersion: 4 | 5
  /** Connected clients (embedded only). */
  clients(): number | null
  close(): Promise<void>
}

export interface EmbeddedBrokerOptions {
  host: string
  port: number
  log?: { info(o: object, m?: string): void; warn(o: object, m?: string): void }
}

export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<BrokerHandle> {
  const { Aedes } = await import('aedes')
  const broker = await Aedes.createBroker({ concurrency: 1000, queueLimit: 10_000, drainTimeout: 10_000 })
  const server = net.createServer((socket) => {
    socket.setNoDelay(true)
    broker.handle(socket)
  })
  const port = await listenOrFallback(server, opts)
  const close = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      // Existing client sockets keep a server open; aedes closes them.
      broker.close(() => undefined)
    })
  }
  return { kind: 'embedded', url: `mqtt://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${port}`, protocolVersion: 4, clients: () => broker.connectedClients, close }
}

async function listenOrFallback(server: net.Server, opts: EmbeddedBrokerOptions): Promise<number> {
  try {
    return await listen(server, opts.host, opts.port)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || opts.port === 0) throw err
    const port = await listen(server, opts.host, 0)
    opts.log?.warn(
      { wanted: opts.port, using: port },
      `MQTT port ${opts.port} is taken (another MQTT broker, such as Mosquitto, is probably running there); the embedded broker listens on ${port} instead. Set MQTT_PORT to choose, or MQTT_URL to use that broker.`,
    )
    return port
  }
}

function listen(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.removeListener('error', onError)
      resolve((server.address() as net.AddressInfo).port)
    })
  })
}

export function externalBroker(url: string): BrokerHandle {
  return { kind: 'external', url, protocolVersion: 5, clients: () => null, close: async () => undefined }
}
