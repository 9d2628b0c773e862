import { isStale, liveQuality, streamIntervalS, type LiveDevice, type LiveQuality, type LiveState } from '../../../contracts/schemas/live-state'
import {
  AirQualityValuesSchema,
  BikeCountValuesSchema,
  GateValuesSchema,
  LinkValuesSchema,
  SignalStageValuesSchema,
  TrafficValuesSchema,
} from '../../../contracts/schemas/reading'
import type { DeviceKind } from '../../../contracts/schemas/device'
import { AIR_QUALITY_THRESHOLDS, TRAFFIC_THRESHOLDS, isPollutant, toMicrogramsPerM3 } from './thresholds'

/** ISA-101 alarm priorities plus `normal`; `diagnostic` is a device problem, not a process alarm. */
export type Severity = 'normal' | 'diagnostic' | 'medium' | 'high' | 'critical'
export type Freshness = 'fresh' | 'stale' | 'no_comm' | 'no_data'

/** i18n key suffix under `condition.` explaining the state in words (the redundant code of every colour). */
export type ConditionReason =
  | 'ok'
  | 'no_data'
  | 'stale'
  | 'no_comm'
  | 'quality_bad'
  | 'values_invalid'
  | 'traffic_heavy'
  | 'traffic_congested'
  | 'aq_approaching'
  | 'aq_limit'
  | 'aq_alert'
  | 'aq_invalid'
  | 'gate_degraded'
  | 'gate_fault'
  | 'gate_offline'
  | 'link_degraded'
  | 'link_down'
  | 'signal_flashing'
  | 'signal_off'

export interface StreamCondition {
  stream: string
  quality: LiveQuality
  freshness: Exclude<Freshness, 'no_data'>
  severity: Severity
  reason: ConditionReason
}

export interface DeviceCondition {
  freshness: Freshness
  /** Worst severity among the fresh streams; `normal` when nothing is fresh. */
  severity: Severity
  reason: ConditionReason
  streams: StreamCondition[]
}

const SEVERITY_RANK: Record<Severity, number> = { normal: 0, diagnostic: 1, medium: 2, high: 3, critical: 4 }

export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity]
}

const AGE_RANK: Partial<Record<LiveQuality, number>> = { uncertain_stale: 1, bad_no_comm: 2 }

/**
 * The quality to show now: the contract's one staleness rule applied at server time (client clock +
 * offset), never fresher than what the server last said. A value ages on screen with the socket dead.
 */
export function effectiveQuality(state: LiveState, expectedIntervalS: number, serverNowMs: number): LiveQuality {
  const local = liveQuality(state.reportedQuality, state.observedAtMs, streamIntervalS(state.kind, state.stream, expectedIntervalS), serverNowMs)
  const localRank = AGE_RANK[local] ?? 0
  const serverRank = AGE_RANK[state.quality] ?? 0
  if (serverRank > localRank) return state.quality
  return local
}

interface Judgement {
  severity: Severity
  reason: ConditionReason
}

const OK: Judgement = { severity: 'normal', reason: 'ok' }
const INVALID: Judgement = { severity: 'diagnostic', reason: 'values_invalid' }

export function judgeTraffic(values: unknown): Judgement {
  const parsed = TrafficValuesSchema.safeParse(values)
  if (!parsed.success) return INVALID
  const { occupancyPct, speedKmh } = parsed.data
  const t = TRAFFIC_THRESHOLDS
  const busy = occupancyPct >= t.speedMinOccupancyPct
  if (occupancyPct >= t.congestedOccupancyPct || (busy && speedKmh !== null && speedKmh <= t.crawlSpeedKmh)) {
    return { severity: 'critical', reason: 'traffic_congested' }
  }
  if (occupancyPct >= t.heavyOccupancyPct || (busy && speedKmh !== null && speedKmh <= t.slowSpeedKmh)) {
    return { severity: 'high', reason: 'traffic_heavy' }
  }
  return OK
}

export function judgeAirQuality(stream: string, values: unknown): Judgement {
  const parsed = AirQualityValuesSchema.safeParse(values)
  if (!parsed.success) return INVALID
  if (parsed.data.validity === 'invalid') return { severity: 'diagnostic', reason: 'aq_invalid' }
  if (!isPollutant(stream)) return OK
  const limits = AIR_QUALITY_THRESHOLDS[stream]
  if (!limits) return OK
  const ug = toMicrogramsPerM3(stream, parsed.data.value, parsed.data.unit)
  if (!Number.isFinite(ug)) return INVALID
  if (ug > limits.critical) return { severity: 'critical', reason: 'aq_alert' }
  if (ug > limits.high) return { severity: 'high', reason: 'aq_limit' }
  if (ug > limits.medium) return { severity: 'medium', reason: 'aq_approaching' }
  return OK
}

export function judgeGate(values: unknown): Judgement {
  const parsed = GateValuesSchema.safeParse(values)
  if (!parsed.success) return INVALID
  switch (parsed.data.status) {
    case 'operational':
      return OK
    case 'degraded':
      return { severity: 'medium', reason: 'gate_degraded' }
    case 'fault':
      return { severity: 'high', reason: 'gate_fault' }
    case 'offline':
      return { severity: 'high', reason: 'gate_offline' }
  }
}

export function judgeLink(values: unknown): Judgement {
  const parsed = LinkValuesSchema.safeParse(values)
  if (!parsed.success) return INVALID
  switch (parsed.data.status) {
    case 'up':
      return OK
    case 'degraded':
      return { severity: 'medium', reason: 'link_degraded' }
    case 'down':
      return { severity: 'high', reason: 'link_down' }
  }
}

export function judgeSignal(values: unknown): Judgement {
  const parsed = SignalStageValuesSchema.safeParse(values)
  if (!parsed.success) return INVALID
  if (parsed.data.mode === 'off') return { severity: 'critical', reason: 'signal_off' }
  if (parsed.data.mode === 'flashing') return { severity: 'high', reason: 'signal_flashing' }
  return OK
}

export function judgeBikes(values: unknown): Judgement {
  return BikeCountValuesSchema.safeParse(values).success ? OK : INVALID
}

export function judgeValues(kind: DeviceKind, stream: string, values: unknown): Judgement {
  switch (kind) {
    case 'traffic-loop':
      return judgeTraffic(values)
    case 'air-quality':
      return judgeAirQuality(stream, values)
    case 'ztl-gate':
      return judgeGate(values)
    case 'connectivity':
      return judgeLink(values)
    case 'signal-controller':
      return judgeSignal(values)
    case 'bike-counter':
      return judgeBikes(values)
  }
}

/** Judging values does not depend on time: cached per state object (states are immutable). */
const judged = new WeakMap<LiveState, Judgement>()

function judgeState(kind: DeviceKind, state: LiveState): Judgement {
  let judgement = judged.get(state)
  if (!judgement) {
    judgement = judgeValues(kind, state.stream, state.values)
    judged.set(state, judgement)
  }
  return judgement
}

export function streamCondition(kind: DeviceKind, state: LiveState, expectedIntervalS: number, serverNowMs: number): StreamCondition {
  const quality = effectiveQuality(state, expectedIntervalS, serverNowMs)
  if (quality === 'bad_no_comm') return { stream: state.stream, quality, freshness: 'no_comm', severity: 'normal', reason: 'no_comm' }
  if (isStale(quality)) return { stream: state.stream, quality, freshness: 'stale', severity: 'normal', reason: 'stale' }
  if (quality === 'bad') return { stream: state.stream, quality, freshness: 'fresh', severity: 'diagnostic', reason: 'quality_bad' }
  return { stream: state.stream, quality, freshness: 'fresh', ...judgeState(kind, state) }
}

/**
 * The condition of a device from all its streams: fresh when any stream is fresh (its severity is the
 * worst fresh one), else stale, else no communication; `no_data` when nothing was ever received.
 */
export function deviceCondition(
  device: Pick<LiveDevice, 'kind' | 'expectedIntervalS'>,
  states: Iterable<LiveState>,
  serverNowMs: number,
): DeviceCondition {
  const streams: StreamCondition[] = []
  for (const state of states) streams.push(streamCondition(device.kind, state, device.expectedIntervalS, serverNowMs))
  if (streams.length === 0) return { freshness: 'no_data', severity: 'normal', reason: 'no_data', streams }
  const fresh = streams.filter((s) => s.freshness === 'fresh')
  if (fresh.length > 0) {
    let worst = fresh[0] as StreamCondition
    for (const s of fresh) if (SEVERITY_RANK[s.severity] > SEVERITY_RANK[worst.severity]) worst = s
    return { freshness: 'fresh', severity: worst.severity, reason: worst.reason, streams }
  }
  if (streams.some((s) => s.freshness === 'stale')) return { freshness: 'stale', severity: 'normal', reason: 'stale', streams }
  return { freshness: 'no_comm', severity: 'normal', reason: 'no_comm', streams }
}
