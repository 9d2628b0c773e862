/**
 * How an alarm priority looks (docs/ui.md, "Palette"): one colour and one shape per priority, always
 * with the word beside them (ISA-101 redundant coding). High is the palette's priority-1 red, medium
 * amber, low yellow; a diagnostic is cyan.
 */
import type { AlarmPriority } from '../../../contracts/alarms'
import type { ShapeName } from '../map2d/marker-style'
import { PALETTE } from '../map2d/palette'

export interface PriorityLook {
  shape: ShapeName
  /** The palette colour (hex) for SVG glyphs. */
  colour: string
  /** The CSS custom property for styles. */
  cssVar: string
}

export const PRIORITY_LOOK: Record<AlarmPriority, PriorityLook> = {
  high: { shape: 'triangle', colour: PALETTE.critical, cssVar: 'var(--c-critical)' },
  medium: { shape: 'diamond', colour: PALETTE.high, cssVar: 'var(--c-high)' },
  low: { shape: 'circle', colour: PALETTE.medium, cssVar: 'var(--c-medium)' },
  diagnostic: { shape: 'square', colour: PALETTE.diagnostic, cssVar: 'var(--c-diagnostic)' },
}

/** Text glyphs of the same shapes, for places where an SVG does not fit (the status bar counts). */
export const PRIORITY_GLYPH: Record<AlarmPriority, string> = { high: '▲', medium: '◆', low: '●', diagnostic: '■' }

export const PRIORITIES: readonly AlarmPriority[] = ['high', 'medium', 'low', 'diagnostic']
