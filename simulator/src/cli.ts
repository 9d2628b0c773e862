/**
 * Command line for the device simulator and its load mode. See docs/simulator.md.
 *
 *   tsx simulator/src/cli.ts --api http://127.0.0.1:8080 [--mqtt mqtt://127.0.0.1:1883] [--speed 60 --catch-up 120]
 *   tsx simulator/src/cli.ts --load 10000:20000 --duration 30 [--register]
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { DeviceSchema } from '../../contracts/schemas/device'
import { MqttKeyring, parseDeviceKey } from '../../contracts/mqtt-identity'
import { FAULT_TYPES, type FaultOptions, type FaultType } from './faults'
import { loadDevices, startLoad, type LoadReport } from './load'
import { publishRegistrations } from './register-devices'
import { startSimulator, type SimulatorStats } from './simulator'
import type { SimDevice } from './stream-source'

const USAGE = `Gemello device simulator

  simulate --api <gemello url> [options]          the registered devices publish their readings
  simulate --load <devices>:<rate/s> [options]    benchmark load: generated devices load-000001…

Options (environment in brackets):
  --mqtt <url>            broker URL [MQTT_URL] (default mqtt://127.0.0.1:1883)
                          devices authenticate with passwords derived from [DEVICE_KEY] or [DEVICE_KEY_FILE],
                          else from an embedded Gemello's [DATA_DIR]/mqtt-device-key if there is one;
                          with none, --connections anonymous connections (a broker that allows them)
  --protocol <4|5>        MQTT 3.1.1 or 5 (default 4; the embedded aedes broker speaks only 3.1.1)
  --api <url>             Gemello base URL; devices come from GET <url>/api/devices?limit=10000
  --city-data <dir>       folder with bologna-opendata/ [CITY_DATA_DIR] (default ../shared/data)
  --no-city-data          run without the real data (traffic on a synthetic profile, no air quality)
  --seed <n>              [SIM_SEED] (default 42)
  --speed <x>             simulated seconds per second [SIM_SPEED] (default 1)
  --catch-up <minutes>    with --speed > 1: start this far in the past and catch up to now
  --faults <rate>         inject faults (0–1); --fault-kinds ${FAULT_TYPES.join(',')}
  --register              publish each device's register message first
  --connections <n>       MQTT publisher connections (default 4)
  --max-pending <n>       un-acknowledged publishes per connection (default 1000)
  --load <n>:<rate>       load mode: n generated devices, rate readings/s in total
  --duration <s>          load mode: stop after s seconds (default: until Ctrl-C)
  --count <n>             load mode: stop after n readings
  --stats-every <s>       stats line interval (default 10)
  -h, --help`

const ListDevicesSchema = z.object({
  total: z.number().int(),
  devices: z.array(DeviceSchema.pick({ id: true, kind: true, name: true, position: true, expectedIntervalS: true, props: true })),
})

function fail(message: string): never {
  console.error(`simulate: ${message}\n\n${USAGE}`)
  process.exit(2)
}

function num(name: string, raw: string | undefined, fallback: number, check: (n: number) => boolean = Number.isFinite): number {
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!check(n)) fail(`${name} must be a valid number, got "${raw}"`)
  return n
}

async function fetchDevices(api: string): Promise<SimDevice[]> {
  const out: SimDevice[] = []
  for (let offset = 0; ; ) {
    const url = `${api.replace(/\/$/, '')}/api/devices?limit=10000&offset=${offset}`
    let res: Response
    try {
      res = await fetch(url)
    } catch (err) {
      throw new Error(`cannot reach ${url}: ${(err as Error).message}. Is the Gemello server running?`)
    }
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status} ${res.statusText}`)
    const body = ListDevicesSchema.safeParse(await res.json())
    if (!body.success) throw new Error(`GET ${url}: unexpected response: ${body.error.message}`)
    out.push(...body.data.devices)
    offset += body.data.devices.length
    if (body.data.devices.length === 0 || offset >= body.data.total) return out
  }
}

function simLine(s: SimulatorStats): string {
  const byKind = Object.entries(s.published)
    .map(([kind, streams]) => `${kind} ${Object.values(streams).reduce((a, b) => a + b, 0)}`)
    .join(', ')
  const total = Object.values(s.published).reduce((a, st) => a + Object.values(st).reduce((x, y) => x + y, 0), 0)
  const faults = Object.entries(s.faults)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')
  const missing = Object.values(s.missing).reduce((a, st) => a + Object.values(st).reduce((x, y) => x + y, 0), 0)
  return (
    `[sim ${new Date(s.simNowMs).toISOString()}${s.caughtUp ? ' live' : ' catching up'}] published ${total} (${byKind || '-'}) | ` +
    `acked ${s.acked}, pending ${s.pending} (max ${s.maxPendingSeen}/${s.pendingBound}, waited ${s.pendingWaits}× ${s.pendingWaitMs} ms), errors ${s.errors}` +
    (missing ? ` | no source value ${missing}` : '') +
    (faults ? ` | faults: ${faults}` : '')
  )
}

function loadLine(r: LoadReport): string {
  return (
    `[load ${r.elapsedS.toFixed(1)} s] sent ${r.sent} (${r.achievedRatePerS}/s of ${r.offeredRatePerS}/s), acked ${r.acked}, ` +
    `pending ${r.pending} (max ${r.maxPendingSeen}/${r.pendingBound}, waited ${r.pendingWaits}× ${r.pendingWaitMs} ms), behind ${r.behind}, CPU ${r.cpuPct}%`
  )
}

/** The device key the way Gemello reads it (docs/broker.md), or null: then the devices connect anonymously. */
async function keyringFromEnv(env: NodeJS.ProcessEnv): Promise<MqttKeyring | null> {
  const file = env.DEVICE_KEY_FILE ?? path.join(env.DATA_DIR ?? '.gemello-data', 'mqtt-device-key')
  const text = env.DEVICE_KEY ?? (existsSync(file) ? readFileSync(file, 'utf8') : null)
  return text === null ? null : MqttKeyring.create(parseDeviceKey(text))
}

async function main(): Promise<void> {
  const { values: a } = parseArgs({
    options: {
      mqtt: { type: 'string' },
      protocol: { type: 'string' },
      api: { type: 'string' },
      'city-data': { type: 'string' },
      'no-city-data': { type: 'boolean' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      'catch-up': { type: 'string' },
      faults: { type: 'string' },
      'fault-kinds': { type: 'string' },
      register: { type: 'boolean' },
      connections: { type: 'string' },
      'max-pending': { type: 'string' },
      load: { type: 'string' },
      duration: { type: 'string' },
      count: { type: 'string' },
      'stats-every': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  })
  if (a.help) {
    console.log(USAGE)
    return
  }
  const env = process.env
  const mqttUrl = a.mqtt ?? env.MQTT_URL ?? 'mqtt://127.0.0.1:1883'
  const protocolVersion = num('--protocol', a.protocol, 4, (n) => n === 4 || n === 5) as 4 | 5
  const seed = num('--seed', a.seed ?? env.SIM_SEED, 42, Number.isInteger)
  const connections = num('--connections', a.connections, 4, (n) => Number.isInteger(n) && n >= 1 && n <= 64)
  const maxPending = num('--max-pending', a['max-pending'], 1000, (n) => Number.isInteger(n) && n >= 1)
  const statsEveryMs = num('--stats-every', a['stats-every'], 10, (n) => n > 0) * 1000
  const keyring = await keyringFromEnv(env)
  let stopping = false
  const onSignal = (stop: () => Promise<unknown>) => {
    const handler = (signal: string) => {
      if (stopping) process.exit(1)
      stopping = true
      console.error(`simulate: ${signal}, stopping…`)
      void stop().then(() => process.exit(0))
    }
    process.on('SIGINT', handler)
    process.on('SIGTERM', handler)
  }

  if (a.load !== undefined) {
    const m = /^(\d+):(\d+(?:\.\d+)?)$/.exec(a.load)
    if (!m) fail(`--load must be <devices>:<rate per second>, e.g. 10000:20000; got "${a.load}"`)
    const devices = Number(m[1])
    const ratePerS = Number(m[2])
    if (a.register) {
      const n = await publishRegistrations({ mqttUrl, protocolVersion, devices: loadDevices(devices, seed), keyring })
      console.error(`simulate: registered ${n} load devices`)
    }
    const run = await startLoad({
      mqttUrl,
      protocolVersion,
      devices,
      ratePerS,
      connections,
      maxPending,
      seed,
      keyring,
      durationS: a.duration === undefined ? undefined : num('--duration', a.duration, 0, (n) => n > 0),
      count: a.count === undefined ? undefined : num('--count', a.count, 0, (n) => Number.isInteger(n) && n > 0),
      log: { info: (msg) => console.error(msg), warn: (msg) => console.error(msg) },
    })
    const timer = setInterval(() => console.error(loadLine(run.stats())), statsEveryMs)
    onSignal(async () => {
      clearInterval(timer)
      console.log(JSON.stringify(await run.stop()))
    })
    const report = await run.done
    clearInterval(timer)
    if (!stopping) console.log(JSON.stringify(report))
    return
  }

  if (!a.api) fail('give --api <gemello base url> to load the registered devices (or --load for benchmark load)')
  const devices = await fetchDevices(a.api)
  if (devices.length === 0) fail(`${a.api} has no devices registered; import the city first`)
  const cityDataDir = a['no-city-data'] ? null : path.resolve(a['city-data'] ?? env.CITY_DATA_DIR ?? '../shared/data')
  const speed = num('--speed', a.speed ?? env.SIM_SPEED, 1, (n) => n > 0 && n <= 100_000)
  const catchUpMs = num('--catch-up', a['catch-up'], 0, (n) => n >= 0) * 60_000
  if (catchUpMs > 7 * 86_400_000) console.error('simulate: warning: readings older than 7 days are refused by the ingest')
  if (catchUpMs > 0 && speed <= 1) console.error('simulate: warning: --catch-up needs --speed > 1 to ever reach the present; ignored')
  let faults: FaultOptions | undefined
  if (a.faults !== undefined) {
    const rate = num('--faults', a.faults, 0, (n) => n >= 0 && n <= 1)
    const kinds = a['fault-kinds']?.split(',').map((k) => k.trim()) as FaultType[] | undefined
    faults = kinds ? { rate, kinds } : { rate }
  }
  const sim = await startSimulator({
    mqttUrl,
    protocolVersion,
    devices,
    cityDataDir,
    seed,
    speed,
    catchUpMs,
    connections,
    maxPending,
    register: a.register ?? false,
    keyring,
    faults,
    log: { info: (msg) => console.error(msg), warn: (msg) => console.error(`warning: ${msg}`) },
  })
  const timer = setInterval(() => console.error(simLine(sim.stats())), statsEveryMs)
  onSignal(async () => {
    clearInterval(timer)
    await sim.stop()
    console.error(simLine(sim.stats()))
  })
}

main().catch((err: unknown) => {
  console.error(`simulate: ${(err as Error).message}`)
  process.exit(1)
})
