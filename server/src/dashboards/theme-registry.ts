/** The built-in themes, in the order the dashboards page lists them. */
import type { ThemeId } from '../../../contracts/theme-dashboard-api'
import type { ThemeDefinition } from './theme-definition'
import { mobilityTheme } from './themes/mobility-theme'
import { environmentTheme } from './themes/environment-theme'
import { worksTheme } from './themes/works-theme'
import { casesTheme } from './themes/cases-theme'

export const THEMES: Readonly<Record<ThemeId, ThemeDefinition>> = {
  mobility: mobilityTheme,
  environment: environmentTheme,
  works: worksTheme,
  cases: casesTheme,
}

/** The period a request asks for, within the theme's bounds (0 for a theme without a period). */
export function themeDays(t: ThemeDefinition, asked: number | undefined): number {
  if (!t.days) return 0
  return Math.min(asked ?? t.days.default, t.days.max)
}
