/**
 * The simulator's scheduler: every stream's next observation in one time-ordered queue, published
 * in (time, stream) order whatever the wall-clock timing, so a fixed clock gives a fixed sequence.
 */
import { readingTopic, REGISTER_STREAM } from '../../contracts/events'
import { DueQueue } from './due-queue'
import { FAULT_TYPES, type FaultInjector, type FaultType, type MalformedVariant } from './faults'
import type { PublisherPool } from './publisher-pool'
import { registrationMessage } from './register-devices'
import type { SimClock } from './sim-clock'
import type { SimulatorOptions, SimulatorStats } from './simulator'
import { alignDown, seqOf, type SimDevice, type StreamSource } from './stream-source'
import type { TrafficSourceInfo } from './traffic-loop-stream'

interface DeviceState {
  device: SimDevice
  connection: number
  skewMs: number
  silentAfter: number | null
  readings: number
}

interface Slot {
  due: number
  readonly index: number
  readonly src: StreamSource
  readonly device: DeviceState
  /** First observation this run (late re-sends never go before it). */
  readonly first: number
}

interface OutMessage {
  topic: string
  payload: Buffer
  seq: number | null
  observedAtMs: number | null
  fault: FaultType | null
  malformed: MalformedVariant | null
}

export class Scheduler {
  private readonly queue = new DueQueue<Slot>()
  private readonly devices: DeviceState[]
  private readonly published: Record<string, Record<string, number>> = {}
  private readonly missing: Record<string, Record<string, number>> = {}
  private readonly faultCounts = Object.fromEntries(FAULT_TYPES.map((f) => [f, 0])) as Record<FaultType, number>
  private readonly malformedCounts: Partial<Record<MalformedVariant, number>> = {}
  private readonly trafficSummary: SimulatorStats['trafficSources']
  private messages = 0
  private registered = 0
  private stopping = false
  private idle = false
  private loop: Promise<void> | null = null
  private wake: (() => void) | null = null
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly opts: SimulatorOptions,
    private readonly clock: SimClock,
    private readonly pool: PublisherPool,
    private readonly faults: FaultInjector,
    private readonly streams: StreamSource[],
    connections: number,
    trafficSources: Record<string, TrafficSourceInfo>,
  ) {
    const byId = new Map<string, DeviceState>()
    this.devices = opts.devices.map((device, i) => {
      const state = { device, connection: i % connections, skewMs: faults.clockOffsetMs(device.id), silentAfter: faults.silentAfter(device.id), readings: 0 }
      byId.set(device.id, state)
      return state
    })
    const start = clock.startAtMs
    streams.forEach((src, index) => {
      const device = byId.get(src.deviceId)
      if (!device) return
      const first = alignDown(start, src.intervalMs, src.offsetMs)
      this.queue.push({ due: first, index, src, device, first })
    })
    const infos = Object.values(trafficSources)
    this.trafficSummary = {
      own: infos.filter((i) => i.mode === 'own').length,
      borrowed: infos.filter((i) => i.mode === 'borrowed').length,
      synthetic: infos.filter((i) => i.mode === 'synthetic').length,
      byDevice: trafficSources,
    }
  }

  describe(): string {
    const t = this.trafficSummary
    return (
      `simulator: ${this.devices.length} devices, ${this.streams.length} streams on ${this.pool.size} MQTT connections; ` +
      `traffic loops: ${t.own} replay their own counts, ${t.borrowed} borrow the nearest loop's, ${t.synthetic} synthetic; ` +
      `simulated clock from ${new Date(this.clock.startAtMs).toISOString()} at ×${this.clock.speed}` +
      (this.faults.enabled ? `; FAULT INJECTION ON (${JSON.stringify(this.opts.faults)})` : '')
    )
  }

  async registerAll(): Promise<void> {
    for (const state of this.devices) {
      const m = registrationMessage(state.device)
      await this.send(state, REGISTER_STREAM, { ...m, seq: null, observedAtMs: null, fault: null, malformed: null })
      this.registered++
    }
  }

  start(): void {
    this.loop = this.run().catch((err: unknown) => {
      if (!this.stopping) this.opts.log?.warn(`simulator stopped on an error: ${(err as Error).message}`)
    })
  }

  private async run(): Promise<void> {
    let sinceYield = 0
    while (!this.stopping) {
      const now = this.clock.now()
      let top = this.queue.peek()
      while (top && top.due <= now && !this.stopping) {
        this.idle = false
        this.queue.pop()
        await this.emit(top)
        top.due += top.src.intervalMs
        this.queue.push(top)
        top = this.queue.peek()
        // Let acks and timers run during a long catch-up.
        if (++sinceYield >= 1000) {
          sinceYield = 0
          await new Promise((r) => setImmediate(r))
        }
      }
      if (this.stopping) break
      this.idle = true
      const delay = top ? Math.min(1000, Math.max(1, this.clock.wallMsUntil(top.due))) : 1000
      await new Promise<void>((resolve) => {
        this.wake = resolve
        this.timer = setTimeout(resolve, delay)
      })
      this.wake = null
    }
  }

  private async emit(slot: Slot): Promise<void> {
    const { src, device } = slot
    const t = slot.due
    const values = src.valuesAt(t)
    if (values === null) {
      bump(this.missing, src.kind, src.stream)
      return
    }
    if (device.silentAfter !== null && device.readings >= device.silentAfter) {
      this.faultCounts.silent++
      return
    }
    device.readings++
    const observedAt = t + device.skewMs
    const seq = seqOf(observedAt, src.intervalMs)
    const topic = readingTopic(src.kind, src.deviceId, src.stream)
    const good: OutMessage = { topic, payload: Buffer.from(JSON.stringify({ seq, observedAt, values })), seq, observedAtMs: observedAt, fault: device.skewMs !== 0 ? 'clock_skew' : null, malformed: null }
    const fault = this.faults.pick(src.deviceId, src.stream, seq)
    if (fault === 'malformed') {
      const bad = this.faults.malform(src.kind, src.deviceId, src.stream, { seq, observedAt, values })
      this.faultCounts.malformed++
      this.malformedCounts[bad.variant] = (this.malformedCounts[bad.variant] ?? 0) + 1
      await this.send(device, src.stream, { ...good, topic: bad.topic, payload: bad.payload, fault: 'malformed', malformed: bad.variant })
      return
    }
    if (good.fault === 'clock_skew') this.faultCounts.clock_skew++
    await this.send(device, src.stream, good)
    bump(this.published, src.kind, src.stream)
    if (fault === 'duplicate') {
      this.faultCounts.duplicate++
      await this.send(device, src.stream, { ...good, fault: 'duplicate' })
    } else if (fault === 'late') {
      const lateT = t - this.faults.lateIntervals(src.deviceId, src.stream, seq) * src.intervalMs
      const lateValues = lateT >= slot.first ? src.valuesAt(lateT) : null
      if (lateValues !== null) {
        const lateObserved = lateT + device.skewMs
        const lateSeq = seqOf(lateObserved, src.intervalMs)
        this.faultCounts.late++
        await this.send(device, src.stream, {
          topic,
          payload: Buffer.from(JSON.stringify({ seq: lateSeq, observedAt: lateObserved, values: lateValues })),
          seq: lateSeq,
          observedAtMs: lateObserved,
          fault: 'late',
          malformed: null,
        })
      }
    }
  }

  private async send(device: DeviceState, stream: string, m: OutMessage): Promise<void> {
    const conn = device.connection
    while (!this.pool.writable(conn)) {
      if (this.stopping) return
      await this.pool.whenWritable(conn)
    }
    if (this.stopping) return
    this.messages++
    this.opts.onPublish?.({
      topic: m.topic,
      payload: m.payload,
      deviceId: device.device.id,
      kind: device.device.kind,
      stream,
      seq: m.seq,
      observedAtMs: m.observedAtMs,
      fault: m.fault,
      malformed: m.malformed,
      connection: conn,
      hrtime: process.hrtime.bigint(),
    })
    this.pool.tryPublish(conn, m.topic, m.payload)
  }

  async settled(timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const top = this.queue.peek()
      const due = top !== undefined && top.due <= this.clock.now()
      if (this.idle && !due && this.clock.caughtUp() && this.pool.pending() === 0) return
      if (performance.now() > deadline) throw new Error(`simulator did not settle within ${timeoutMs} ms (pending ${this.pool.pending()}, caught up ${this.clock.caughtUp()})`)
      await new Promise((r) => setTimeout(r, 5))
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return
    this.stopping = true
    if (this.timer) clearTimeout(this.timer)
    this.wake?.()
    // Close first: a loop waiting for acks from a dead broker is released when the pool closes.
    await this.pool.close(5000)
    await this.loop
  }

  stats(): SimulatorStats {
    const p = this.pool.stats()
    const fd: SimulatorStats['faultDevices'] = { clockAhead: [], clockBehind: [], silent: [] }
    for (const d of this.devices) {
      if (d.skewMs > 0) fd.clockAhead.push(d.device.id)
      if (d.skewMs < 0) fd.clockBehind.push(d.device.id)
      if (d.silentAfter !== null) fd.silent.push(d.device.id)
    }
    return {
      simNowMs: this.clock.now(),
      realNowMs: this.clock.realNow(),
      caughtUp: this.clock.caughtUp(),
      devices: this.devices.length,
      streams: this.streams.length,
      published: structuredClone(this.published),
      messages: this.messages,
      registered: this.registered,
      acked: p.acked,
      errors: p.errors,
      pending: p.pending,
      maxPendingSeen: p.maxPendingSeen,
      pendingBound: p.bound,
      pendingWaits: p.waits,
      pendingWaitMs: Math.round(p.waitMs),
      reconnects: p.reconnects,
      missing: structuredClone(this.missing),
      faults: { ...this.faultCounts },
      malformed: { ...this.malformedCounts },
      faultDevices: fd,
      trafficSources: this.trafficSummary,
    }
  }
}

function bump(table: Record<string, Record<string, number>>, kind: string, stream: string): void {
  const row = (table[kind] ??= {})
  row[stream] = (row[stream] ?? 0) + 1
}
