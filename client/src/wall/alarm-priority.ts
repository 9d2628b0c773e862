/**
 * How the wall codes an alarm or incident priority: the one priority style of the list, the map and
 * the wall (state/alarm-style.ts) — its colour, shape and ISA-18.2 number — always with the word.
 */
import type { AlarmPriority } from '../../../contracts/alarms'
import { PRIORITY_STYLE as SHARED } from '../state/alarm-style'

export type PriorityTone = 'critical' | 'high' | 'medium' | 'diagnostic'
export type PriorityShape = (typeof SHARED)[AlarmPriority]['shape']

export interface PriorityStyle {
  /** The palette colour's name (`--c-<tone>`), as the wall's CSS classes use it. */
  tone: PriorityTone
  shape: PriorityShape
  /** Drawn inside the shape: the ISA-18.2 priority number, D for a diagnostic. */
  mark: string
  /** 1 = most urgent. */
  rank: number
}

const style = (p: AlarmPriority): PriorityStyle => {
  const s = SHARED[p]
  return { tone: s.cssVar.replace(/^--c-/, '') as PriorityTone, shape: s.shape, mark: s.rank === 4 ? 'D' : String(s.rank), rank: s.rank }
}

export const PRIORITY_STYLE: Readonly<Record<AlarmPriority, PriorityStyle>> = {
  high: style('high'),
  medium: style('medium'),
  low: style('low'),
  diagnostic: style('diagnostic'),
}

/** The more urgent of two priorities (null: none). */
export function worstPriority(a: AlarmPriority | null, b: AlarmPriority | null): AlarmPriority | null {
  if (a === null) return b
  if (b === null) return a
  return PRIORITY_STYLE[a].rank <= PRIORITY_STYLE[b].rank ? a : b
}
