/**
 * Bench load generator (a child process): N generated loops publishing traffic readings at an
 * aggregate rate over C MQTT connections, QoS 1, with a bound on un-acked publishes per
 * connection (an unbounded mqtt.js queue spins once the pipeline pushes back).
 *
 * seq = the publish time in µs on the monotonic clock (shared by all processes on one machine):
 * monotonic per device, unique, and it lets the receiver compute publish→client latency from the
 * reading alone.
 *
 * With DEVICE_KEY in the environment each device has its own connection, authenticated as itself
 * (a broker with Gemello's ACL: the embedded one), and `connections` is ignored; without, C
 * anonymous connections carry all devices (a broker that allows it).
 *
 * argv: url protocolVersion devices ratePerS(0 = as fast as possible) durationS connections maxPending
 * Prints one JSON line with the totals when done.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { MqttKeyring, parseDeviceKey } from '../../contracts/mqtt-identity'

const [url, pv, devicesArg, rateArg, durationArg, connArg, pendingArg] = process.argv.slice(2)
const protocolVersion = Number(pv) as 4 | 5
const devices = Number(devicesArg)
const rate = Number(rateArg)
const durationMs = Number(durationArg) * 1000
const deviceKey = process.env.DEVICE_KEY ? parseDeviceKey(process.env.DEVICE_KEY) : null
const connections = deviceKey ? devices : Number(connArg)
const maxPending = Number(pendingArg)

export const benchDeviceId = (i: number) => `bench-${String(i).padStart(6, '0')}`
const nowUs = () => Number(process.hrtime.bigint() / 1000n)

interface Conn {
  client: MqttClient
  pending: number
}

async function main(): Promise<void> {
  const conns: Conn[] = []
  const keyring = deviceKey ? await MqttKeyring.create(deviceKey) : null
  for (let from = 0; from < connections; from += 200) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, connections - from) }, async (_, k) => {
        const i = from + k
        const auth = keyring ? await keyring.credentials({ type: 'device', deviceId: benchDeviceId(i) }) : {}
        const client = await mqtt.connectAsync(url!, { ...auth, protocolVersion, clientId: `bench-pub-${process.pid}-${i}`, clean: true, reconnectPeriod: 0 })
        ;(client.stream as unknown as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true)
        return { client, pending: 0 }
      }),
    )
    conns.push(...batch)
  }
  const lastObs = new Float64Array(devices)
  const lastSeq = new Array<number>(devices).fill(-1)
  let published = 0
  let acked = 0
  let waits = 0
  let errors = 0
  let next = 0
  const start = Date.now()
  const values = (i: number) => ({ flowVehH: 300 + (i % 900), occupancyPct: 5 + (i % 40), speedKmh: 30 + (i % 25), intervalS: 60 })

  const publishOne = (c: Conn) => {
    const d = next++ % devices
    let obs = Date.now()
    if (obs <= lastObs[d]!) obs = lastObs[d]! + 1
    lastObs[d] = obs
    let seq = nowUs()
    if (seq <= lastSeq[d]!) seq = lastSeq[d]! + 1
    lastSeq[d] = seq
    const id = benchDeviceId(d)
    c.pending++
    published++
    c.client.publish(`gemello/v1/traffic-loop/${id}/traffic`, JSON.stringify({ seq, observedAt: obs, values: values(published) }), { qos: 1 }, (err) => {
      c.pending--
      if (err) errors++
      else acked++
    })
  }

  // Pacing: every tick, publish what the schedule says is due, spread over the connections,
  // never exceeding maxPending un-acked publishes on a connection.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = Date.now() - start
      if (elapsed >= durationMs) return resolve()
      const due = rate > 0 ? Math.floor((elapsed * rate) / 1000) - published : Number.POSITIVE_INFINITY
      let sent = 0
      let blocked = false
      while (sent < due && sent < 5000) {
        const c = conns[published % connections]!
        if (c.pending >= maxPending) {
          blocked = true
          break
        }
        publishOne(c)
        sent++
      }
      if (blocked) waits++
      // More is due right now: continue at once; caught up or held back by acks: wait a moment.
      if (!blocked && sent < due) setImmediate(tick)
      else setTimeout(tick, 1)
    }
    tick()
  })
  const sendDone = Date.now()
  // Let the last acks arrive.
  const deadline = Date.now() + 30_000
  while (acked + errors < published && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  for (const c of conns) await c.client.endAsync()
  const perDeviceLastSeq: Record<string, number> = {}
  for (let d = 0; d < devices; d++) if (lastSeq[d]! >= 0) perDeviceLastSeq[benchDeviceId(d)] = lastSeq[d]!
  const cpu = process.cpuUsage()
  process.stdout.write(`${JSON.stringify({ published, acked, errors, waits, sendSeconds: (sendDone - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, perDeviceLastSeq })}\n`)
}

void main()
