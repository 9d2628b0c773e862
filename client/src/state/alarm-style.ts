/**
 * How an alarm priority looks, in one place for the list, the map and the wall (docs/ui.md, Palette):
 * ISA-18.2 priority 1–3 on the three alarm colours, each with its own shape and word, so that colour
 * is never the only code. Gemello's `high` is priority 1 (red), `medium` 2 (amber), `low` 3 (yellow).
 */
import type { AlarmPriority } from '../../../contracts/alarms'
import { PALETTE } from '../map2d/palette'

export interface PriorityStyle {
  /** ISA-18.2 priority number, 1 = most urgent. */
  rank: 1 | 2 | 3 | 4
  colour: string
  /** CSS custom property of the colour. */
  cssVar: string
  shape: 'triangle' | 'diamond' | 'square' | 'circle'
  /** Text glyph for places that cannot draw (a fallback, the shape is the real code). */
  glyph: string
}

export const PRIORITY_STYLE: Readonly<Record<AlarmPriority, PriorityStyle>> = {
  high: { rank: 1, colour: PALETTE.critical, cssVar: '--c-critical', shape: 'triangle', glyph: '▲' },
  medium: { rank: 2, colour: PALETTE.high, cssVar: '--c-high', shape: 'diamond', glyph: '◆' },
  low: { rank: 3, colour: PALETTE.medium, cssVar: '--c-medium', shape: 'square', glyph: '■' },
  diagnostic: { rank: 4, colour: PALETTE.diagnostic, cssVar: '--c-diagnostic', shape: 'circle', glyph: '●' },
}
