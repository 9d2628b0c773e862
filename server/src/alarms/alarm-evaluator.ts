/**
 * The alarm evaluator (ADR 0006): one process at a time evaluates the rules, elected by a lease row
 * in the database (renewed every 2 s, taken over when it lapses for 10 s; released at a clean stop).
 * The leader consumes committed readings from the live bus in order, ticks the engine every second
 * (staleness, the ingest's root cause, shelving expiry, floods), writes every alarm change in one
 * transaction per batch and hands the changed alarm ids to `publish` (which pushes them to screens).
 *
 * A new leader rebuilds its state from the database: rules, devices, when each stream was last seen
 * (latest_state), the alarms open now, and the recent activations (floods). A failed write marks
 * the state for a rebuild at the next tick, so the engine never believes in an alarm the database
 * does not hold.
 */
import { randomBytes } from 'node:crypto'
import { chattering, CHATTER_WINDOW_MS, FloodDetector, FLOOD_WINDOW_MS } from '../../../contracts/alarms'
import type { AlarmRule } from '../../../contracts/alarm-rules'
import type { Db } from '../db/adapter'
import { applyConditions, expireShelving, loadEngineDevices, loadRules, openActiveConditions, recordFlood, rulesFingerprint, SUPPRESSED_BY_ROOT_CAUSE } from '../db/alarms'
import { loadLatest } from '../db/devices'
import type { ValidReading } from '../db/readings'
import { AlarmEngine, type ConditionChange } from '../domain/alarm-engine'
import type { LiveBus } from '../realtime/live-bus'

export interface EvaluatorLogger {
  info(o: object, m?: string): void
  warn(o: object, m?: string): void
  error(o: object, m?: string): void
}

export interface AlarmEvaluatorOptions {
  db: Db
  bus: LiveBus
  log: EvaluatorLogger
  /** The ingest's root cause now (the heartbeat's), or null. */
  rootCause(): string | null
  /** Alarms changed (ids) and/or the flood state changed: push them to the screens. */
  publish(ids: string[]): void
  clock?: () => number
  tickMs?: number
  leaseRenewMs?: number
  leaseTtlS?: number
}

export interface EvaluatorStats {
  leader: boolean
  readings: number
  conditions: number
  batches: number
  failures: number
  rebuilds: number
  rules: number
}

export class AlarmEvaluator {
  readonly holder = `${process.pid}-${randomBytes(4).toString('hex')}`
  private engine = new AlarmEngine()
  private rules = new Map<string, { rule: AlarmRule; version: number }>()
  private fingerprint = ''
  private districts = new Map<string, string | null>()
  private flood = new FloodDetector()
  private floodPeak = 0
  /** The flood state as last recorded in the database. */
  private floodOn = false
  private readonly transitions = new Map<string, number[]>()
  private chain: Promise<void> = Promise.resolve()
  private leader = false
  private needsRebuild = true
  private readonly timers: NodeJS.Timeout[] = []
  private readonly offs: Array<() => void> = []
  private stopped = false
  private lastRuleCheck = 0
  readonly stats: EvaluatorStats = { leader: false, readings: 0, conditions: 0, batches: 0, failures: 0, rebuilds: 0, rules: 0 }

  constructor(private readonly o: AlarmEvaluatorOptions) {}

  private now(): number {
    return (this.o.clock ?? Date.now)()
  }

  async start(): Promise<void> {
    this.offs.push(
      this.o.bus.onReadings((readings) => {
        if (this.leader) this.enqueue(() => this.onReadings(readings))
      }),
      this.o.bus.onDevicesChanged((ids) => {
        if (this.leader) this.enqueue(() => this.onDevices(ids))
      }),
    )
    await this.renewLease()
    const lease = setInterval(() => void this.renewLease(), this.o.leaseRenewMs ?? 2000)
    const tick = setInterval(() => {
      if (this.leader) this.enqueue(() => this.onTick())
    }, this.o.tickMs ?? 1000)
    for (const t of [lease, tick]) {
      t.unref()
      this.timers.push(t)
    }
  }

  /** Stops evaluating and gives the lease up, so another process takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const t of this.timers) clearInterval(t)
    for (const off of this.offs) off()
    await this.chain
    if (this.leader) await this.o.db.query('DELETE FROM alarm_lease WHERE name = $1 AND holder = $2', ['evaluator', this.holder]).catch(() => undefined)
    this.leader = false
  }

  isLeader(): boolean {
    return this.leader
  }

  /** Resolves when everything received so far is evaluated and written. */
  settled(): Promise<void> {
    return this.chain
  }

  /** Re-reads the rules at the next tick (a rule was changed through this process). */
  rulesChanged(): void {
    this.lastRuleCheck = 0
    if (this.leader) this.enqueue(() => this.checkRules(true))
  }

  private async renewLease(): Promise<void> {
    if (this.stopped) return
    try {
      const r = await this.o.db.query<{ holder: string }>(
        `INSERT INTO alarm_lease (name, holder, expires_at) VALUES ('evaluator', $1, now() + make_interval(secs => $2))
         ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE alarm_lease.holder = EXCLUDED.holder OR alarm_lease.expires_at < now()
         RETURNING holder`,
        [this.holder, this.o.leaseTtlS ?? 10],
      )
      const won = r.rows[0]?.holder === this.holder
      if (won && !this.leader) {
        this.o.log.info({ holder: this.holder }, 'alarm evaluator: this process evaluates the alarm rules')
        this.needsRebuild = true
        this.enqueue(() => this.rebuild())
      } else if (!won && this.leader) {
        this.o.log.warn({ holder: this.holder }, 'alarm evaluator: lease lost to another process; evaluation stops here')
      }
      this.leader = won
      this.stats.leader = won
    } catch (err) {
      // Without the database there is no lease: stop evaluating rather than risk two evaluators.
      if (this.leader) this.o.log.warn({ err: (err as Error).message }, 'alarm evaluator: cannot renew the lease; evaluation pauses')
      this.leader = false
      this.stats.leader = false
      this.needsRebuild = true
    }
  }

  private async rebuild(): Promise<void> {
    const { db } = this.o
    const [records, devices, latest, open, recent] = await Promise.all([
      loadRules(db, this.o.log),
      loadEngineDevices(db),
      loadLatest(db),
      openActiveConditions(db),
      db.query<{ at_ms: number }>(`SELECT round(extract(epoch FROM at) * 1000)::float8 AS at_ms FROM alarm_event WHERE type = 'activate' AND at > now() - make_interval(secs => $1) ORDER BY at`, [FLOOD_WINDOW_MS / 1000]),
    ])
    this.rules = new Map(records.map((r) => [r.rule.id, { rule: r.rule, version: r.version }]))
    this.fingerprint = records.map((r) => `${r.rule.id}:${r.version}`).join(',')
    this.engine = new AlarmEngine(records.map((r) => r.rule), devices)
    this.districts = new Map(devices.map((d) => [d.id, d.district]))
    this.engine.prime(latest)
    this.engine.seedActive(open)
    this.flood = new FloodDetector()
    for (const r of recent.rows) this.flood.activation(r.at_ms)
    const floodRow = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM alarm_flood WHERE ended_at IS NULL')
    this.floodOn = (floodRow.rows[0]?.n ?? 0) > 0
    this.transitions.clear()
    this.needsRebuild = false
    this.stats.rebuilds++
    this.stats.rules = this.rules.size
    this.o.log.info({ rules: this.rules.size, devices: devices.length, open: open.length }, 'alarm evaluator: state rebuilt from the database')
  }

  private async onReadings(readings: readonly ValidReading[]): Promise<void> {
    if (this.needsRebuild) await this.rebuild()
    const changes: ConditionChange[] = []
    for (const r of readings) for (const c of this.engine.reading(r)) changes.push(c)
    this.stats.readings += readings.length
    if (changes.length > 0) await this.apply(changes)
  }

  private async onDevices(ids: string[]): Promise<void> {
    const devices = await loadEngineDevices(this.o.db, ids)
    this.engine.upsertDevices(devices)
    for (const d of devices) this.districts.set(d.id, d.district)
  }

  private async onTick(): Promise<void> {
    if (this.needsRebuild) await this.rebuild()
    const now = this.now()
    if (now - this.lastRuleCheck >= 5000) await this.checkRules(false)
    const changes = this.engine.tick(now, { rootCause: this.o.rootCause() })
    if (changes.length > 0) await this.apply(changes)
    const expired = await this.o.db.transaction((tx) => expireShelving(tx, now))
    const wasFlood = this.floodOn
    const isFlood = this.flood.at(now)
    this.floodOn = isFlood
    if (isFlood) this.floodPeak = Math.max(this.floodPeak, this.flood.count(now))
    if (isFlood !== wasFlood) {
      await recordFlood(this.o.db, { active: isFlood, sinceMs: this.flood.floodSince(), lastTenMinutes: this.flood.count(now), peak: this.floodPeak }, now)
      this.o.log.warn({ flood: isFlood, peak: this.floodPeak }, isFlood ? 'alarm flood: more than 10 alarms in 10 minutes' : 'alarm flood over')
      if (!isFlood) this.floodPeak = 0
    }
    if (expired.length > 0 || isFlood !== wasFlood) this.o.publish(expired)
  }

  private async checkRules(force: boolean): Promise<void> {
    this.lastRuleCheck = this.now()
    const f = await rulesFingerprint(this.o.db)
    if (!force && f === this.fingerprint) return
    const records = await loadRules(this.o.db, this.o.log)
    this.rules = new Map(records.map((r) => [r.rule.id, { rule: r.rule, version: r.version }]))
    this.fingerprint = records.map((r) => `${r.rule.id}:${r.version}`).join(',')
    this.stats.rules = this.rules.size
    const ended = this.engine.setRules(records.map((r) => r.rule), this.now())
    // Conditions of a changed rule end here; alarms of a rule no longer in the table end too.
    if (ended.length > 0) await this.apply(ended)
    this.o.log.info({ rules: this.rules.size }, 'alarm evaluator: rules reloaded')
  }

  private async apply(changes: ConditionChange[]): Promise<void> {
    const suppressorActive = [...this.rules.values()].some((d) => d.rule.type === 'ingest-down' && this.engine.isActive(d.rule.id, 'ingest'))
    for (const c of changes) {
      const k = `${c.ruleId}\u0000${c.subject}`
      const times = (this.transitions.get(k) ?? []).filter((t) => t > c.atMs - CHATTER_WINDOW_MS)
      times.push(c.atMs)
      this.transitions.set(k, times)
      const type = this.rules.get(c.ruleId)?.rule.type
      if (c.active && !(suppressorActive && type !== undefined && SUPPRESSED_BY_ROOT_CAUSE.has(type))) this.flood.activation(c.atMs)
    }
    if (this.transitions.size > 100_000) for (const [k, t] of this.transitions) if (t[t.length - 1]! < this.now() - CHATTER_WINDOW_MS) this.transitions.delete(k)
    try {
      const ids = await this.o.db.transaction(async (tx) => {
        // The suppressor as the database has it (the ingest-down alarm open now), unless this batch opens it.
        const s = await tx.query<{ id: string }>(
          `SELECT a.id FROM alarm a JOIN alarm_rule r ON r.id = a.rule_id WHERE a.closed_at IS NULL AND a.active AND r.doc->>'type' = 'ingest-down' ORDER BY a.id LIMIT 1`,
        )
        return applyConditions(tx, changes, {
          rules: this.rules,
          districtOf: (id) => this.districts.get(id) ?? null,
          suppressor: s.rows[0] ? `alarm:${s.rows[0].id}` : null,
          isChattering: (ruleId, subject, atMs) => chattering(this.transitions.get(`${ruleId}\u0000${subject}`) ?? [], atMs),
          nowMs: this.now(),
        })
      })
      this.stats.batches++
      this.stats.conditions += changes.length
      if (ids.length > 0) this.o.publish(ids)
    } catch (err) {
      this.stats.failures++
      this.needsRebuild = true
      this.o.log.error({ err: (err as Error).message, changes: changes.length }, 'alarm evaluator: could not write alarm changes; rebuilding from the database')
    }
  }

  private enqueue(fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn).catch((err: unknown) => {
      this.needsRebuild = true
      this.o.log.error({ err: (err as Error).message }, 'alarm evaluator step failed')
    })
  }
}
