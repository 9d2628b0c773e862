/**
 * The counts a scenario's base stands on (ADR 0009): for an `observed` base, each loop's flow in that
 * Rome hour of that day; for a `typical` base, its mean over the day type's days of a period (holidays
 * count as Sundays) — read from the loop history (1-hour rollups where they answer, else raw readings:
 * server/src/db/signal-demand.ts). Only loops matched to a link count (loop-links.ts).
 */
import type { ScenarioBase } from '../../../contracts/schemas/scenario'
import type { Queryable } from '../db/adapter'
import { dayTypeOf, loopFlows, type DemandQuery, type DemandWindow, type GroupDemandOptions } from '../db/signal-demand'
import type { CountedLink } from './calibration'
import type { LoopLink } from './loop-links'

const DAY_MS = 86_400_000
/** A typical base without a period: the eight weeks up to the newest counted day. */
export const DEFAULT_TYPICAL_WEEKS = 8

export function demandQueryOf(base: ScenarioBase): DemandQuery {
  if (base.kind === 'observed') {
    const day = Date.parse(`${base.date}T00:00:00Z`) / DAY_MS
    return { weeks: 1, untilDate: base.date, dayType: dayTypeOf(day), hour: base.hour, singleDay: true }
  }
  const weeks = base.fromDate && base.toDate ? Math.max(1, Math.ceil((Date.parse(`${base.toDate}T00:00:00Z`) - Date.parse(`${base.fromDate}T00:00:00Z`) + DAY_MS) / (7 * DAY_MS))) : DEFAULT_TYPICAL_WEEKS
  return { weeks, dayType: base.dayType, hour: base.hour, ...(base.toDate ? { untilDate: base.toDate } : {}) }
}

export async function baseCounts(q: Queryable, base: ScenarioBase, links: readonly LoopLink[], opts: GroupDemandOptions = {}): Promise<{ counts: CountedLink[]; window: DemandWindow | null }> {
  const matched = links.filter((l): l is LoopLink & { roadEdgeId: string } => l.roadEdgeId !== null)
  const { flows, window } = await loopFlows(q, matched.map((l) => l.deviceId), demandQueryOf(base), opts)
  const counts = matched.flatMap((l) => {
    const f = flows.get(l.deviceId)
    return f ? [{ deviceId: l.deviceId, roadEdgeId: l.roadEdgeId, countedVehH: f.flowVehH }] : []
  })
  return { counts, window }
}
