/**
 * The fast estimate as a service (ADR 0009): what the routes, the SUMO runner, the CLI and the
 * benchmark call. The database is read here, on the main thread — the network (the city's street
 * graph, or an imported SUMO network: sumo-network.ts), the loops on its links and, per base, the
 * counts — and the computation runs in a worker thread (estimator-core.ts), which keeps each
 * network's model and each base's calibration, so a base's first calibration (≈ 12 s on the city)
 * never blocks the event loop and a scenario's estimate is one warm assignment there.
 * `invalidate()` drops it all (a new city import); `close()` stops the worker.
 */
import { Worker } from 'node:worker_threads'
import type { Scenario, ScenarioBase } from '../../../contracts/schemas/scenario'
import type { Queryable } from '../db/adapter'
import { baseCounts } from './base-counts'
import { readCityNetwork } from './city-network'
import { baseKey, ScenarioRunError, type EdgeGeometry, type EstimateOutput, type ModelInput } from './estimator-core'
import type { EstimatorMethod, EstimatorReply, EstimatorRequest } from './estimator-protocol'
import { matchLoopsToLinks, type LoopLink } from './loop-links'
import { readSumoNetwork, sumoLoopLinks } from './sumo-network'

export { ALGORITHM, gravityPrior, ScenarioRunError, type EstimateOutput } from './estimator-core'

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void }
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never

export interface ScenarioEstimatorOptions {
  nowMs?: number
  maxCachedBases?: number
  /** Told when the worker starts a step (tests, progress). */
  onStep?: (step: EstimatorMethod) => void
}

export class ScenarioEstimator {
  /** Per network: its loops, once the worker holds its model. */
  private readonly models = new Map<string, Promise<LoopLink[]>>()
  /** Per base key: settled once the worker holds its calibration. */
  private readonly calibrated = new Map<string, Promise<void>>()
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  constructor(
    private readonly db: Queryable,
    private readonly opts: ScenarioEstimatorOptions = {},
  ) {}

  invalidate(): void {
    this.models.clear()
    this.calibrated.clear()
    if (this.worker) void this.call({ method: 'clear', input: null }).catch(() => undefined)
  }

  /** Stops the worker; requests in flight are refused. The next estimate starts a new one. */
  async close(): Promise<void> {
    const w = this.worker
    if (!w) return
    this.reset(new ScenarioRunError('the estimator was closed'))
    await w.terminate()
  }

  async estimate(scenario: Scenario, o: { version?: number | null; hour?: number } = {}): Promise<EstimateOutput> {
    const startedAtMs = Date.now()
    const hour = o.hour ?? scenario.base.hour
    const loops = await this.loadModel(scenario.network)
    const key = baseKey(scenario.network, scenario.base, hour)
    await this.calibrate(scenario.network, key, loops, scenario.base, hour)
    return (await this.call({ method: 'estimate', input: { key, scenario, options: { version: o.version ?? null, hour, startedAtMs } } })) as EstimateOutput
  }

  private loadModel(network: Scenario['network']): Promise<LoopLink[]> {
    let model = this.models.get(network)
    if (model) return model
    model = (async () => {
      const city = network === 'city' ? await readCityNetwork(this.db) : await readSumoNetwork(this.db, network)
      if (city.links.length === 0 || city.zones.length === 0) {
        throw new ScenarioRunError(network === 'city' ? 'The database has no city street graph or statistical areas: import the city first (npm start does)' : `The SUMO network ${network} is not imported (npm run import -- ${network})`)
      }
      const loops = network === 'city' ? await matchLoopsToLinks(this.db) : await sumoLoopLinks(this.db, network)
      const pos = await this.db.query<{ id: string; lon: number; lat: number }>(`SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM device WHERE kind = 'traffic-loop'`)
      const loopPositions = new Map(pos.rows.map((r) => [r.id, [Number(r.lon), Number(r.lat)] as [number, number]]))
      const input: ModelInput = { network, city, loopPositions, geometry: await this.geometry(network) }
      await this.call({ method: 'setModel', input })
      return loops
    })()
    this.models.set(network, model)
    model.catch(() => this.models.delete(network))
    return model
  }

  private async geometry(network: Scenario['network']): Promise<Map<string, EdgeGeometry>> {
    const sql =
      network === 'city'
        ? { text: `SELECT id, road_class, name, ST_AsGeoJSON(geom, 6) AS geom FROM road_edge`, values: [] as string[] }
        : { text: `SELECT id, edge_type AS road_class, name, ST_AsGeoJSON(geom, 6) AS geom FROM sumo_edge WHERE network_id = $1 AND func = 'normal'`, values: [network] }
    const r = await this.db.query<{ id: string; road_class: string | null; name: string | null; geom: string }>(sql.text, sql.values)
    return new Map(r.rows.map((x) => [x.id, { coords: (JSON.parse(x.geom) as { coordinates: Array<[number, number]> }).coordinates, roadClass: x.road_class, name: x.name }]))
  }

  /** The base's demand calibrated to its counts, in the worker (cached per base and hour). */
  private calibrate(network: Scenario['network'], key: string, loops: LoopLink[], base: ScenarioBase, hour: number): Promise<void> {
    let c = this.calibrated.get(key)
    if (!c) {
      c = (async () => {
        const b = { ...base, hour }
        const { counts, window } = await baseCounts(this.db, b, loops, this.opts.nowMs !== undefined ? { nowMs: this.opts.nowMs } : {})
        await this.call({ method: 'calibrate', input: { network, key, hour, counts, window, describeBase: describeBase(b) } })
      })()
      this.calibrated.set(key, c)
      c.catch(() => this.calibrated.delete(key))
      const max = this.opts.maxCachedBases ?? 8
      while (this.calibrated.size > max) {
        const oldest = this.calibrated.keys().next().value!
        this.calibrated.delete(oldest)
        void this.call({ method: 'drop', input: { key: oldest } }).catch(() => undefined)
      }
    }
    return c
  }

  private call(req: DistributiveOmit<EstimatorRequest, 'id'>): Promise<unknown> {
    const w = this.ensureWorker()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      // The worker keeps the process alive only while it has work (a CLI exits when it is done).
      w.ref()
      w.postMessage({ ...req, id } as EstimatorRequest)
    })
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const w = new Worker(new URL('./estimator-worker-boot.mjs', import.meta.url))
    w.on('message', (m: EstimatorReply) => {
      if ('started' in m) return this.opts.onStep?.(m.started)
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      if (this.pending.size === 0) w.unref()
      if (m.ok) p.resolve(m.value)
      else p.reject(m.error.name === 'ScenarioRunError' ? new ScenarioRunError(m.error.message) : new Error(m.error.message))
    })
    // A worker that dies (out of memory, a bug) takes its models with it: everything is computed again.
    w.on('error', (err) => this.worker === w && this.reset(new Error(`the estimator's worker failed: ${err.message}`)))
    w.on('exit', (code) => this.worker === w && this.reset(new Error(`the estimator's worker exited (code ${code})`)))
    w.unref()
    this.worker = w
    return w
  }

  private reset(err: Error): void {
    this.worker = null
    this.models.clear()
    this.calibrated.clear()
    const pending = [...this.pending.values()]
    this.pending.clear()
    for (const p of pending) p.reject(err)
  }
}

function describeBase(b: ScenarioBase): string {
  return b.kind === 'observed' ? `${b.date} at ${b.hour}:00` : `a typical ${b.dayType} at ${b.hour}:00${b.fromDate ? ` from ${b.fromDate}` : ''}${b.toDate ? ` to ${b.toDate}` : ''}`
}
