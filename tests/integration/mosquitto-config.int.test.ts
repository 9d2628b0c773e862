/**
 * The production broker file (deploy/mosquitto/mosquitto.conf) is accepted by a real Mosquitto and
 * gives the ingest the window it needs: many un-acknowledged QoS 1 messages in flight at once
 * (Mosquitto's default of 20 would throttle the batch acknowledgement).
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import mqtt from 'mqtt'
import { describe, expect, it } from 'vitest'
import { BatchAckConsumer, type InboundMessage } from '../../ingest/src/batch-ack-consumer'
import { TEST_TARGET } from '../helpers/test-env'
import { waitFor } from '../helpers/wait-for'
import { freePort } from '../helpers/free-port'
import { writeMosquittoConf } from '../helpers/mosquitto-conf'
import { testKeyring } from '../helpers/test-mqtt-identity'


const haveMosquitto = spawnSync('which', ['mosquitto']).status === 0

describe.skipIf(TEST_TARGET !== 'services' || !haveMosquitto)('deploy/mosquitto/mosquitto.conf', () => {
  it('starts Mosquitto and lets the ingest hold hundreds of messages un-acknowledged', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gemello-mq-'))
    const port = await freePort()
    // The whole production file, authentication included: the ingest is the service, the publisher a device.
    const keyring = await testKeyring()
    const conf = await writeMosquittoConf({ dir, port, auth: 'production', keyring, identities: [{ type: 'service' }, { type: 'device', deviceId: 'cfg-dev' }], tlsPort: await freePort() })
    const broker = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    broker.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    try {
      const url = `mqtt://127.0.0.1:${port}`
      const listening = () =>
        new Promise<boolean>((r) => {
          const s = net.connect(port, '127.0.0.1')
          s.on('connect', () => {
            s.end()
            r(true)
          })
          s.on('error', () => r(false))
        })
      await waitFor(listening, `mosquitto to listen (${stderr})`, 10_000)
      const got: InboundMessage[] = []
      const topic = 'gemello/v1/traffic-loop/cfg-dev/traffic'
      const consumer = new BatchAckConsumer({ url, clientId: 'cfg-test', credentials: await keyring.credentials({ type: 'service' }), protocolVersion: 5, subscriptions: ['gemello/v1/#'], maxInFlight: 1000, onMessage: (m) => got.push(m) })
      await consumer.start()
      const pub = await mqtt.connectAsync(url, { ...(await keyring.credentials({ type: 'device', deviceId: 'cfg-dev' })), protocolVersion: 5, clientId: 'cfg-pub' })
      await Promise.all(Array.from({ length: 500 }, (_, i) => pub.publishAsync(topic, String(i), { qos: 1 })))
      await waitFor(() => got.length === 500, 'all 500 delivered while none is acknowledged')
      for (const m of got) m.ack()
      await pub.endAsync()
      await consumer.stop()
      expect(stderr).not.toMatch(/Error/)
    } finally {
      // Mosquitto writes its persistence file while it shuts down: remove the directory only
      // once the process has exited, or rmdir races the write (ENOTEMPTY).
      const exited = broker.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => broker.once('exit', () => r()))
      broker.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
    }
  })
})
