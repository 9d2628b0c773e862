/**
 * The broker adapter: the other place where the two run modes differ.
 *
 *  - embedded: aedes in this process, listening on MQTT_HOST:MQTT_PORT so outside devices and
 *    mosquitto_pub can publish. aedes speaks MQTT 3.1.1 only, so clients use protocol 4 with a
 *    persistent session (clean = false); its session store is in memory (lost on restart).
 *  - external: MQTT_URL (Mosquitto, EMQX…), MQTT 5 with a persistent session.
 *
 * The embedded broker authenticates every client and applies the ACL of contracts/mqtt-acl.ts, as
 * the production Mosquitto does with deploy/mosquitto/{acl,passwd} (docs/broker.md).
 */
import net from 'node:net'
import type { Client } from 'aedes'
import { mqttAcl } from '../../../contracts/mqtt-acl'
import type { MqttIdentity, MqttKeyring } from '../../../contracts/mqtt-identity'
import type { MqttAuth } from './device-key'

export interface BrokerHandle {
  kind: 'embedded' | 'external'
  url: string
  protocolVersion: 4 | 5
  /** The credentials Gemello's own clients connect with (device-key.ts). */
  auth: MqttAuth
  /** Connected clients (embedded only). */
  clients(): number | null
  close(): Promise<void>
}

export interface EmbeddedBrokerOptions {
  host: string
  port: number
  /** Checks every client's password; no anonymous client is let in. */
  keyring: MqttKeyring
  log?: { info(o: object, m?: string): void; warn(o: object, m?: string): void }
}

/** CONNACK return codes of MQTT 3.1.1. */
const BAD_USERNAME_OR_PASSWORD = 4
const NOT_AUTHORIZED = 5

export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<BrokerHandle> {
  const { Aedes } = await import('aedes')
  const identities = new WeakMap<Client, MqttIdentity>()
  const { keyring, log } = opts
  const broker = await Aedes.createBroker({
    concurrency: 1000,
    queueLimit: 10_000,
    drainTimeout: 10_000,
    authenticate: (client, username, password, done) => {
      keyring.verify(username, password).then(
        (identity) => {
          if (identity) {
            identities.set(client, identity)
            return done(null, true)
          }
          const returnCode = username === undefined ? NOT_AUTHORIZED : BAD_USERNAME_OR_PASSWORD
          log?.warn({ clientId: client.id, username: username ?? null }, `MQTT connection refused: ${username === undefined ? 'no credentials' : 'bad username or password'}`)
          done(Object.assign(new Error(returnCode === NOT_AUTHORIZED ? 'not authorized' : 'bad username or password'), { returnCode }), false)
        },
        (err: Error) => done(Object.assign(err, { returnCode: NOT_AUTHORIZED }), false),
      )
    },
    // MQTT 3.1.1 has no negative PUBACK: a refused publish closes the connection (aedes).
    authorizePublish: (client, packet, done) => {
      if (!client) return done(null)
      const decision = mqttAcl(identities.get(client) ?? null, 'publish', packet.topic)
      if (decision.allowed) return done(null)
      log?.warn({ clientId: client.id }, `MQTT publish refused: ${decision.reason}`)
      done(new Error(decision.reason))
    },
    // A refused filter gets SUBACK 0x80; the others of the same SUBSCRIBE are granted.
    authorizeSubscribe: (client, sub, done) => {
      const decision = mqttAcl(identities.get(client) ?? null, 'subscribe', sub.topic)
      if (decision.allowed) return done(null, sub)
      log?.warn({ clientId: client.id }, `MQTT subscription refused: ${decision.reason}`)
      done(null, null)
    },
  })
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
  const auth: MqttAuth = { keyring, service: await keyring.credentials({ type: 'service' }) }
  return { kind: 'embedded', url: `mqtt://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${port}`, protocolVersion: 4, auth, clients: () => broker.connectedClients, close }
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

export function externalBroker(url: string, auth: MqttAuth = { keyring: null, service: null }): BrokerHandle {
  return { kind: 'external', url, protocolVersion: 5, auth, clients: () => null, close: async () => undefined }
}
