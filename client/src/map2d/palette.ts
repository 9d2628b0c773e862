/**
 * The ISA-101 palette of the operations center (docs/ui.md, "Palette"). Greys for everything normal;
 * the four alarm colours are used for abnormal states only, never for decoration.
 */
export const PALETTE = {
  // surfaces and text
  mapBackground: '#141619',
  surface: '#1e2024',
  surfaceRaised: '#272a2f',
  border: '#3a3e45',
  text: '#d6d9de',
  textMuted: '#9aa0a9',
  textDim: '#6e747d',
  focus: '#ffffff',
  // base map
  districtFill: '#181a1e',
  districtLine: '#4a4f57',
  zoneLine: '#2f3338',
  ztlFill: '#1d2024',
  ztlLine: '#6a707a',
  streetMinor: '#33373d',
  streetMajor: '#4a4f57',
  streetHover: '#9aa0a9',
  // devices
  neutral: '#aab0b8',
  neutralOutline: '#0e1012',
  stale: '#7d838c',
  noComm: '#5a5f67',
  selection: '#ffffff',
  // alarm priorities
  critical: '#e5352b',
  high: '#f08c1a',
  medium: '#e6cf1f',
  diagnostic: '#2fb2d8',
} as const

export type PaletteKey = keyof typeof PALETTE
export type Rgba = [number, number, number, number]

export function hexToRgba(hex: string, alpha = 255): Rgba {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha]
}

/** CSS custom properties (`--c-critical`, …) so panels use the same palette as the map. */
export function paletteCssVariables(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(PALETTE)) out[`--c-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] = value
  return out
}
