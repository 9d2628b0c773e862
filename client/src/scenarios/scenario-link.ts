/**
 * Where a link opens the scenario explorer: `/?scenario=<id>` (the latest version) or
 * `/?scenario=<id>/<version>`, with `&hour=H` (the time slider, 0–23) and `&compare=<id2>/<v2>`
 * (scenario A against scenario B on the split map). The page's address follows what the explorer
 * shows, so a planner can send it. Pure.
 */
import { ScenarioIdSchema } from '../../../contracts/scenario-api'

export interface ScenarioRef {
  id: string
  /** null: the latest version. */
  version: number | null
}

export interface ScenarioLink extends ScenarioRef {
  hour: number | null
  compare: ScenarioRef | null
}

const VERSION = /^[1-9]\d{0,6}$/

/** `chiusura-rizzoli/3` → { id, version: 3 }; `chiusura-rizzoli` → latest; anything else → null. */
export function parseScenarioRef(text: string | null | undefined): ScenarioRef | null {
  if (!text) return null
  const [id, version, ...rest] = text.split('/')
  if (rest.length > 0 || !ScenarioIdSchema.safeParse(id).success) return null
  if (version === undefined || version === '') return { id: id!, version: null }
  return VERSION.test(version) ? { id: id!, version: Number(version) } : null
}

export const formatScenarioRef = (ref: ScenarioRef) => (ref.version === null ? ref.id : `${ref.id}/${ref.version}`)

/** The explorer's link in a page address (`?scenario=…&hour=…&compare=…`); null when there is none or it is not one. */
export function parseScenarioLink(search: string): ScenarioLink | null {
  const params = new URLSearchParams(search)
  const ref = parseScenarioRef(params.get('scenario'))
  if (!ref) return null
  const hourText = params.get('hour')
  const hour = hourText !== null && /^\d{1,2}$/.test(hourText) && Number(hourText) <= 23 ? Number(hourText) : null
  return { ...ref, hour, compare: parseScenarioRef(params.get('compare')) }
}

/** The page address's query with the explorer's link set (or removed, with null); the other parameters stay. */
export function withScenarioLink(search: string, link: ScenarioLink | null): string {
  const params = new URLSearchParams(search)
  for (const k of ['scenario', 'hour', 'compare']) params.delete(k)
  if (link) {
    params.set('scenario', formatScenarioRef(link))
    if (link.hour !== null) params.set('hour', String(link.hour))
    if (link.compare) params.set('compare', formatScenarioRef(link.compare))
  }
  const qs = params.toString().replaceAll('%2F', '/')
  return qs ? `?${qs}` : ''
}
