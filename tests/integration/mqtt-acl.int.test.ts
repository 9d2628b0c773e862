/**
 * Device identity and ACL on both brokers (docs/broker.md, "Device identity and ACL"): the embedded
 * aedes with its hooks, and — under `npm run test:services` — a Mosquitto started here with the
 * production file deploy/mosquitto/mosquitto.conf, the repo's ACL file and a password file written
 * by the generator. The same cases run against both; what differs is only how a refusal shows
 * (aedes closes a connection that publishes where it may not; Mosquitto drops the message).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mosquittoAclFile } from '../../contracts/mqtt-acl'
import type { MqttIdentity } from '../../contracts/mqtt-identity'
import { startEmbeddedBroker, type BrokerHandle } from '../../server/src/broker/broker'
import { freePort } from '../helpers/free-port'
import { PRODUCTION_ACL, writeMosquittoConf } from '../helpers/mosquitto-conf'
import { TEST_TARGET } from '../helpers/test-env'
import { testKeyring } from '../helpers/test-mqtt-identity'
import { waitFor } from '../helpers/wait-for'

const A = 'acl-dev-a'
const B = 'acl-dev-b'
const reading = (id: string) => `gemello/v1/traffic-loop/${id}/traffic`
const cmd = (id: string) => `gemello/v1/traffic-loop/${id}/cmd/backfill`
const ack = (id: string) => `gemello/v1/signal-controller/${id}/ack/plan`

interface Target {
  url: string
  protocolVersion: 4 | 5
  close(): Promise<void>
}

async function connect(t: Target, identity: MqttIdentity | null, extra: Partial<IClientOptions> = {}): Promise<MqttClient> {
  const creds = identity ? await (await testKeyring()).credentials(identity) : {}
  return mqtt.connectAsync(t.url, { ...creds, protocolVersion: t.protocolVersion, clientId: `acl-${Math.random().toString(16).slice(2, 10)}`, reconnectPeriod: 0, connectTimeout: 5000, ...extra })
}

async function refused(p: Promise<MqttClient>): Promise<boolean> {
  try {
    const c = await p
    await c.endAsync(true)
    return false
  } catch {
    return true
  }
}

/** Publishes and swallows a refusal (aedes closes the connection; Mosquitto on MQTT 5 answers 0x87). */
async function tryPublish(t: Target, as: MqttIdentity, topic: string, payload: string): Promise<void> {
  const c = await connect(t, as)
  await Promise.race([c.publishAsync(topic, payload, { qos: 1 }).catch(() => undefined), new Promise((r) => setTimeout(r, 1000))])
  await c.endAsync(true).catch(() => undefined)
}

/** The cases every broker must pass; `more` adds cases that need this broker running. */
function behaviour(name: string, start: () => Promise<Target>, more?: () => void): void {
  describe(name, () => {
    let t: Target
    let service: MqttClient
    const seen: string[] = []
    beforeAll(async () => {
      t = await start()
      service = await connect(t, { type: 'service' })
      service.on('message', (topic, payload) => seen.push(`${topic} ${payload.toString()}`))
      await service.subscribeAsync('gemello/v1/#', { qos: 1 })
    }, 60_000)
    afterAll(async () => {
      await service?.endAsync(true)
      await t?.close()
    })

    it('lets a device in with its password, and refuses a wrong password, an unknown user and anonymous clients', async () => {
      const keyring = await testKeyring()
      expect(await refused(connect(t, { type: 'device', deviceId: A }))).toBe(false)
      const a = await keyring.credentials({ type: 'device', deviceId: A })
      expect(await refused(connect(t, null, { username: A, password: `${a.password.slice(0, -2)}xx` }))).toBe(true)
      expect(await refused(connect(t, null, { username: 'nobody@nowhere', password: a.password }))).toBe(true)
      expect(await refused(connect(t, null))).toBe(true)
    })

    it("delivers a device's own reading, and not one on another device's topic or on its own command topic", async () => {
      const c = await connect(t, { type: 'device', deviceId: A })
      await c.publishAsync(reading(A), 'own', { qos: 1 })
      await c.endAsync()
      await tryPublish(t, { type: 'device', deviceId: A }, reading(B), 'forged')
      await tryPublish(t, { type: 'device', deviceId: A }, cmd(A), 'self-command')
      await tryPublish(t, { type: 'gateway', name: 'acl-gw' }, reading(B), 'gateway-forged')
      const marker = await connect(t, { type: 'device', deviceId: B })
      await marker.publishAsync(reading(B), 'marker', { qos: 1 })
      await marker.endAsync()
      await waitFor(() => seen.includes(`${reading(B)} marker`), 'the marker after the refused publishes')
      expect(seen).toContain(`${reading(A)} own`)
      expect(seen.filter((m) => /forged|self-command/.test(m))).toEqual([])
    })

    it('sends commands only from the service, and only to the device they are for', async () => {
      const a = await connect(t, { type: 'device', deviceId: A })
      const b = await connect(t, { type: 'device', deviceId: B })
      const gotA: string[] = []
      const gotB: string[] = []
      a.on('message', (topic) => gotA.push(topic))
      b.on('message', (topic) => gotB.push(topic))
      await a.subscribeAsync(cmd(A), { qos: 1 })
      // aedes refuses the filter (SUBACK 0x80); Mosquitto grants it and never delivers what B may not read.
      await b.subscribeAsync(cmd(A), { qos: 1 }).catch(() => undefined)
      await b.subscribeAsync(cmd(B), { qos: 1 })
      await tryPublish(t, { type: 'device', deviceId: B }, cmd(A), '{"forged":true}')
      await service.publishAsync(cmd(A), '{"requestId":"r1"}', { qos: 1 })
      await service.publishAsync(cmd(B), '{"requestId":"r2"}', { qos: 1 })
      await waitFor(() => gotA.length >= 1 && gotB.length >= 1, 'the commands')
      await new Promise((r) => setTimeout(r, 300))
      expect(gotA).toEqual([cmd(A)])
      expect(gotB).toEqual([cmd(B)])
      await a.endAsync()
      await b.endAsync()
    })
    it("lets a device answer its own command (ack/), not another device's, and the service reads the answer", async () => {
      const got: string[] = []
      const deployer = await connect(t, { type: 'service' })
      deployer.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`))
      await deployer.subscribeAsync('gemello/v1/signal-controller/+/ack/plan', { qos: 1 })
      const a = await connect(t, { type: 'device', deviceId: A })
      await a.publishAsync(ack(A), 'own-ack', { qos: 1 })
      await a.endAsync()
      await tryPublish(t, { type: 'device', deviceId: A }, ack(B), 'forged-ack')
      await tryPublish(t, { type: 'gateway', name: 'acl-gw' }, ack(B), 'gateway-ack')
      const marker = await connect(t, { type: 'device', deviceId: B })
      await marker.publishAsync(ack(B), 'ack-marker', { qos: 1 })
      await marker.endAsync()
      await waitFor(() => got.includes(`${ack(B)} ack-marker`), 'the marker answer after the refused ones')
      expect(got).toContain(`${ack(A)} own-ack`)
      expect(got.filter((m) => /forged|gateway-ack/.test(m))).toEqual([])
      expect(seen.filter((m) => /forged|gateway-ack/.test(m))).toEqual([])
      await deployer.endAsync()
    })
    more?.()
  })
}

behaviour('MQTT identity and ACL on the embedded broker (aedes)', async () => {
  const b: BrokerHandle = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, keyring: await testKeyring() })
  return { url: b.url, protocolVersion: 4, close: () => b.close() }
})

const haveMosquitto = spawnSync('which', ['mosquitto']).status === 0 && spawnSync('which', ['openssl']).status === 0
let mosquitto: { dir: string; port: number; tlsPort: number; proc: ChildProcess; stderr: () => string } | null = null

async function startMosquitto(): Promise<Target> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gemello-mq-acl-'))
  const port = await freePort()
  const tlsPort = await freePort()
  const identities: MqttIdentity[] = [{ type: 'service' }, { type: 'gateway', name: 'acl-gw' }, { type: 'device', deviceId: A }, { type: 'device', deviceId: B }]
  const conf = await writeMosquittoConf({ dir, port, auth: 'production', keyring: await testKeyring(), identities, tlsPort })
  const proc = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const listening = (p: number) =>
    new Promise<boolean>((r) => {
      const s = net.connect(p, '127.0.0.1')
      s.on('connect', () => {
        s.end()
        r(true)
      })
      s.on('error', () => r(false))
    })
  await waitFor(async () => (await listening(port)) && (await listening(tlsPort)), `mosquitto to listen (${stderr})`, 10_000)
  mosquitto = { dir, port, tlsPort, proc, stderr: () => stderr }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    protocolVersion: 5,
    close: async () => {
      const exited = proc.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => proc.once('exit', () => r()))
      proc.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
    },
  }
}

describe('deploy/mosquitto/acl', () => {
  it('is what the generator prints from contracts/mqtt-acl.ts (npm run mqtt-credentials -- acl)', () => {
    expect(readFileSync(PRODUCTION_ACL, 'utf8')).toBe(mosquittoAclFile())
  })
})

describe.skipIf(TEST_TARGET !== 'services' || !haveMosquitto)('the production Mosquitto configuration', () => {
  behaviour('MQTT identity and ACL on Mosquitto (deploy/mosquitto/mosquitto.conf)', startMosquitto, () => {
    it('lets the service read through the ingest\'s shared subscription', async () => {
      const m = mosquitto!
      const target: Target = { url: `mqtt://127.0.0.1:${m.port}`, protocolVersion: 5, close: async () => undefined }
      const ingest = await connect(target, { type: 'service' })
      const got: string[] = []
      ingest.on('message', (topic) => got.push(topic))
      await ingest.subscribeAsync('$share/acl/gemello/v1/+/+/+', { qos: 1 })
      const a = await connect(target, { type: 'device', deviceId: A })
      await a.publishAsync(reading(A), 'shared', { qos: 1 })
      await waitFor(() => got.includes(reading(A)), 'the reading through $share')
      await a.endAsync()
      await ingest.endAsync()
    })

    it('accepts MQTT over TLS with the CA on the TLS listener, and refuses plain MQTT there', async () => {
      const m = mosquitto!
      const ca = readFileSync(path.join(m.dir, 'ca.crt'))
      const creds = await (await testKeyring()).credentials({ type: 'device', deviceId: A })
      const tls = await mqtt.connectAsync(`mqtts://127.0.0.1:${m.tlsPort}`, { ...creds, ca, protocolVersion: 5, clientId: 'acl-tls', reconnectPeriod: 0, connectTimeout: 5000 })
      await tls.publishAsync(reading(A), 'over tls', { qos: 1 })
      await tls.endAsync()
      expect(await refused(mqtt.connectAsync(`mqtt://127.0.0.1:${m.tlsPort}`, { ...creds, protocolVersion: 5, clientId: 'acl-plain', reconnectPeriod: 0, connectTimeout: 3000 }))).toBe(true)
      expect(await refused(mqtt.connectAsync(`mqtts://127.0.0.1:${m.tlsPort}`, { ...creds, protocolVersion: 5, clientId: 'acl-no-ca', reconnectPeriod: 0, connectTimeout: 3000, rejectUnauthorized: true }))).toBe(true)
      // Mosquitto logs the plain client's failed handshake, and nothing else went wrong.
      expect(m.stderr()).toMatch(/wrong version number/)
      expect(m.stderr().replace(/.*OpenSSL Error.*\n?/g, '')).not.toMatch(/Error/)
    })
  })
})
