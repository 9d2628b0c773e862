/**
 * The one read the SUMO verification makes of the scenario store (migration 0014, written by
 * db/scenarios.ts): a stored version's document, and whether a scenario has any version. Kept apart so
 * that the verification depends on nothing else of the store; a database without the store's tables
 * has no scenarios.
 */
import type { Queryable } from './adapter'

export interface StoredScenarioVersion {
  scenarioId: string
  version: number
  /** The document as stored (the contracts' ScenarioSchema). */
  document: unknown
}

async function hasStore(q: Queryable): Promise<boolean> {
  const r = await q.query<{ t: string | null }>(`SELECT to_regclass('scenario_version')::text AS t`)
  return r.rows[0]?.t != null
}

/** A version of a scenario as stored; null when there is none (or no scenario store). */
export async function loadScenarioVersion(q: Queryable, id: string, version: number): Promise<StoredScenarioVersion | null> {
  if (!(await hasStore(q))) return null
  const r = await q.query<{ document: unknown }>('SELECT document FROM scenario_version WHERE scenario_id = $1 AND version = $2', [id, version])
  const row = r.rows[0]
  return row ? { scenarioId: id, version, document: typeof row.document === 'string' ? JSON.parse(row.document) : row.document } : null
}

/** Whether the store has any version of the scenario. */
export async function scenarioExists(q: Queryable, id: string): Promise<boolean> {
  if (!(await hasStore(q))) return false
  return (await q.query('SELECT 1 FROM scenario_version WHERE scenario_id = $1 LIMIT 1', [id])).rows.length > 0
}
