import { EventEmitter } from 'node:events'
import type { ValidReading } from '../db/readings'
import type { QuarantineReason } from '../../../contracts/schemas/quarantine'

/** What an ingest worker says about itself, every second (the heartbeat is built from these). */
export interface WorkerStatus {
  /** Stable name of the worker (its MQTT client id). */
  workerId: string
  /** New at every start of the worker process. */
  bootId: string
  bootAtMs: number
  atMs: number
  brokerConnected: boolean
  dbHealthy: boolean
  pending: number
  lastCommitAtMs: number | null
  /** Messages quarantined since this boot. */
  quarantined: number
  lastQuarantine: { reason: QuarantineReason; atMs: number } | null
}

/** Why a server's mirror must re-read the database: the feed cannot say what it missed. */
export type GapReason = 'reconnect' | 'entries_lost' | 'lag'

/**
 * Carries committed changes from the ingest to every server's live mirror (ADR 0004 §1).
 * Best effort: a subscriber told of a gap re-reads the truth from the database.
 */
export interface LiveBus {
  readonly kind: 'local' | 'redis'
  start(): Promise<void>
  close(): Promise<void>
  publishReadings(readings: ValidReading[]): void
  publishDevicesChanged(ids: string[]): void
  publishStatus(status: WorkerStatus): void
  onReadings(fn: (readings: ValidReading[]) => void): () => void
  onDevicesChanged(fn: (ids: string[]) => void): () => void
  onStatus(fn: (status: WorkerStatus) => void): () => void
  onGap(fn: (why: GapReason) => void): () => void
  /** Whether subscribers currently hear the publishers. */
  up(): boolean
  /** Counters for /metrics. */
  counters(): { published: number; dropped: number; received: number }
}

/** In one process: an EventEmitter. Never loses anything, never has a gap. */
export class LocalLiveBus implements LiveBus {
  readonly kind = 'local' as const
  private readonly ee = new EventEmitter()
  private published = 0
  async start(): Promise<void> {}
  async close(): Promise<void> {
    this.ee.removeAllListeners()
  }
  publishReadings(readings: ValidReading[]): void {
    if (readings.length > 0) this.emit('readings', readings)
  }
  publishDevicesChanged(ids: string[]): void {
    if (ids.length > 0) this.emit('devices', ids)
  }
  publishStatus(status: WorkerStatus): void {
    this.emit('status', status)
  }
  onReadings(fn: (readings: ValidReading[]) => void): () => void {
    return this.on('readings', fn)
  }
  onDevicesChanged(fn: (ids: string[]) => void): () => void {
    return this.on('devices', fn)
  }
  onStatus(fn: (status: WorkerStatus) => void): () => void {
    return this.on('status', fn)
  }
  onGap(): () => void {
    return () => undefined
  }
  up(): boolean {
    return true
  }
  counters(): { published: number; dropped: number; received: number } {
    return { published: this.published, dropped: 0, received: this.published }
  }
  private emit(event: string, arg: unknown): void {
    this.published++
    this.ee.emit(event, arg)
  }
  private on<T>(event: string, fn: (arg: T) => void): () => void {
    this.ee.on(event, fn)
    return () => this.ee.off(event, fn)
  }
}
