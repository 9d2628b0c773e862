/**
 * The estimates the scenario routes serve (docs/scenarios.md "Storing scenarios"): the estimate of a
 * version at an hour is read from `scenario_estimate`, or computed by the process's one
 * ScenarioEstimator and stored. Requests for the same version and hour while it is being computed
 * share that one computation (in this process; two processes may each compute it once, the later
 * store wins). The per-link GeoJSON is not stored: the last few results are kept in memory, so the map
 * and the briefing that follow an estimate do not compute it again.
 */
import type { EstimateLinkFeature, ScenarioEstimateDto, ScenarioVersion } from '../../../../contracts/scenario-api'
import type { Db } from '../../db/adapter'
import { cachedEstimate, storeEstimate } from '../../db/scenarios'
import type { EstimateOutput, ScenarioEstimator } from '../../scenarios/scenario-estimator'

/** Results (estimate and links) kept in memory: each holds every road link of the city. */
const RECENT = 4

export class ScenarioEstimates {
  private readonly inflight = new Map<string, Promise<EstimateOutput>>()
  private readonly recent = new Map<string, EstimateOutput>()
  private readonly stored = new WeakMap<EstimateOutput, Promise<void>>()

  constructor(
    private readonly db: Db,
    private readonly estimator: Pick<ScenarioEstimator, 'estimate'>,
  ) {}

  /** The estimate of the version at the hour: stored, or computed now and stored. */
  async estimate(v: ScenarioVersion, hour: number): Promise<ScenarioEstimateDto> {
    const cached = await cachedEstimate(this.db, v.id, v.version, hour)
    if (cached) return cached
    // A result computed meanwhile (its store not committed yet when the cache was read) is not computed again.
    const out = this.recent.get(keyOf(v, hour)) ?? (await this.compute(v, hour))
    let store = this.stored.get(out)
    if (!store) {
      store = storeEstimate(this.db, v.id, v.version, out.estimate)
      this.stored.set(out, store)
    }
    await store
    return out.estimate
  }

  /** Per road link and direction, base and scenario (computed unless recent). */
  async links(v: ScenarioVersion, hour: number): Promise<EstimateLinkFeature[]> {
    return (this.recent.get(keyOf(v, hour)) ?? (await this.compute(v, hour))).links
  }

  private compute(v: ScenarioVersion, hour: number): Promise<EstimateOutput> {
    const key = keyOf(v, hour)
    let p = this.inflight.get(key)
    if (!p) {
      p = this.estimator
        .estimate(v.document, { version: v.version, hour })
        .then((out) => {
          this.recent.delete(key)
          this.recent.set(key, out)
          while (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value!)
          return out
        })
        .finally(() => this.inflight.delete(key))
      this.inflight.set(key, p)
    }
    return p
  }
}

const keyOf = (v: ScenarioVersion, hour: number) => `${v.id}@${v.version}@${hour}`
