/**
 * Load mode for benchmarks: N generated traffic loops publish at an aggregate rate, evenly paced,
 * QoS 1, with the same bound on un-acknowledged publishes as the simulator.
 */
import { randomBytes } from 'node:crypto'
import { readingTopic } from '../../contracts/events'
import type { MqttKeyring } from '../../contracts/mqtt-identity'
import type { TrafficValues } from '../../contracts/schemas/reading'
import { mulberry32, unitHash } from './prng'
import { PublisherPool } from './publisher-pool'
import type { SimLogger } from './simulator'
import type { SimDevice } from './stream-source'
import { bprSpeedKmh, LANE_CAPACITY_VEH_H, occupancyPct, round } from './traffic-model'

/** Generated devices lie in this box (central Bologna). */
export const LOAD_BBOX = { west: 11.28, south: 44.47, east: 11.4, north: 44.52 } as const

export function loadDeviceId(i: number): string {
  return `load-${String(i).padStart(6, '0')}`
}

/** The generated devices `load-000001` … with deterministic positions; the caller registers them. */
export function loadDevices(n: number, seed: number, expectedIntervalS = 60): SimDevice[] {
  if (!Number.isInteger(n) || n < 1 || n > 999_999) throw new Error(`load devices must be an integer 1–999999, got ${n}`)
  return Array.from({ length: n }, (_, k) => {
    const i = k + 1
    const id = loadDeviceId(i)
    const lon = LOAD_BBOX.west + (LOAD_BBOX.east - LOAD_BBOX.west) * unitHash(seed, 'load-lon', id)
    const lat = LOAD_BBOX.south + (LOAD_BBOX.north - LOAD_BBOX.south) * unitHash(seed, 'load-lat', id)
    return {
      id,
      kind: 'traffic-loop' as const,
      name: `Load loop ${String(i).padStart(6, '0')}`,
      position: [round(lon, 6), round(lat, 6)] as [number, number],
      expectedIntervalS,
      props: { generated: 'load' },
    }
  })
}

export interface LoadOptions {
  mqttUrl: string
  protocolVersion?: 4 | 5
  /** How many generated devices take turns (round robin). */
  devices: number
  /** Aggregate readings per second. */
  ratePerS: number
  connections?: number
  maxPending?: number
  seed: number
  /** Stop after this long (default: run until stop() or `count`). */
  durationS?: number
  /** Stop after this many readings. */
  count?: number
  kind?: 'traffic-loop'
  /** Called for each publish: the benchmark's log for MQTT 3.1.1, matched by (deviceId, seq). */
  onPublish?: (event: LoadPublishEvent) => void
  log?: SimLogger
  clientIdPrefix?: string
  /** Each generated device connects as itself (one connection each; `connections` is ignored). */
  keyring?: MqttKeyring | null
}

export interface LoadPublishEvent {
  deviceId: string
  seq: number
  /** process.hrtime.bigint() at publish (CLOCK_MONOTONIC, comparable across processes on one machine). */
  hrtime: bigint
  topic: string
  connection: number
}

export interface LoadReport {
  devices: number
  connections: number
  protocolVersion: 4 | 5
  offeredRatePerS: number
  elapsedS: number
  sent: number
  acked: number
  errors: number
  pending: number
  /** sent / elapsed. */
  achievedRatePerS: number
  ackedRatePerS: number
  /** Highest un-acknowledged count seen on one connection, and the bound. */
  maxPendingSeen: number
  pendingBound: number
  /** Times the bound made the generator wait for acks, the total wait, and when it first waited (s into the run). */
  pendingWaits: number
  pendingWaitMs: number
  firstWaitAtS: number | null
  /** Readings behind the ideal schedule at the end (the generator could not keep the offered rate). */
  behind: number
  /** This process' CPU (user + system) over the run, % of one core. */
  cpuPct: number
}

export interface LoadRun {
  /** Resolves with the final report when `durationS` or `count` is reached (or after stop()). */
  done: Promise<LoadReport>
  stop(): Promise<LoadReport>
  stats(): LoadReport
}

/** The largest burst per pacing tick: 5 ms worth of readings (at least 1). */
const TICK_BURST_S = 0.005

export async function startLoad(opts: LoadOptions): Promise<LoadRun> {
  if (!(opts.ratePerS > 0)) throw new Error(`ratePerS must be > 0, got ${opts.ratePerS}`)
  if ((opts.kind ?? 'traffic-loop') !== 'traffic-loop') throw new Error('load mode generates traffic-loop readings only')
  const devices = loadDevices(opts.devices, opts.seed)
  const protocolVersion = opts.protocolVersion ?? 4
  const identities = opts.keyring ? await Promise.all(devices.map((d) => opts.keyring!.credentials({ type: 'device', deviceId: d.id }))) : undefined
  const pool = await PublisherPool.connect({
    mqttUrl: opts.mqttUrl,
    protocolVersion,
    connections: opts.connections ?? 4,
    ...(identities ? { identities } : {}),
    maxPending: opts.maxPending ?? 1000,
    clientIdPrefix: opts.clientIdPrefix ?? `gemello-load-${randomBytes(4).toString('hex')}`,
    log: (m) => opts.log?.warn(m),
  })
  const topics = devices.map((d) => readingTopic(d.kind, d.id, 'traffic'))
  const lastObserved = new Float64Array(devices.length)
  const rng = mulberry32(opts.seed)
  const total = opts.count ?? Number.POSITIVE_INFINITY
  const stampTime = protocolVersion === 5 || opts.onPublish !== undefined
  const maxBurst = Math.max(1, Math.ceil(opts.ratePerS * TICK_BURST_S))
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  let issued = 0
  let stopped = false
  let endedAt: number | null = null
  let cpuAtEnd: NodeJS.CpuUsage | null = null
  let sleepTimer: NodeJS.Timeout | null = null
  let wake: (() => void) | null = null

  const report = (): LoadReport => {
    const elapsedS = ((endedAt ?? performance.now()) - t0) / 1000
    const p = pool.stats()
    const cpu = cpuAtEnd ?? process.cpuUsage(cpu0)
    const ideal = Math.min(total, Math.floor(elapsedS * opts.ratePerS))
    return {
      devices: devices.length,
      connections: p.connections,
      protocolVersion,
      offeredRatePerS: opts.ratePerS,
      elapsedS: round(elapsedS, 3),
      sent: p.sent,
      acked: p.acked,
      errors: p.errors,
      pending: p.pending,
      achievedRatePerS: Math.round(p.sent / Math.max(elapsedS, 1e-9)),
      ackedRatePerS: Math.round(p.acked / Math.max(elapsedS, 1e-9)),
      maxPendingSeen: p.maxPendingSeen,
      pendingBound: p.bound,
      pendingWaits: p.waits,
      pendingWaitMs: Math.round(p.waitMs),
      firstWaitAtS: p.firstWaitAt === null ? null : round((p.firstWaitAt - t0) / 1000, 3),
      behind: Math.max(0, ideal - p.sent),
      cpuPct: round(((cpu.user + cpu.system) / 1000 / Math.max(elapsedS * 1000, 1e-9)) * 100, 1),
    }
  }

  const publishOne = (): void => {
    const d = issued % devices.length
    const device = devices[d] as SimDevice
    const topic = topics[d] as string
    const connection = d % pool.size
    // seq = observedAt in ms: monotonic per device, and a restarted generator continues the sequence.
    const observedAt = Math.max(Date.now(), (lastObserved[d] ?? 0) + 1)
    lastObserved[d] = observedAt
    const payload = JSON.stringify({ seq: observedAt, observedAt, values: loadValues(rng) })
    const hrtime = stampTime ? process.hrtime.bigint() : 0n
    opts.onPublish?.({ deviceId: device.id, seq: observedAt, hrtime, topic, connection })
    const properties = protocolVersion === 5 ? { userProperties: { sentAtHr: hrtime.toString() } } : undefined
    pool.tryPublish(connection, topic, payload, undefined, properties)
    issued++
  }

  const run = async (): Promise<LoadReport> => {
    while (!stopped && issued < total) {
      const elapsedS = (performance.now() - t0) / 1000
      if (opts.durationS !== undefined && elapsedS >= opts.durationS) break
      const due = Math.min(total, Math.floor(elapsedS * opts.ratePerS)) - issued
      const burst = Math.min(due, maxBurst)
      for (let i = 0; i < burst && !stopped; i++) {
        const connection = (issued % devices.length) % pool.size
        if (!pool.writable(connection)) await pool.whenWritable(connection)
        if (stopped) break
        publishOne()
      }
      if (due > maxBurst) {
        // Behind schedule: yield so acks are processed, then go on at once.
        await new Promise((r) => setImmediate(r))
        continue
      }
      const nextAtMs = ((issued + 1) / opts.ratePerS) * 1000 - (performance.now() - t0)
      await new Promise<void>((resolve) => {
        wake = resolve
        sleepTimer = setTimeout(resolve, Math.max(1, nextAtMs))
      })
      wake = null
    }
    endedAt = performance.now()
    cpuAtEnd = process.cpuUsage(cpu0)
    await pool.drain(10_000)
    const final = report()
    await pool.close(0)
    return final
  }

  const done = run()
  return {
    done,
    stop: async () => {
      stopped = true
      if (sleepTimer) clearTimeout(sleepTimer)
      ;(wake as (() => void) | null)?.()
      // A loop waiting for acks from a broker that went away is released by closing the pool.
      const unstick = setTimeout(() => void pool.close(0), 5000)
      try {
        return await done
      } finally {
        clearTimeout(unstick)
      }
    },
    stats: report,
  }
}

/** Plausible one-minute traffic values, cheap to make. */
function loadValues(rng: () => number): TrafficValues {
  const vehicles = Math.floor(rng() * 40)
  const flowVehH = vehicles * 60
  const speedKmh = round(bprSpeedKmh(flowVehH, LANE_CAPACITY_VEH_H) * (0.97 + 0.06 * rng()), 1)
  return { flowVehH, occupancyPct: round(occupancyPct(flowVehH, speedKmh), 2), speedKmh, intervalS: 60, lane: null }
}
