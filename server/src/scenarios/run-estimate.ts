/**
 * One scenario's fast estimate from the database, without a long-lived estimator (the CLI): see
 * scenario-estimator.ts for what it does and caches.
 */
import type { ScenarioEstimateDto } from '../../../contracts/scenario-api'
import type { Scenario } from '../../../contracts/schemas/scenario'
import type { Queryable } from '../db/adapter'
import { ScenarioEstimator } from './scenario-estimator'

export { gravityPrior, ScenarioRunError } from './scenario-estimator'
export type ScenarioEstimate = ScenarioEstimateDto

export async function runScenarioEstimate(db: Queryable, scenario: Scenario, opts: { nowMs?: number; hour?: number } = {}): Promise<ScenarioEstimate> {
  const e = new ScenarioEstimator(db, opts.nowMs !== undefined ? { nowMs: opts.nowMs } : {})
  try {
    return (await e.estimate(scenario, opts.hour !== undefined ? { hour: opts.hour } : {})).estimate
  } finally {
    await e.close()
  }
}
