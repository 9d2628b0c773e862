/**
 * A dashboard's view lives in its address, so that a shared link or a reload shows the same thing:
 *   days=30                        the period (themes whose figures depend on it)
 *   embed=1                        the embeddable view (only the dashboard, for an <iframe>)
 *   panel=<panel id>               with embed=1: only that panel (an unknown id: the whole dashboard)
 *   <panel>.level=area_statistica  a choropleth's level
 *   <panel>.measure=<measure id>   a choropleth's measure
 *   <panel>.area=<area id>         a choropleth's selected area
 * Other parameters (lang) are kept as they are. What the address names is checked against the
 * dashboard when drawn (resolveView): an unknown level, measure or area falls back to the default.
 */
import { AREA_LEVELS, AreaLevelSchema, type AreaLevel, type ChoroplethPanel, type ThemeDashboard } from '../../../../contracts/theme-dashboard-api'

export interface ChoroplethView {
  level?: AreaLevel
  measure?: string
  area?: string
}

export interface DashboardUrlState {
  days: number | null
  embed: boolean
  /** The one panel an embedded view shows (only with embed), or null for the whole dashboard. */
  panel: string | null
  /** By panel id. */
  views: Record<string, ChoroplethView>
}

const VIEW_KEYS = ['level', 'measure', 'area'] as const
type ViewKey = (typeof VIEW_KEYS)[number]

/** A view parameter's panel id and key ("traffic.level" → ["traffic", "level"]), or null. */
function viewParam(name: string): [string, ViewKey] | null {
  const dot = name.lastIndexOf('.')
  if (dot <= 0) return null
  const key = name.slice(dot + 1)
  return (VIEW_KEYS as readonly string[]).includes(key) ? [name.slice(0, dot), key as ViewKey] : null
}

export function isEmbed(search: string): boolean {
  return new URLSearchParams(search).get('embed') === '1'
}

export function parseUrlState(search: string): DashboardUrlState {
  const q = new URLSearchParams(search)
  const daysText = q.get('days')
  const days = daysText !== null && /^\d{1,3}$/.test(daysText) && Number(daysText) >= 1 && Number(daysText) <= 366 ? Number(daysText) : null
  const views: Record<string, ChoroplethView> = {}
  for (const [name, value] of q) {
    const p = viewParam(name)
    if (!p || value === '') continue
    const [panel, key] = p
    const view = (views[panel] ??= {})
    if (key === 'level') {
      const level = AreaLevelSchema.safeParse(value)
      if (level.success) view.level = level.data
    } else view[key] = value
  }
  const embed = q.get('embed') === '1'
  return { days, embed, panel: (embed && q.get('panel')) || null, views }
}

/** The query string of a state ("?…", or "" when empty), keeping the other parameters of `current`. */
export function writeUrlState(state: DashboardUrlState, current = ''): string {
  const q = new URLSearchParams(current)
  for (const name of [...q.keys()]) if (name === 'days' || name === 'embed' || name === 'panel' || viewParam(name)) q.delete(name)
  if (state.days !== null) q.set('days', String(state.days))
  if (state.embed) q.set('embed', '1')
  if (state.embed && state.panel !== null) q.set('panel', state.panel)
  for (const [panel, view] of Object.entries(state.views)) for (const key of VIEW_KEYS) if (view[key] !== undefined) q.set(`${panel}.${key}`, view[key])
  const text = q.toString()
  return text ? `?${text}` : ''
}

/** The embedded view of one panel as it is now: the period and that panel's view, not the others'. */
export function panelState(state: DashboardUrlState, panelId: string): DashboardUrlState {
  const view = state.views[panelId]
  return { days: state.days, embed: true, panel: panelId, views: view ? { [panelId]: view } : {} }
}

/** A choropleth's level, measure and selected area: the address's when the panel has them, else its defaults. */
export function resolveView(panel: Pick<ChoroplethPanel, 'levels' | 'measureIds'>, view: ChoroplethView | undefined): { level: AreaLevel; measure: string; area: string | null } {
  const offered = AREA_LEVELS.filter((l) => panel.levels[l] !== undefined)
  const level = view?.level && offered.includes(view.level) ? view.level : (offered[0] ?? 'quartiere')
  const measure = view?.measure && panel.measureIds.includes(view.measure) ? view.measure : panel.measureIds[0]!
  const rows = panel.levels[level] ?? []
  const area = view?.area && rows.some((r) => r.areaId === view.area) ? view.area : null
  return { level, measure, area }
}

/** The periods offered (days): 7, 30, 90, 365 up to the dashboard's maximum, and its default. */
export function dayOptions(days: NonNullable<ThemeDashboard['days']>): number[] {
  const set = new Set([7, 30, 90, 365].filter((d) => d <= days.max))
  set.add(days.default)
  return [...set].sort((a, b) => a - b)
}
