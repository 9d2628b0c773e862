/**
 * The device simulator: the registered Bologna devices publish their readings over MQTT, QoS 1, on
 * the topic grammar of contracts/events.ts, as real devices would. See docs/simulator.md.
 */
import { randomBytes } from 'node:crypto'
import type { MqttKeyring } from '../../contracts/mqtt-identity'
import { planCommandSubscription } from '../../contracts/signal-deploy'
import { buildStreams } from './build-streams'
import { FaultInjector, type FaultOptions, type FaultType, type MalformedVariant } from './faults'
import { PublisherPool } from './publisher-pool'
import { Scheduler } from './scheduler'
import { SimClock } from './sim-clock'
import { controllerIdOf, PlanHistory, SignalControllerSim, type SignalControllerFaults } from './signal-controller-sim'
import type { SimDevice } from './stream-source'
import type { TrafficSourceInfo } from './traffic-loop-stream'

export type { SimDevice } from './stream-source'
export type { FaultOptions, FaultType } from './faults'
export type { SignalControllerSim } from './signal-controller-sim'

/** How the simulated signal controllers take plans from Gemello (signal-controller-sim.ts). */
export interface SignalControllerOptions {
  /** Default true when there is a keyring (plans are signed with a key derived from it); false: they ignore commands. */
  enabled?: boolean
  /** Fast mode: switch at the next switch point or after at most this many wall ms (tests, demos). */
  switchWithinMs?: number | null
  /** Faults per device id: `silent` never answers, `tamper` alters the plan before checking its hash. */
  faults?: Record<string, SignalControllerFaults>
}

export interface SimLogger {
  info(msg: string): void
  warn(msg: string): void
}

export interface SimulatorOptions {
  mqttUrl: string
  /** MQTT protocol: 4 = 3.1.1 (default; the embedded aedes broker speaks only 3.1.1), 5 = MQTT 5. */
  protocolVersion?: 4 | 5
  devices: SimDevice[]
  /** Folder holding bologna-opendata/ (the real data); null runs traffic loops on a synthetic profile and air quality not at all. */
  cityDataDir: string | null
  seed: number
  /** Simulated seconds per wall second (default 1). */
  speed?: number
  /** Simulated start, epoch ms. Default: now − (speed > 1 ? catchUpMs : 0). */
  startAt?: number
  /** With speed > 1 and no startAt: how far back the simulated clock starts (default 0). */
  catchUpMs?: number
  /** Anonymous MQTT publisher connections, devices spread over them (default 4); ignored with `keyring`. */
  connections?: number
  /**
   * Derives each device's password (contracts/mqtt-identity.ts): then every device has its own
   * connection, authenticated as itself — what a broker with Gemello's ACL requires.
   */
  keyring?: MqttKeyring | null
  /** Un-acknowledged publishes allowed per connection before the simulator waits (default 1000). */
  maxPending?: number
  /** Publish each device's `register` message on start (default false: devices come from the registry). */
  register?: boolean
  faults?: FaultOptions
  /** The real clock, epoch ms (default Date.now); simulated time never passes it. */
  clock?: () => number
  log?: SimLogger
  /** Called for every message handed to MQTT (readings, fault messages, registrations). */
  onPublish?: (event: PublishEvent) => void
  /** Prefix of the MQTT client ids (default `gemello-sim-<random>`). */
  clientIdPrefix?: string
  /** Signal controllers subscribe to their cmd/plan topic and take deployed plans (needs `keyring`). */
  signalControllers?: SignalControllerOptions
}

export interface PublishEvent {
  topic: string
  payload: Buffer
  deviceId: string
  kind: string
  /** Stream name, or `register`. */
  stream: string
  /** The reading's seq (also for faulty copies); null for registrations. */
  seq: number | null
  observedAtMs: number | null
  fault: FaultType | null
  malformed: MalformedVariant | null
  connection: number
  /** process.hrtime.bigint() just before the publish. */
  hrtime: bigint
}

export interface SimulatorStats {
  simNowMs: number
  realNowMs: number
  caughtUp: boolean
  devices: number
  streams: number
  /** Readings published, by kind and stream (not counting fault copies or malformed replacements). */
  published: Record<string, Record<string, number>>
  /** Every message handed to MQTT: readings, fault messages, registrations. */
  messages: number
  registered: number
  acked: number
  errors: number
  pending: number
  maxPendingSeen: number
  pendingBound: number
  /** Times the pending bound made the simulator wait for acks, and for how long in total. */
  pendingWaits: number
  pendingWaitMs: number
  reconnects: number
  /** Observations with no source value (empty ARPAE cells): nothing published, as a real station would. */
  missing: Record<string, Record<string, number>>
  faults: Record<FaultType, number>
  malformed: Partial<Record<MalformedVariant, number>>
  faultDevices: { clockAhead: string[]; clockBehind: string[]; silent: string[] }
  trafficSources: { own: number; borrowed: number; synthetic: number; byDevice: Record<string, TrafficSourceInfo> }
}

export interface Simulator {
  /** Stops scheduling, waits (up to 5 s) for outstanding acks and disconnects. */
  stop(): Promise<void>
  stats(): SimulatorStats
  /** Simulated now, epoch ms. */
  simNow(): number
  /**
   * Resolves once the simulated clock has caught up with the real one, every due reading is
   * published and every publish acknowledged. Meant for tests and benchmarks with a fixed clock.
   */
  settled(timeoutMs?: number): Promise<void>
  /** The simulated signal controllers taking plans, by device id (faults can be changed at run time). */
  controllers: ReadonlyMap<string, SignalControllerSim>
}

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const speed = opts.speed ?? 1
  // Validate the clock options before any slow work.
  new SimClock({ speed, startAtMs: opts.startAt, catchUpMs: opts.catchUpMs ?? 0, clock: opts.clock })
  const histories = new Map(opts.devices.filter((d) => d.kind === 'signal-controller').map((d) => [d.id, new PlanHistory()]))
  const built = buildStreams(opts.devices, opts.cityDataDir, opts.seed, histories)
  const faults = new FaultInjector(opts.faults, opts.seed)
  const identities = opts.keyring ? await Promise.all(opts.devices.map((d) => opts.keyring!.credentials({ type: 'device', deviceId: d.id }))) : undefined
  const connections = identities ? identities.length : (opts.connections ?? 4)
  const pool = await PublisherPool.connect({
    mqttUrl: opts.mqttUrl,
    protocolVersion: opts.protocolVersion ?? 4,
    connections,
    ...(identities ? { identities } : {}),
    maxPending: opts.maxPending ?? 1000,
    clientIdPrefix: opts.clientIdPrefix ?? `gemello-sim-${randomBytes(4).toString('hex')}`,
    log: (m) => opts.log?.warn(m),
  })
  // The simulated clock starts now that data is loaded and the broker connected: a fast clock would
  // otherwise run through part of the window before the first reading.
  const clock = new SimClock({ speed, startAtMs: opts.startAt, catchUpMs: opts.catchUpMs ?? 0, clock: opts.clock })
  const sim = new Scheduler(opts, clock, pool, faults, built.streams, connections, built.trafficSources)
  const controllers = await startControllers(opts, pool, clock, histories)
  for (const gap of built.airQualityGaps) opts.log?.warn(`air quality ${gap.deviceId}: pollutant ${gap.pollutant} not published (${gap.reason})`)
  opts.log?.info(sim.describe())
  if (opts.register) await sim.registerAll()
  sim.start()
  return {
    stop: async () => {
      for (const c of controllers.values()) c.stop()
      await sim.stop()
    },
    stats: () => sim.stats(),
    simNow: () => clock.now(),
    settled: (timeoutMs) => sim.settled(timeoutMs),
    controllers,
  }
}

/**
 * Every simulated signal controller subscribes to its own cmd/plan topic on its own connection and
 * answers on its ack/plan topic (the ACL allows exactly these). Needs the keyring: the plan key
 * that verifies Gemello's signature is derived from the device key like the device's password.
 */
async function startControllers(opts: SimulatorOptions, pool: PublisherPool, clock: SimClock, histories: Map<string, PlanHistory>): Promise<Map<string, SignalControllerSim>> {
  const out = new Map<string, SignalControllerSim>()
  const o = opts.signalControllers ?? {}
  if (histories.size === 0 || o.enabled === false) return out
  if (!opts.keyring) {
    opts.log?.info(`simulator: the ${histories.size} signal controllers do not take plans (no device key to verify them with)`)
    return out
  }
  for (const [index, device] of opts.devices.entries()) {
    const history = histories.get(device.id)
    if (!history) continue
    const ctrl = new SignalControllerSim({
      deviceId: device.id,
      controllerId: controllerIdOf(device),
      planKey: await opts.keyring.planKey(device.id),
      history,
      now: () => clock.now(),
      wallMsUntil: (t) => clock.wallMsUntil(t),
      publish: (topic, payload) =>
        new Promise<void>((resolve) => {
          const failed = (err: Error) => {
            opts.log?.warn(`signal controller ${device.id}: answer not delivered: ${err.message}`)
            resolve()
          }
          pool.publish(index, topic, payload, (err) => (err ? failed(err) : resolve())).catch(failed)
        }),
      switchWithinMs: o.switchWithinMs ?? null,
      faults: o.faults?.[device.id] ?? {},
      defaultCycleS: Math.min(600, Math.max(10, Number(device.props.cycleS) || 90)),
      log: (m) => opts.log?.info(m),
    })
    await pool.subscribe(index, planCommandSubscription(device.id), (payload) => void ctrl.handle(payload))
    out.set(device.id, ctrl)
  }
  opts.log?.info(`simulator: ${out.size} signal controllers take plans on their cmd/plan topics`)
  return out
}
