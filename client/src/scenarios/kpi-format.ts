/**
 * The KPI cards of the compare view: for each KPI of the estimate, base and scenario (or scenario A
 * and B), the difference and the change in %, and whether the change is the one that matters —
 * worse for the city (more delay, fewer km/h, more CO₂…). ISA-101: only a worsening gets colour (and
 * ▲/▼ with the word); an improvement or no change stays grey. Pure.
 */
import type { KpisDto } from '../../../contracts/scenario-api'
import type { Formatters } from '../app/i18n/format'

export type KpiKey = keyof KpisDto
export const KPI_KEYS: readonly KpiKey[] = ['vehKm', 'vehHours', 'meanSpeedKmh', 'delayVehHours', 'unservedVehH', 'linksOverCapacity', 'co2Kg', 'noxKg', 'pm25Kg']

export interface KpiSpec {
  /** Fraction digits shown. */
  digits: number
  /** Which way is worse for the city. */
  worse: 'up' | 'down'
}

export const KPI_SPECS: Readonly<Record<KpiKey, KpiSpec>> = {
  vehKm: { digits: 0, worse: 'up' },
  vehHours: { digits: 0, worse: 'up' },
  meanSpeedKmh: { digits: 1, worse: 'down' },
  delayVehHours: { digits: 0, worse: 'up' },
  unservedVehH: { digits: 0, worse: 'up' },
  linksOverCapacity: { digits: 0, worse: 'up' },
  co2Kg: { digits: 0, worse: 'up' },
  noxKg: { digits: 1, worse: 'up' },
  pm25Kg: { digits: 2, worse: 'up' },
}

/** A change under this share of the base (in %) is "no change": noise of the assignment's convergence. */
export const SAME_BELOW_PERCENT = 0.5

export type KpiTone = 'worse' | 'better' | 'same'

export interface KpiChange {
  key: KpiKey
  base: number
  scenario: number
  delta: number
  /** null when the base is 0. */
  percent: number | null
  direction: 'up' | 'down' | 'none'
  tone: KpiTone
}

/** The change of one KPI from `base` to `scenario`. */
export function kpiChange(key: KpiKey, base: number, scenario: number): KpiChange {
  const delta = scenario - base
  const percent = base === 0 ? null : (delta / Math.abs(base)) * 100
  const rounded = Math.round(delta * 10 ** KPI_SPECS[key].digits) === 0
  const small = percent !== null ? Math.abs(percent) < SAME_BELOW_PERCENT : rounded
  const direction = rounded || delta === 0 ? 'none' : delta > 0 ? 'up' : 'down'
  const tone: KpiTone = direction === 'none' || small ? 'same' : direction === KPI_SPECS[key].worse ? 'worse' : 'better'
  return { key, base, scenario, delta, percent, direction, tone }
}

/** Every KPI's change from one set to the other (the estimate's base → result, or A's result → B's). */
export function kpiChanges(base: KpisDto, scenario: KpisDto): KpiChange[] {
  return KPI_KEYS.map((k) => kpiChange(k, base[k], scenario[k]))
}

const MINUS = '\u2212'

/** A signed number: "+1.234", "−56", "0" (typographic minus; no sign on zero). */
export function signed(fmt: Formatters, value: number, digits: number): string {
  const text = fmt.number(Math.abs(value), digits)
  if (Number(text.replace(/[^\d]/g, '')) === 0) return text
  return `${value > 0 ? '+' : MINUS}${text}`
}

/** "+5.2 %", "−0.3 %", or "—" when the base is 0. */
export function signedPercent(fmt: Formatters, percent: number | null): string {
  if (percent === null) return '—'
  return `${signed(fmt, percent, Math.abs(percent) >= 10 ? 0 : 1)} %`
}

/** The arrow that says the direction in a shape, beside the colour: ▲ up, ▼ down, = none. */
export const DIRECTION_GLYPH: Readonly<Record<KpiChange['direction'], string>> = { up: '▲', down: '▼', none: '=' }
