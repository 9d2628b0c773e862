/**
 * The day whose loop counts make a scenario's SUMO demand (docs/scenarios.md, "Verification in
 * SUMO"). SUMO runs vehicles of one real day: an observed base gives its date; a typical base, whose
 * estimate stands on a day type's mean, is simulated with the newest day of that day type (in its
 * period, or the DEFAULT_TYPICAL_WEEKS up to the newest counted day) on which the network's loops
 * counted at the hour — and the results say so.
 */
import type { ScenarioBase } from '../../../../contracts/schemas/scenario'
import type { Queryable } from '../../db/adapter'
import { dayTypeOf, loopFlowsAt, newestRomeDay } from '../../db/signal-demand'
import { DEFAULT_TYPICAL_WEEKS } from '../base-counts'

const DAY_MS = 86_400_000
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)
const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`

export interface DemandDay {
  date: string
  /** Each loop's count that day at the hour (veh/h). */
  flows: Map<string, number>
  note: string
}

/** The day and its counts; a message a person can act on when there is none. */
export async function demandDay(q: Queryable, base: ScenarioBase, hour: number, deviceIds: string[], opts: { source?: 'auto' | 'raw' } = {}): Promise<DemandDay | { problem: string }> {
  if (deviceIds.length === 0) return { problem: 'no loop is linked to a detector of this SUMO network: there are no counts to rebuild the demand from' }
  if (base.kind === 'observed') {
    const flows = await loopFlowsAt(q, deviceIds, base.date, hour, opts)
    if (flows.size === 0) return { problem: `none of the ${deviceIds.length} loops of this SUMO network has counts on ${base.date} at ${hh(hour)} (Europe/Rome): choose another day or hour` }
    return { date: base.date, flows, note: `the loop counts of ${base.date} at ${hh(hour)} (the observed base)` }
  }
  const newest = base.toDate ?? (await newestRomeDay(q, deviceIds))
  if (newest === null) return { problem: `the ${deviceIds.length} loops of this SUMO network have no counts at all` }
  const oldest = base.fromDate ? dayOf(base.fromDate) : dayOf(newest) - DEFAULT_TYPICAL_WEEKS * 7 + 1
  for (let d = dayOf(newest); d >= oldest; d--) {
    if (dayTypeOf(d) !== base.dayType) continue
    const date = dateOf(d)
    const flows = await loopFlowsAt(q, deviceIds, date, hour, opts)
    if (flows.size > 0) return { date, flows, note: `a typical ${base.dayType} is simulated with one real day: ${date}, the newest ${base.dayType} from ${dateOf(oldest)} to ${newest} with counts at ${hh(hour)} (SUMO needs the vehicles of one day, not a mean)` }
  }
  return { problem: `no ${base.dayType} from ${dateOf(oldest)} to ${newest} has counts of this SUMO network's loops at ${hh(hour)} (Europe/Rome): choose another period or hour` }
}
