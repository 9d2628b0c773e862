/**
 * Alarm rule evaluation (ADR 0006): readings and time in, condition changes out. Pure and in memory —
 * no SQL, no clock: the evaluator process feeds it committed readings in order and ticks it every
 * second; what an alarm becomes (acknowledged, shelved, suppressed) is the lifecycle's business
 * (contracts/alarms.ts), not the engine's. The engine only says "this condition started / ended".
 *
 * Per rule type (contracts/alarm-rules.ts):
 * - threshold: above (below) the limit for delayS → active; back inside limit ∓ deadband → normal.
 * - congestion: occupancy ≥ X % and speed ≤ Y km/h (a single loop without speed: occupancy alone)
 *   for delayS, on a loop or on ≥ minLoops loops of a corridor; normal 5 points / 5 km/h inside.
 * - flatline: the same value for windowS while readings keep arriving (a stuck loop).
 * - stale: every stream of the device silent for k × its interval (silence counted from the end of an
 *   ingest outage at the latest: data could not arrive before).
 * - state: a reported state among the abnormal ones (a controller flashing or off) for delayS.
 * - offline: a gate reporting offline or fault, a link reporting down.
 * - air-quality: the mean of the Europe/Rome calendar hour (NO₂, O₃) or day (PM10) above the legal
 *   limit; invalid values are left out; normal from the first period at or below the limit.
 * - ingest-down: the ingest's root cause (broker, database, workers, live feed) is present.
 * - signal-deploy: not evaluated here — the deploy manager (server/src/signals) raises and clears it.
 */
import { AIR_QUALITY_LIMITS, EXTERNAL_RULE_TYPES, inWindow, RULE_TIME_ZONE, type AlarmRule } from '../../../contracts/alarm-rules'
import type { DeviceKind } from '../../../contracts/schemas/device'
import { streamIntervalS } from '../../../contracts/schemas/live-state'

export interface EngineDevice {
  id: string
  kind: DeviceKind
  name: string
  expectedIntervalS: number
  /** Ids, codes and names of the areas (quartieri, zone) the device is in, for rule scopes. */
  areas: readonly string[]
}

export interface EngineReading {
  deviceId: string
  kind: DeviceKind
  stream: string
  observedAtMs: number
  values: Record<string, unknown>
}

export interface ConditionChange {
  ruleId: string
  /** A device id, `corridor` or `ingest`. */
  subject: string
  deviceId: string | null
  active: boolean
  atMs: number
  /** What is abnormal (or that it ended), with the value. */
  message: string
  value: number | string | null
}

export interface TickContext {
  /** The ingest's root cause now (heartbeat), e.g. BROKER_DOWN; null when data can arrive. */
  rootCause: string | null
}

/** Congestion returns to normal only this far inside its limits (hysteresis). */
export const CONGESTION_DEADBAND = { occupancyPct: 5, speedKmh: 5 }

interface Hold {
  /** When the condition started to hold (delay), or null. */
  since: number | null
  active: boolean
}

interface FlatState {
  value: unknown
  since: number
  active: boolean
}

interface MeanState {
  period: string
  sum: number
  n: number
  active: boolean
}

const NONE: readonly AlarmRule[] = []
const key = (ruleId: string, subject: string) => `${ruleId}\u0000${subject}`
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

const periodFormat = new Intl.DateTimeFormat('en-CA', { timeZone: RULE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' })
/** The Europe/Rome calendar hour or day of an instant, as a sortable key (2026-11-27T08 / 2026-11-27). */
export function romePeriod(ms: number, averaging: 'hour' | 'day'): string {
  const p = Object.fromEntries(periodFormat.formatToParts(new Date(ms)).map((x) => [x.type, x.value]))
  const day = `${p.year}-${p.month}-${p.day}`
  return averaging === 'day' ? day : `${day}T${p.hour}`
}

const UNIT_TO_UG: Record<string, number> = { 'ug/m3': 1, 'mg/m3': 1000 }

export class AlarmEngine {
  private rules = new Map<string, AlarmRule>()
  private readonly byKind = new Map<DeviceKind, AlarmRule[]>()
  private readonly byDevice = new Map<string, AlarmRule[]>()
  private readonly byArea = new Map<string, AlarmRule[]>()
  private staleRules: AlarmRule[] = []
  private readonly devices = new Map<string, EngineDevice>()
  private readonly holds = new Map<string, Hold>()
  private readonly flats = new Map<string, FlatState>()
  private readonly means = new Map<string, MeanState>()
  /** Corridor rules: the loops congested now (instantaneous, before the delay). */
  private readonly corridorLoops = new Map<string, Set<string>>()
  /** Last observation per device and stream. */
  private readonly lastSeen = new Map<string, Map<string, number>>()
  /** Conditions active now, by rule and subject (so that a rule change or a restart can end them). */
  private readonly active = new Map<string, { ruleId: string; subject: string; deviceId: string | null }>()
  private outageEndedAtMs = 0
  private outage = false

  constructor(rules: readonly AlarmRule[] = [], devices: readonly EngineDevice[] = []) {
    this.setRules(rules)
    this.upsertDevices(devices)
  }

  /**
   * Replaces the rule set. A changed or removed rule starts over: its conditions are ended (returned
   * as changes) and its state forgotten; an unchanged rule keeps its state.
   */
  setRules(rules: readonly AlarmRule[], nowMs = 0): ConditionChange[] {
    const next = new Map(rules.filter((r) => r.enabled).map((r) => [r.id, r]))
    const out: ConditionChange[] = []
    for (const [id, old] of this.rules) {
      const now = next.get(id)
      if (now && JSON.stringify(now) === JSON.stringify(old)) continue
      this.forgetRule(id)
      for (const [k, a] of this.active) {
        if (a.ruleId !== id) continue
        this.active.delete(k)
        out.push({ ...a, active: false, atMs: nowMs, message: now ? 'the rule changed; evaluated again from now' : 'the rule was disabled or removed', value: null })
      }
    }
    this.rules = next
    this.index()
    return out
  }

  /** Rules by the device kind or device ids they watch: a reading meets only its candidates (1,000 rules stay cheap). */
  private index(): void {
    this.byKind.clear()
    this.byDevice.clear()
    this.byArea.clear()
    this.staleRules = [...this.rules.values()].filter((r) => r.type === 'stale')
    const add = <K>(m: Map<K, AlarmRule[]>, k: K, r: AlarmRule) => {
      const list = m.get(k)
      if (list) list.push(r)
      else m.set(k, [r])
    }
    for (const r of this.rules.values()) {
      if (r.type === 'ingest-down' || r.type === 'stale' || EXTERNAL_RULE_TYPES.has(r.type)) continue
      const ids = r.type === 'congestion' && r.corridor ? r.corridor.deviceIds : r.scope.deviceIds
      if (ids) for (const id of new Set(ids)) add(this.byDevice, id, r)
      else if (r.scope.area) add(this.byArea, r.scope.area.id, r)
      else for (const kind of r.scope.kinds ?? defaultKinds(r)) add(this.byKind, kind, r)
    }
  }

  ruleList(): AlarmRule[] {
    return [...this.rules.values()]
  }

  upsertDevices(devices: readonly EngineDevice[]): void {
    // Area ids, codes and names may coincide: each area once, so a rule on it is evaluated once.
    for (const d of devices) this.devices.set(d.id, { ...d, areas: [...new Set(d.areas)] })
  }

  /** Records when each stream was last observed, without evaluating (at start, from latest_state). */
  prime(states: ReadonlyArray<{ deviceId: string; stream: string; observedAtMs: number }>): void {
    for (const s of states) this.see(s.deviceId, s.stream, s.observedAtMs)
  }

  /** Conditions already active (open alarms, at start): they end when the engine sees them end. */
  seedActive(conditions: ReadonlyArray<{ ruleId: string; subject: string; deviceId: string | null }>): void {
    for (const c of conditions) {
      // Conditions another component drives (signal-deploy) are that component's to end, not the engine's.
      if (!this.rules.has(c.ruleId) || EXTERNAL_RULE_TYPES.has(this.rules.get(c.ruleId)!.type)) continue
      this.active.set(key(c.ruleId, c.subject), { ruleId: c.ruleId, subject: c.subject, deviceId: c.deviceId })
      const rule = this.rules.get(c.ruleId)!
      const k = key(c.ruleId, c.subject)
      if (rule.type === 'flatline') this.flats.set(k, { value: undefined, since: 0, active: true })
      else if (rule.type === 'air-quality') this.means.set(k, { period: '', sum: 0, n: 0, active: true })
      else this.holds.set(k, { since: null, active: true })
    }
  }

  isActive(ruleId: string, subject: string): boolean {
    return this.active.has(key(ruleId, subject))
  }

  activeCount(): number {
    return this.active.size
  }

  /** Evaluates one committed reading against every rule that applies to its device. */
  reading(r: EngineReading): ConditionChange[] {
    this.see(r.deviceId, r.stream, r.observedAtMs)
    const device = this.devices.get(r.deviceId)
    if (!device) return []
    const out: ConditionChange[] = []
    for (const rule of this.byKind.get(r.kind) ?? NONE) this.evaluate(rule, device, r, out)
    for (const area of device.areas) for (const rule of this.byArea.get(area) ?? NONE) this.evaluate(rule, device, r, out)
    for (const rule of this.byDevice.get(r.deviceId) ?? NONE) this.evaluate(rule, device, r, out)
    // A reading ends a silence at once.
    for (const rule of this.staleRules) {
      if (this.active.has(key(rule.id, r.deviceId))) this.end(rule.id, r.deviceId, r.deviceId, r.observedAtMs, 'reporting again', null, out)
    }
    return out
  }

  private evaluate(rule: AlarmRule, device: EngineDevice, r: EngineReading, out: ConditionChange[]): void {
    {
      if (rule.type === 'congestion' && rule.corridor) {
        if (r.kind === 'traffic-loop' && inWindow(rule.scope.hours, r.observedAtMs)) this.corridor(rule, r, out)
        return
      }
      if (!this.applies(rule, device, r.observedAtMs)) {
        // Outside the rule's scope (its time window, another kind): the condition does not hold there.
        if (this.active.size > 0) this.end(rule.id, r.deviceId, r.deviceId, r.observedAtMs, 'outside the rule’s time window', null, out)
        return
      }
      switch (rule.type) {
        case 'threshold':
          this.threshold(rule, r, out)
          break
        case 'congestion':
          this.congestion(rule, r, out)
          break
        case 'flatline':
          this.flatline(rule, r, out)
          break
        case 'offline':
          this.offline(rule, r, out)
          break
        case 'air-quality':
          this.airQuality(rule, r, out)
          break
        case 'state':
          this.state(rule, r, out)
          break
      }
    }
  }

  /** Time passes: staleness and the ingest's root cause. Call about every second. */
  tick(nowMs: number, ctx: TickContext): ConditionChange[] {
    const out: ConditionChange[] = []
    if (ctx.rootCause === null && this.outage) this.outageEndedAtMs = nowMs
    this.outage = ctx.rootCause !== null
    for (const rule of this.rules.values()) {
      if (rule.type === 'ingest-down') {
        if (ctx.rootCause !== null && inWindow(rule.scope.hours, nowMs)) this.begin(rule.id, 'ingest', null, nowMs, `no data can arrive: ${ctx.rootCause}`, ctx.rootCause, out)
        else this.end(rule.id, 'ingest', null, nowMs, 'data flows again', null, out)
      } else if (rule.type === 'stale') {
        for (const device of this.devices.values()) {
          if (!this.applies(rule, device, nowMs)) continue
          const silentMs = this.silence(device, nowMs)
          if (silentMs === null) continue
          const limitMs = rule.k * this.shortestIntervalS(device) * 1000
          if (silentMs > limitMs) this.begin(rule.id, device.id, device.id, nowMs, `silent for ${minutes(silentMs)} (expected every ${this.shortestIntervalS(device)} s)`, Math.round(silentMs / 1000), out)
          else if (this.active.has(key(rule.id, device.id))) this.end(rule.id, device.id, device.id, nowMs, 'reporting again', null, out)
        }
      }
    }
    return out
  }

  // --- rule types ---------------------------------------------------------------------------

  private threshold(rule: Extract<AlarmRule, { type: 'threshold' }>, r: EngineReading, out: ConditionChange[]): void {
    const v = num(r.values[rule.metric])
    if (v === null) return
    const above = rule.above !== undefined
    const limit = (above ? rule.above : rule.below)!
    const bad = above ? v > limit : v < limit
    const good = above ? v <= limit - rule.deadband : v >= limit + rule.deadband
    const what = `${rule.metric} ${round(v)} ${above ? 'above' : 'below'} ${limit}`
    this.held(rule.id, r.deviceId, r.deviceId, r.observedAtMs, bad, good, rule.delayS, what, `${rule.metric} ${round(v)}, back ${above ? 'below' : 'above'} ${above ? limit - rule.deadband : limit + rule.deadband}`, v, out)
  }

  private congested(rule: Extract<AlarmRule, { type: 'congestion' }>, values: Record<string, unknown>): { bad: boolean; good: boolean; occ: number | null; speed: number | null } {
    const occ = num(values.occupancyPct)
    const speed = num(values.speedKmh)
    if (occ === null) return { bad: false, good: false, occ, speed }
    const bad = occ >= rule.occupancyPctAtLeast && (speed === null || speed <= rule.speedKmhAtMost)
    const good = occ < rule.occupancyPctAtLeast - CONGESTION_DEADBAND.occupancyPct || (speed !== null && speed > rule.speedKmhAtMost + CONGESTION_DEADBAND.speedKmh)
    return { bad, good, occ, speed }
  }

  private congestion(rule: Extract<AlarmRule, { type: 'congestion' }>, r: EngineReading, out: ConditionChange[]): void {
    const c = this.congested(rule, r.values)
    if (c.occ === null) return
    const what = `congested: occupancy ${round(c.occ)} %${c.speed === null ? '' : `, speed ${round(c.speed)} km/h`}`
    this.held(rule.id, r.deviceId, r.deviceId, r.observedAtMs, c.bad, c.good, rule.delayS, what, `flowing: occupancy ${round(c.occ)} %`, c.occ, out)
  }

  private corridor(rule: Extract<AlarmRule, { type: 'congestion' }>, r: EngineReading, out: ConditionChange[]): void {
    const c = this.congested(rule, r.values)
    if (c.occ === null) return
    let set = this.corridorLoops.get(rule.id)
    if (!set) this.corridorLoops.set(rule.id, (set = new Set()))
    if (c.bad) set.add(r.deviceId)
    else if (c.good) set.delete(r.deviceId)
    const n = set.size
    const min = rule.corridor!.minLoops
    this.held(rule.id, 'corridor', null, r.observedAtMs, n >= min, n < min, rule.delayS, `${n} of ${rule.corridor!.deviceIds.length} loops congested`, `${n} of ${rule.corridor!.deviceIds.length} loops congested`, n, out)
  }

  private flatline(rule: Extract<AlarmRule, { type: 'flatline' }>, r: EngineReading, out: ConditionChange[]): void {
    if (!(rule.metric in r.values)) return
    const v = r.values[rule.metric]
    const k = key(rule.id, r.deviceId)
    const f = this.flats.get(k)
    if (f && f.active && f.value === undefined) {
      // Active when this process took over (seedActive): the value it is stuck at is this one.
      f.value = v
      f.since = r.observedAtMs - rule.windowS * 1000
      return
    }
    if (!f || f.value !== v) {
      if (f?.active) this.end(rule.id, r.deviceId, r.deviceId, r.observedAtMs, `${rule.metric} changes again (${String(v)})`, num(v), out)
      this.flats.set(k, { value: v, since: r.observedAtMs, active: false })
      return
    }
    if (!f.active && r.observedAtMs - f.since >= rule.windowS * 1000) {
      f.active = true
      this.begin(rule.id, r.deviceId, r.deviceId, r.observedAtMs, `${rule.metric} stuck at ${String(v)} for ${minutes(r.observedAtMs - f.since)}`, num(v) ?? String(v), out)
    }
  }

  private state(rule: Extract<AlarmRule, { type: 'state' }>, r: EngineReading, out: ConditionChange[]): void {
    const v = r.values[rule.metric]
    if (typeof v !== 'string') return
    const bad = rule.in.includes(v)
    this.held(rule.id, r.deviceId, r.deviceId, r.observedAtMs, bad, !bad, rule.delayS, `${rule.metric} is ${v}`, `${rule.metric} is ${v}`, v, out)
  }

  private offline(rule: Extract<AlarmRule, { type: 'offline' }>, r: EngineReading, out: ConditionChange[]): void {
    const status = r.values.status
    if (typeof status !== 'string') return
    const bad = (r.kind === 'ztl-gate' && (status === 'offline' || status === 'fault')) || (r.kind === 'connectivity' && status === 'down')
    if (bad) this.begin(rule.id, r.deviceId, r.deviceId, r.observedAtMs, `reports ${status}`, status, out)
    else this.end(rule.id, r.deviceId, r.deviceId, r.observedAtMs, `reports ${status}`, status, out)
  }

  private airQuality(rule: Extract<AlarmRule, { type: 'air-quality' }>, r: EngineReading, out: ConditionChange[]): void {
    if (r.kind !== 'air-quality' || r.stream !== rule.pollutant) return
    const v = num(r.values.value)
    const factor = UNIT_TO_UG[String(r.values.unit)]
    if (v === null || factor === undefined || r.values.validity === 'invalid') return
    const limit = AIR_QUALITY_LIMITS[rule.pollutant]
    const period = romePeriod(r.observedAtMs, limit.averaging)
    const k = key(rule.id, r.deviceId)
    let m = this.means.get(k)
    if (!m || m.period !== period) {
      if (m && m.period > period) return // a late reading of a period already judged
      m = { period, sum: 0, n: 0, active: m?.active ?? false }
      this.means.set(k, m)
    }
    m.sum += v * factor
    m.n++
    const mean = m.sum / m.n
    const label = `${limit.what}: ${limit.averaging === 'hour' ? 'hourly' : 'daily'} mean ${round(mean)} µg/m³ (${period.replace('T', ' ')}${limit.averaging === 'hour' ? ':00' : ''}, limit ${limit.limitUgM3})`
    if (mean > limit.limitUgM3 && !m.active) {
      m.active = true
      this.begin(rule.id, r.deviceId, r.deviceId, r.observedAtMs, label, round(mean), out)
    } else if (mean <= limit.limitUgM3 && m.active) {
      m.active = false
      this.end(rule.id, r.deviceId, r.deviceId, r.observedAtMs, label, round(mean), out)
    }
  }

  // --- shared machinery -----------------------------------------------------------------------

  /** A condition with a delay and a deadband: active after `bad` held delayS, normal once `good`. */
  private held(ruleId: string, subject: string, deviceId: string | null, t: number, bad: boolean, good: boolean, delayS: number, what: string, whatNormal: string, value: number | string, out: ConditionChange[]): void {
    const k = key(ruleId, subject)
    let h = this.holds.get(k)
    if (!h) this.holds.set(k, (h = { since: null, active: false }))
    if (h.active) {
      if (good) {
        h.active = false
        h.since = null
        this.end(ruleId, subject, deviceId, t, whatNormal, value, out)
      }
      return
    }
    if (!bad) {
      h.since = null
      return
    }
    h.since ??= t
    if (t - h.since >= delayS * 1000) {
      h.active = true
      this.begin(ruleId, subject, deviceId, t, delayS > 0 ? `${what} for ${minutes(t - h.since)}` : what, value, out)
    }
  }

  private begin(ruleId: string, subject: string, deviceId: string | null, atMs: number, message: string, value: number | string | null, out: ConditionChange[]): void {
    const k = key(ruleId, subject)
    if (this.active.has(k)) return
    this.active.set(k, { ruleId, subject, deviceId })
    out.push({ ruleId, subject, deviceId, active: true, atMs, message, value })
  }

  private end(ruleId: string, subject: string, deviceId: string | null, atMs: number, message: string, value: number | string | null, out: ConditionChange[]): void {
    const k = key(ruleId, subject)
    if (!this.active.delete(k)) return
    const h = this.holds.get(k)
    if (h) {
      h.active = false
      h.since = null
    }
    const f = this.flats.get(k)
    if (f) f.active = false
    const m = this.means.get(k)
    if (m) m.active = false
    out.push({ ruleId, subject, deviceId, active: false, atMs, message, value })
  }

  private applies(rule: AlarmRule, d: EngineDevice, atMs: number): boolean {
    const s = rule.scope
    if (s.kinds && !s.kinds.includes(d.kind)) return false
    if (!s.kinds && !defaultKinds(rule).includes(d.kind)) return false
    if (s.deviceIds && !s.deviceIds.includes(d.id)) return false
    if (s.area && !d.areas.includes(s.area.id)) return false
    return inWindow(s.hours, atMs)
  }

  private see(deviceId: string, stream: string, atMs: number): void {
    let m = this.lastSeen.get(deviceId)
    if (!m) this.lastSeen.set(deviceId, (m = new Map()))
    if ((m.get(stream) ?? -Infinity) < atMs) m.set(stream, atMs)
  }

  /** How long the device has been silent (its freshest stream), counted from an outage's end at the latest; null if never heard. */
  private silence(d: EngineDevice, nowMs: number): number | null {
    const m = this.lastSeen.get(d.id)
    if (!m || m.size === 0) return null
    let last = -Infinity
    for (const t of m.values()) if (t > last) last = t
    return nowMs - Math.max(last, this.outageEndedAtMs)
  }

  /** The interval of the device's most frequent stream it has used (a daily PM10 station is not stale after 10 hours). */
  private shortestIntervalS(d: EngineDevice): number {
    const m = this.lastSeen.get(d.id)
    let best = Infinity
    for (const stream of m?.keys() ?? []) best = Math.min(best, streamIntervalS(d.kind, stream, d.expectedIntervalS))
    return Number.isFinite(best) ? best : d.expectedIntervalS
  }

  private forgetRule(id: string): void {
    const prefix = `${id}\u0000`
    for (const m of [this.holds, this.flats, this.means]) for (const k of m.keys()) if (k.startsWith(prefix)) m.delete(k)
    this.corridorLoops.delete(id)
  }
}

/** The device kinds a rule type applies to when its scope names none. */
export function defaultKinds(rule: AlarmRule): DeviceKind[] {
  switch (rule.type) {
    case 'congestion':
      return ['traffic-loop']
    case 'offline':
      return ['ztl-gate', 'connectivity']
    case 'air-quality':
      return ['air-quality']
    case 'threshold':
    case 'state':
    case 'flatline':
    case 'stale':
      return ['traffic-loop', 'air-quality', 'ztl-gate', 'bike-counter', 'connectivity', 'signal-controller']
    case 'ingest-down':
    case 'signal-deploy':
      return []
  }
}

function round(v: number): number {
  return Math.round(v * 10) / 10
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000)
  return m < 1 ? `${Math.round(ms / 1000)} s` : m < 120 ? `${m} min` : `${Math.round(m / 6) / 10} h`
}
