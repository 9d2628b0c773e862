import { EventEmitter } from 'node:events'
import type { ValidReading } from '../db/readings'

/**
 * Carries committed changes from the ingest to the realtime layer. In-process today; a process
 * that runs the ingest alone would publish the same events over Redis (see docs/scale-out.md).
 */
export class LiveBus {
  private readonly ee = new EventEmitter()
  publishReadings(readings: ValidReading[]): void {
    if (readings.length > 0) this.ee.emit('readings', readings)
  }
  publishDevicesChanged(ids: string[]): void {
    if (ids.length > 0) this.ee.emit('devices', ids)
  }
  onReadings(fn: (readings: ValidReading[]) => void): () => void {
    this.ee.on('readings', fn)
    return () => this.ee.off('readings', fn)
  }
  onDevicesChanged(fn: (ids: string[]) => void): () => void {
    this.ee.on('devices', fn)
    return () => this.ee.off('devices', fn)
  }
}
