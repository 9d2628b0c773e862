/**
 * A panel as CSV, as a spreadsheet opens it: RFC 4180 (`,` separated, `"` quoted, CRLF), UTF-8 with a
 * byte-order mark (so Excel reads "città" and "µg/m³" right), a header row, numbers as JavaScript
 * writes them (a dot for decimals, shares as 0–1). A text cell a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR at the start; OWASP "CSV injection") gets a leading apostrophe, as the server's
 * CSV files do (server/src/census/files/csv-writer.ts); numbers are never changed.
 *   choropleth: area code, area name, then each measure — one row per area of the level shown;
 *   chart: x (category, hour, or day in Rome's calendar), then each series — one row per x.
 */
import type { AreaRow, ChartPanel, Measure } from '../../../../contracts/theme-dashboard-api'
import { isoRome, seriesValues, xDomain } from './chart-model'
import { measureHeading, type DashboardLang } from './format-value'

export type CsvValue = string | number | boolean | null | undefined

export const BOM = '\uFEFF'

/** One RFC 4180 cell, with the CSV-injection guard. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number' && !Number.isFinite(value)) return ''
  let text: string
  if (typeof value === 'string') text = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value
  else text = String(value)
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** A table as CSV text: the BOM, the header, the rows, each line ended by CRLF. */
export function buildCsv(header: readonly CsvValue[], rows: ReadonlyArray<readonly CsvValue[]>): string {
  const lines = [header, ...rows].map((r) => r.map(csvCell).join(','))
  return `${BOM}${lines.join('\r\n')}\r\n`
}

/** A choropleth at one level: code, name, each measure (with its unit in the header). */
export function choroplethCsv(rows: readonly AreaRow[], measures: readonly Measure[], lang: DashboardLang, headings: { code: string; name: string }): string {
  return buildCsv(
    [headings.code, headings.name, ...measures.map((m) => measureHeading(m, lang))],
    rows.map((r) => [r.code, r.name, ...measures.map((m) => r.values[m.id] ?? null)]),
  )
}

/** A chart: its x, then one column per series (named with the measure's unit when it has one). */
export function chartCsv(panel: ChartPanel, measure: Measure | undefined, lang: DashboardLang): string {
  const domain = xDomain(panel)
  const values = seriesValues(panel, domain)
  const xCell = (key: string | number, label: string): CsvValue => (panel.xKind === 'time' && typeof key === 'number' ? isoRome(key) : panel.xKind === 'hour' ? key : label)
  return buildCsv(
    [panel.xLabel[lang], ...panel.series.map((s) => (measure ? measureHeading({ ...measure, label: s.label }, lang) : s.label[lang]))],
    domain.map((x, i) => [xCell(x.key, x.label[lang]), ...values.map((s) => s[i] ?? null)]),
  )
}

/** The file name of a panel's export: "<dashboard-id>-<panel-id>.<ext>" (the panel id made file-safe). */
export function exportFileName(dashboardId: string, panelId: string, ext: 'csv' | 'png'): string {
  const safe = panelId.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'panel'
  return `${dashboardId}-${safe}.${ext}`
}
