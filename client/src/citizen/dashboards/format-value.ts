/**
 * How a dashboard writes its numbers for people (contracts/theme-dashboard-api.ts ValueFormat): in
 * it-IT or en-GB, with the measure's format — integer (1.234), decimal (1,2), percent of a 0–1 share
 * (12,5%), euro (1.235 €), hours (3,5 h) — and its unit after the number. Axis ticks use the same
 * rules without the unit, which the axis title carries.
 */
import type { Measure, ValueFormat } from '../../../../contracts/theme-dashboard-api'

export type DashboardLang = 'it' | 'en'

export const localeOf = (lang: DashboardLang) => (lang === 'en' ? 'en-GB' : 'it-IT')

/** The dashboards' language from i18next's resolved one (Italian unless the visitor chose English). */
export const dashboardLang = (resolved: string | undefined): DashboardLang => ((resolved ?? 'it').startsWith('en') ? 'en' : 'it')

const NBSP = '\u00a0'

function numberFormat(format: ValueFormat, lang: DashboardLang, value: number): Intl.NumberFormat {
  const base = { useGrouping: 'always' as const }
  switch (format) {
    case 'integer':
      return new Intl.NumberFormat(localeOf(lang), { ...base, maximumFractionDigits: 0 })
    case 'decimal':
    case 'hours': {
      // One decimal, two below 1 (0,05 is not 0,1).
      const digits = Math.abs(value) < 1 && value !== 0 ? 2 : 1
      return new Intl.NumberFormat(localeOf(lang), { ...base, minimumFractionDigits: 0, maximumFractionDigits: digits })
    }
    case 'percent':
      return new Intl.NumberFormat(localeOf(lang), { ...base, style: 'percent', maximumFractionDigits: 1 })
    case 'euro':
      return new Intl.NumberFormat(localeOf(lang), { ...base, style: 'currency', currency: 'EUR', minimumFractionDigits: Number.isInteger(value) || Math.abs(value) >= 1000 ? 0 : 2, maximumFractionDigits: Number.isInteger(value) || Math.abs(value) >= 1000 ? 0 : 2 })
  }
}

/** The number alone, as the format says (no unit): axis ticks, CSV-free displays. */
export function formatNumber(value: number, format: ValueFormat, lang: DashboardLang): string {
  return numberFormat(format, lang, value).format(value)
}

/** The unit written after a value: the measure's, or "h" for hours when it names none. */
export function unitOf(m: Pick<Measure, 'unit' | 'format'>): string | null {
  if (m.unit !== null && m.unit !== '') return m.unit
  return m.format === 'hours' ? 'h' : null
}

/** A value with its unit ("45 µg/m³", "12,5%", "1.235 €"); null → the given no-data text. */
export function formatValue(value: number | null, m: Pick<Measure, 'unit' | 'format'>, lang: DashboardLang, noData = '—'): string {
  if (value === null || !Number.isFinite(value)) return noData
  const n = formatNumber(value, m.format, lang)
  const unit = m.format === 'percent' || m.format === 'euro' ? null : unitOf(m)
  return unit ? `${n}${NBSP}${unit}` : n
}

/** A measure's name with its unit, for axis titles and table headers: "NO₂ (µg/m³)". */
export function measureHeading(m: Pick<Measure, 'unit' | 'format' | 'label'>, lang: DashboardLang): string {
  const unit = m.format === 'euro' ? '€' : m.format === 'percent' ? '%' : unitOf(m)
  return unit ? `${m.label[lang]} (${unit})` : m.label[lang]
}

/** A panel's measure by id; a measure the dashboard does not describe is written as a plain decimal under its id. */
export function measureOf(measures: readonly Measure[], id: string): Measure {
  return measures.find((m) => m.id === id) ?? { id, label: { it: id, en: id }, unit: null, format: 'decimal', higherIsWorse: false }
}
