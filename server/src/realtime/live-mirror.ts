/**
 * The server's in-memory mirror of the live city: every device and the latest state of each of
 * its streams, plus a log of recent changes numbered by a sequence (the delta log).
 *
 * Snapshots are cut from the mirror synchronously, so a snapshot and the sequence number it is
 * valid at always agree. Changes enter the log from two sources: committed readings (via the
 * live bus) and the staleness sweep (a stream silent for 3× its interval turns
 * uncertain_stale, 10× bad_no_comm — the change is pushed like any other).
 */
import { randomBytes } from 'node:crypto'
import type { Device } from '../../../contracts/schemas/device'
import { liveQuality, NO_COMM_AFTER_INTERVALS, STALE_AFTER_INTERVALS, streamIntervalS, type LiveDevice, type LiveState } from '../../../contracts/schemas/live-state'
import type { Bbox, StreamCursor } from '../../../contracts/events'
import type { Db } from '../db/adapter'
import { loadDevices, loadLatest, toLiveDevice, type LatestRow } from '../db/devices'
import type { ValidReading } from '../db/readings'

export interface LogEntry {
  seq: number
  states: LiveState[]
  devices: LiveDevice[]
}

export interface Filter {
  layers: ReadonlySet<string>
  bbox?: Bbox
}

export const stateKey = (deviceId: string, stream: string) => `${deviceId}\u0000${stream}`

/** The next instant a state's age-based quality can change: past 3×, then 10× its interval; never after that. */
export function nextQualityChangeAt(observedAtMs: number, intervalS: number, nowMs: number): number {
  for (const n of [STALE_AFTER_INTERVALS, NO_COMM_AFTER_INTERVALS]) {
    const at = observedAtMs + n * intervalS * 1000
    if (nowMs <= at) return at + 1
  }
  return Infinity
}

/** Rows compared per slice of a resync before yielding to the event loop. */
const RESYNC_SLICE = 2_000
const yieldToLoop = () => new Promise<void>((r) => setImmediate(r))

export class LiveMirror {
  /** Changes whenever the process starts: a client holding another epoch's cursor needs a snapshot. */
  readonly epoch = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`
  private seq = 0
  private readonly devices = new Map<string, LiveDevice>()

  /** Devices in the mirror (metrics). */
  deviceCount(): number {
    return this.devices.size
  }
  private readonly states = new Map<string, LiveState>()
  /** When the sweep must judge a state again (epoch ms); absent = at the next sweep. */
  private readonly recheckAt = new Map<string, number>()
  private readonly log: LogEntry[] = []
  private readonly listeners = new Set<(entry: LogEntry) => void>()

  constructor(private readonly opts: { retainEntries: number; now?: () => number } = { retainEntries: 20_000 }) {}

  get cursor(): StreamCursor {
    return { epoch: this.epoch, seq: this.seq }
  }
  now(): number {
    return this.opts.now ? this.opts.now() : Date.now()
  }

  async load(db: Db): Promise<void> {
    const [devices, latest] = await Promise.all([loadDevices(db), loadLatest(db)])
    for (const d of devices) this.devices.set(d.id, toLiveDevice(d))
    for (const l of latest) {
      const s = this.toState(l)
      if (s) this.states.set(stateKey(s.deviceId, s.stream), s)
    }
  }

  hasDevice(id: string): boolean {
    return this.devices.has(id)
  }

  /**
   * Re-reads devices and latest states from the database and applies what differs (ADR 0004 §1):
   * forward-only, so only real changes enter the delta log and clients get ordinary deltas. Run
   * when the live feed may have missed something. Returns how many devices and states changed.
   */
  async resync(db: Db): Promise<{ devices: number; states: number }> {
    const [devices, latest] = await Promise.all([loadDevices(db), loadLatest(db)])
    // In slices, yielding between them: at 50,000 devices the comparison is ~1 s of CPU, and one
    // synchronous second every minute froze every screen's frames (bench:scale, server loop lag).
    // Safe to interleave: the live feed may advance a state in between; advance() is forward-only.
    // Each slice's changes enter the log at once, so the log keeps the mirror's order.
    let changedDevices = 0
    for (let i = 0; i < devices.length; i += RESYNC_SLICE) {
      if (i > 0) await yieldToLoop()
      const changed: LiveDevice[] = []
      for (const d of devices.slice(i, i + RESYNC_SLICE)) {
        const next = toLiveDevice(d)
        const cur = this.devices.get(d.id)
        if (!cur || JSON.stringify(cur) !== JSON.stringify(next)) changed.push(next)
      }
      for (const d of changed) this.devices.set(d.id, d)
      if (changed.length > 0) {
        this.recheckAt.clear() // an interval may have changed
        this.append([], changed)
      }
      changedDevices += changed.length
    }
    let changedStates = 0
    for (let i = 0; i < latest.length; i += RESYNC_SLICE) {
      await yieldToLoop()
      const changed = this.advance(latest.slice(i, i + RESYNC_SLICE))
      if (changed.length > 0) this.append(changed, [])
      changedStates += changed.length
    }
    return { devices: changedDevices, states: changedStates }
  }

  /** Adds or updates devices (registrations, imports) and logs them. */
  upsertDevices(devices: Device[]): void {
    const changed = devices.map(toLiveDevice)
    for (const d of changed) this.devices.set(d.id, d)
    if (changed.length > 0) this.recheckAt.clear() // an interval may have changed
    if (changed.length > 0) this.append([], changed)
  }

  /** Applies readings that became the latest in the database. */
  applyReadings(readings: ValidReading[]): void {
    const changed = this.advance(
      readings.map((r) => ({ deviceId: r.deviceId, stream: r.stream, seq: r.seq, observedAtMs: r.observedAtMs, receivedAtMs: r.receivedAtMs, quality: r.quality === 'clock_skew_future' ? 'uncertain' : r.quality, values: r.values })),
    )
    if (changed.length > 0) this.append(changed, [])
  }

  /** Takes each state that is newer than the one held (forward-only); returns those taken. */
  private advance(rows: LatestRow[]): LiveState[] {
    const changed: LiveState[] = []
    for (const l of rows) {
      const s = this.toState(l)
      if (!s) continue
      const k = stateKey(s.deviceId, s.stream)
      const cur = this.states.get(k)
      if (cur && cur.observedAtMs >= s.observedAtMs) continue
      this.states.set(k, s)
      this.recheckAt.delete(k)
      changed.push(s)
    }
    return changed
  }

  /**
   * Re-judges the age of every state whose quality may have changed since the last sweep; logs the
   * ones that changed. Returns how many changed. A state is looked at again only once it crosses its
   * next threshold (3×, then 10× its interval): at 50,000 devices, judging every state every second
   * took 60 ms of each second of the server's event loop (bench:scale profile).
   */
  sweep(): number {
    const now = this.now()
    const changed: LiveState[] = []
    for (const [k, s] of this.states) {
      const at = this.recheckAt.get(k)
      if (at !== undefined && at > now) continue
      const d = this.devices.get(s.deviceId)
      if (!d) continue
      const intervalS = streamIntervalS(d.kind, s.stream, d.expectedIntervalS)
      const q = liveQuality(s.reportedQuality, s.observedAtMs, intervalS, now)
      this.recheckAt.set(k, nextQualityChangeAt(s.observedAtMs, intervalS, now))
      if (q !== s.quality) {
        const next = { ...s, quality: q }
        this.states.set(k, next)
        changed.push(next)
      }
    }
    if (changed.length > 0) this.append(changed, [])
    return changed.length
  }

  snapshot(f: Filter): { cursor: StreamCursor; devices: LiveDevice[]; states: LiveState[] } {
    const devices = [...this.devices.values()].filter((d) => this.matches(d, f))
    const ids = new Set(devices.map((d) => d.id))
    const states = [...this.states.values()].filter((s) => ids.has(s.deviceId))
    return { cursor: this.cursor, devices, states }
  }

  /** Entries after `seq`, or null when some of them were already dropped from the log. */
  since(seq: number): LogEntry[] | null {
    if (seq === this.seq) return []
    if (seq > this.seq) return null
    const first = this.log[0]
    if (!first || first.seq > seq + 1) return null
    // Entries have consecutive seqs: index arithmetic, no search.
    return this.log.slice(seq + 1 - first.seq)
  }

  /** Coalesces entries into one change set for a filter: the newest state per stream wins. */
  collect(entries: LogEntry[], f: Filter): { states: LiveState[]; devices: LiveDevice[] } {
    const states = new Map<string, LiveState>()
    const devices = new Map<string, LiveDevice>()
    for (const e of entries) {
      for (const d of e.devices) if (this.matches(d, f)) devices.set(d.id, d)
      for (const s of e.states) {
        const d = this.devices.get(s.deviceId)
        if (d && this.matches(d, f)) states.set(stateKey(s.deviceId, s.stream), s)
      }
    }
    return { states: [...states.values()], devices: [...devices.values()] }
  }

  onAppend(fn: (entry: LogEntry) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  counts(): { devices: number; states: number; stale: number } {
    let stale = 0
    for (const s of this.states.values()) if (s.quality === 'uncertain_stale' || s.quality === 'bad_no_comm') stale++
    return { devices: this.devices.size, states: this.states.size, stale }
  }

  private append(states: LiveState[], devices: LiveDevice[]): void {
    const entry: LogEntry = { seq: ++this.seq, states, devices }
    this.log.push(entry)
    if (this.log.length > this.opts.retainEntries) this.log.splice(0, this.log.length - this.opts.retainEntries)
    for (const fn of this.listeners) fn(entry)
  }

  private matches(d: LiveDevice, f: Filter): boolean {
    if (!f.layers.has(d.kind)) return false
    if (!f.bbox) return true
    const [w, s, e, n] = f.bbox
    const [lon, lat] = d.position
    return lon >= w && lon <= e && lat >= s && lat <= n
  }

  private toState(l: LatestRow): LiveState | null {
    const d = this.devices.get(l.deviceId)
    if (!d) return null
    const reported = l.quality === 'uncertain' || l.quality === 'bad' ? l.quality : 'good'
    return {
      deviceId: l.deviceId,
      kind: d.kind,
      stream: l.stream,
      seq: l.seq,
      observedAtMs: l.observedAtMs,
      receivedAtMs: l.receivedAtMs,
      values: l.values,
      reportedQuality: reported,
      quality: liveQuality(reported, l.observedAtMs, streamIntervalS(d.kind, l.stream, d.expectedIntervalS), this.now()),
    }
  }
}
