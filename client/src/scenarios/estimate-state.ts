/**
 * The compare view's estimate as the time slider drives it: the hour asked for, the request in flight,
 * and what is shown — kept on screen until the next hour's estimate arrives (the map keeps the previous
 * layer, with a spinner), never replaced by an older answer that arrives late. Pure reducer.
 */
import type { EstimateLinks, ScenarioEstimate } from '../api/scenario-client'

/** What one hour's compare shows: the estimate of the version (and of the one compared) with their links. */
export interface EstimateResult {
  hour: number
  estimate: ScenarioEstimate
  links: EstimateLinks
  /** Scenario B of `&compare=`, same hour. */
  compare: { estimate: ScenarioEstimate; links: EstimateLinks } | null
}

export interface EstimateState {
  /** The hour on the slider; null until the planner moves it (the base's own hour). */
  hour: number | null
  /** The newest request's number: an answer counts only if it is the pending request's. */
  seq: number
  pending: { seq: number; hour: number | null } | null
  shown: EstimateResult | null
  error: string | null
}

export type EstimateAction =
  | { type: 'hour'; hour: number }
  /** A request starts: `seq` numbers it (larger than every earlier one). */
  | { type: 'start'; seq: number; hour: number | null }
  | { type: 'done'; seq: number; result: EstimateResult }
  | { type: 'failed'; seq: number; message: string }
  /** Another version or comparison opened: nothing of the previous one is shown. */
  | { type: 'reset'; hour: number | null }

export const initialEstimateState = (hour: number | null = null): EstimateState => ({ hour, seq: 0, pending: null, shown: null, error: null })

export function estimateReducer(s: EstimateState, a: EstimateAction): EstimateState {
  switch (a.type) {
    case 'hour':
      return a.hour === s.hour ? s : { ...s, hour: a.hour }
    case 'start':
      return { ...s, seq: Math.max(s.seq, a.seq), pending: { seq: a.seq, hour: a.hour }, error: null }
    case 'done':
      if (s.pending?.seq !== a.seq) return s
      return { ...s, pending: null, shown: a.result, error: null }
    case 'failed':
      if (s.pending?.seq !== a.seq) return s
      return { ...s, pending: null, error: a.message }
    case 'reset':
      return { ...initialEstimateState(a.hour), seq: s.seq }
  }
}

/** The hour the slider shows: the one asked for, else the shown estimate's, else the base's. */
export function sliderHour(s: EstimateState, baseHour: number): number {
  return s.hour ?? s.shown?.hour ?? baseHour
}

/** The shown estimate is not the slider's hour yet (a new one is on its way, or failed). */
export function isStale(s: EstimateState): boolean {
  return s.shown !== null && s.hour !== null && s.shown.hour !== s.hour
}
