/**
 * How the wall codes an alarm or incident priority (docs/ui.md, "Palette"): a colour reserved for
 * it, a shape and a number, and always the word. Priority 1 (high) is red, 2 (medium) amber,
 * 3 (low) yellow; a diagnostic is cyan.
 */
import type { AlarmPriority } from '../../../contracts/alarms'

export type PriorityTone = 'critical' | 'high' | 'medium' | 'diagnostic'
export type PriorityShape = 'square' | 'triangle' | 'diamond' | 'circle'

export interface PriorityStyle {
  tone: PriorityTone
  shape: PriorityShape
  /** Drawn inside the shape. */
  mark: string
  rank: number
}

export const PRIORITY_STYLE: Readonly<Record<AlarmPriority, PriorityStyle>> = {
  high: { tone: 'critical', shape: 'square', mark: '1', rank: 0 },
  medium: { tone: 'high', shape: 'triangle', mark: '2', rank: 1 },
  low: { tone: 'medium', shape: 'diamond', mark: '3', rank: 2 },
  diagnostic: { tone: 'diagnostic', shape: 'circle', mark: 'D', rank: 3 },
}

/** The more urgent of two priorities (null: none). */
export function worstPriority(a: AlarmPriority | null, b: AlarmPriority | null): AlarmPriority | null {
  if (a === null) return b
  if (b === null) return a
  return PRIORITY_STYLE[a].rank <= PRIORITY_STYLE[b].rank ? a : b
}
