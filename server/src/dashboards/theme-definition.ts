/**
 * A built-in thematic dashboard (contracts/theme-dashboard-api.ts, docs/dashboards.md): its id, titles,
 * period bounds and the function that assembles its panels from the database. One file per theme in
 * ./themes/; the registry (./theme-registry.ts) lists them.
 */
import type { Localised, ThemeDashboard, ThemeId } from '../../../contracts/theme-dashboard-api'
import type { Db } from '../db/adapter'

export interface ThemeContext {
  db: Db
  nowMs: number
  /** The period in days, already bounded by the theme's own `days` (default when the query has none); 0 when the theme has no period. */
  days: number
}

export interface ThemeDefinition {
  id: ThemeId
  title: Localised
  description: Localised
  /** null: the theme shows the state now and ignores ?days. */
  days: { default: number; max: number } | null
  build(ctx: ThemeContext): Promise<ThemeDashboard>
}

/** A theme's dashboard from its parts: id, kind, titles and period bounds come from the definition. */
export function themeDashboard(t: ThemeDefinition, nowMs: number, parts: Pick<ThemeDashboard, 'window' | 'measures' | 'panels' | 'sources'>): ThemeDashboard {
  return { id: t.id, kind: 'theme', title: t.title, description: t.description, generatedAtMs: nowMs, days: t.days, ...parts }
}
