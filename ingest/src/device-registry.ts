import type { Db } from '../../server/src/db/adapter'
import type { DeviceKind } from '../../contracts/schemas/device'
import type { KnownDevice } from './parse-message'

/**
 * The ingest's in-memory view of which devices exist (id → kind), so that parsing a message needs
 * no query. Devices the cache has not seen are looked up in the database before a reading from
 * them is quarantined as unknown (a device imported after the ingest started is not refused).
 */
export class DeviceRegistry {
  private readonly devices = new Map<string, KnownDevice>()
  constructor(private readonly db: Db) {}

  get known(): ReadonlyMap<string, KnownDevice> {
    return this.devices
  }

  async load(): Promise<void> {
    const r = await this.db.query<{ id: string; kind: DeviceKind; expected_interval_s: number }>('SELECT id, kind, expected_interval_s FROM device')
    this.devices.clear()
    for (const d of r.rows) this.devices.set(d.id, { kind: d.kind, expectedIntervalS: d.expected_interval_s })
  }

  async lookup(ids: string[]): Promise<void> {
    const r = await this.db.query<{ id: string; kind: DeviceKind; expected_interval_s: number }>(
      'SELECT id, kind, expected_interval_s FROM device WHERE id = ANY($1::text[])',
      [ids],
    )
    for (const d of r.rows) this.devices.set(d.id, { kind: d.kind, expectedIntervalS: d.expected_interval_s })
  }

  remember(id: string, kind: DeviceKind, expectedIntervalS: number): void {
    if (!this.devices.has(id)) this.devices.set(id, { kind, expectedIntervalS })
  }
}
