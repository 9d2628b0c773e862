/**
 * Real loop counts written to the history as the simulator would (tests and benchmarks of the scenario
 * explorer and SUMO verification): the Costa/Pasubio loops' hourly counts of the weekday of March 2024
 * with the most loops counting (of the devices asked, when asked; Bologna open data, ../shared/data), at
 * the hours asked, then the hourly
 * rollups run as in the product. Returns that day (YYYY-MM-DD).
 */
import path from 'node:path'
import { readLoopCounts } from '../../geodata/src/readers/loop-counts'
import type { Db } from '../../server/src/db/adapter'
import { writeBatch, type ValidReading } from '../../server/src/db/readings'
import { romeHourStarts } from '../../server/src/db/signal-demand'
import { runRollups } from '../../server/src/jobs/rollup-job'
import { trafficReading } from './factories'

export const COUNTS_FILE = path.join('bologna-opendata', 'spire_conteggi_2024-01_04_costa_pasubio.csv')

/** The weekday of March 2024 with the most loops counting — of `devices` when given (ties: the earliest). */
export function busiestMarchWeekday(cityDataDir: string, devices?: ReadonlySet<string>): string {
  const perDay = new Map<string, number>()
  for (const s of readLoopCounts(path.join(cityDataDir, COUNTS_FILE)).records.filter((x) => !devices || devices.has(x.deviceId))) for (const d of s.days) if (d.date.startsWith('2024-03') && d.isoWeekday <= 5) perDay.set(d.date, (perDay.get(d.date) ?? 0) + 1)
  return [...perDay].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0]
}

export async function writeRealLoopCounts(db: Db, cityDataDir: string, hours: readonly number[], o: { devices?: ReadonlySet<string>; date?: string } = {}): Promise<string> {
  const date = o.date ?? busiestMarchWeekday(cityDataDir, o.devices)
  const series = readLoopCounts(path.join(cityDataDir, COUNTS_FILE)).records.filter((s) => !o.devices || o.devices.has(s.deviceId))
  const day = Date.parse(`${date}T00:00:00Z`) / 86_400_000
  const readings: ValidReading[] = []
  for (const hour of hours) {
    const start = romeHourStarts(day, hour)[0]!
    for (const s of series) {
      const count = s.days.find((x) => x.date === date)?.counts[hour]
      if (count !== undefined && count !== null) readings.push(trafficReading({ deviceId: s.deviceId, observedAtMs: start + 1_800_000, receivedAtMs: start + 1_801_000, values: { flowVehH: count, intervalS: 3600 } }))
    }
  }
  await db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))
  for (let i = 0; i < 500 && (await db.transaction((tx) => runRollups(tx))).queueRows > 0; i++);
  return date
}
