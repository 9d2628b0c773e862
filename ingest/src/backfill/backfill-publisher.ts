/**
 * Sends the gap scan's confirmations and re-send requests to the devices, on
 * `gemello/v1/<kind>/<deviceId>/cmd/backfill`, QoS 1, not retained, expiring after an hour (MQTT 5).
 * Its own connection (`<INGEST_CLIENT_ID>-cmd`, clean session): a command is worth nothing once a
 * newer scan has made it again, so nothing is kept across restarts.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { backfillTopic } from '../../../contracts/events'
import type { MqttCredentials } from '../../../contracts/mqtt-identity'
import type { BackfillOut } from './gap-job'

export class BackfillPublisher {
  private client: MqttClient | null = null
  sent = 0
  failed = 0

  /** `credentials`: the Gemello service identity, the only one the broker lets publish commands. */
  constructor(private readonly o: { url: string; clientId: string; protocolVersion: 4 | 5; credentials?: MqttCredentials | null }) {}

  start(): void {
    this.client = mqtt.connect(this.o.url, {
      clientId: `${this.o.clientId}-cmd`,
      ...(this.o.credentials ? { username: this.o.credentials.username, password: this.o.credentials.password } : {}),
      clean: true,
      protocolVersion: this.o.protocolVersion,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      log: () => undefined,
    })
    this.client.on('error', () => undefined)
  }

  async publish(out: BackfillOut[]): Promise<void> {
    const c = this.client
    // Not connected: drop; the next scan asks again.
    if (!c?.connected) {
      this.failed += out.length
      return
    }
    const props = this.o.protocolVersion === 5 ? { properties: { messageExpiryInterval: 3600 } } : {}
    // The broker may vanish mid-way: never hold the job longer than 5 s (unsent ones are asked again).
    const all = Promise.all(
      out.map((x) =>
        c.publishAsync(backfillTopic(x.kind, x.deviceId), JSON.stringify(x.request), { qos: 1, ...props }).then(
          () => void this.sent++,
          () => void this.failed++,
        ),
      ),
    )
    await Promise.race([all, new Promise((r) => setTimeout(r, 5000).unref())])
  }

  async stop(): Promise<void> {
    await this.client?.endAsync(true)
    this.client = null
  }
}
