import type { Express, Request } from 'express'
import type { BasemapLayer } from '../../../contracts/api'
import { guarded } from '../http/access'
import { ApiError } from '../http/api-error'
import { areaLabels, type AreaFeature } from './area-labels'
import { AREA_LABELS_PATH, buildBaseStyle } from './base-style'
import { THEME_IDS, isThemeId } from './style-theme'

const HOST = /^[A-Za-z0-9.\-:[\]]+$/

/**
 * Where the browser reached us, for the absolute tile URLs MapLibre needs. A Host header that is not
 * a plain host[:port] is refused rather than echoed into the style.
 */
function requestOrigin(req: Request): string {
  const host = req.get('host') ?? ''
  if (!HOST.test(host)) throw new ApiError('VALIDATION_FAILED', `The Host header ${JSON.stringify(host)} is not a host[:port]; the style needs it to build its tile URLs.`)
  return `${req.protocol}://${host}`
}

/** The city's area polygons as GeoJSON text (routes/map/basemap-routes.ts BasemapCache fits). */
export interface AreaSource {
  get(layer: Extract<BasemapLayer, 'quartieri' | 'zone'>): Promise<{ body: Buffer }>
}

/**
 * `GET /styles/<theme>.json`: the base-map style of a theme, its tile URLs on the host asked.
 * `GET /styles/area-labels.geojson`: one label point per district and zone, computed once.
 */
export function mountStyleRoutes(app: Express, areas: AreaSource): void {
  // Recomputed only when the area layers changed (a re-import replaces the cached bodies).
  let labels: { from: Buffer[]; text: string } | null = null
  guarded(app, 'get', AREA_LABELS_PATH, 'opendata:read', async (_req, res, next) => {
    try {
      const bodies = [(await areas.get('quartieri')).body, (await areas.get('zone')).body]
      if (!labels || labels.from.some((b, i) => b !== bodies[i])) {
        const [quartieri = [], zone = []] = bodies.map((b) => (JSON.parse(b.toString('utf8')) as { features: AreaFeature[] }).features)
        labels = { from: bodies, text: JSON.stringify({ type: 'FeatureCollection', features: [...areaLabels(quartieri, 'quartiere'), ...areaLabels(zone, 'zona')] }) }
      }
      res.setHeader('Cache-Control', 'no-cache')
      res.type('application/geo+json').send(labels.text)
    } catch (err) {
      next(err)
    }
  })
  guarded(app, 'get', '/styles/:file', 'opendata:read', (req, res, next) => {
    try {
      const file = String(req.params.file)
      const theme = file.endsWith('.json') ? file.slice(0, -'.json'.length) : ''
      if (!isThemeId(theme)) throw new ApiError('NOT_FOUND', `No map style "${file}". Styles: ${THEME_IDS.map((t) => `${t}.json`).join(', ')}.`)
      // The URLs inside depend on the Host: a shared cache must key on it, and revalidate (ETag).
      res.setHeader('Vary', 'Host')
      res.setHeader('Cache-Control', 'no-cache')
      res.json(buildBaseStyle(theme, { origin: requestOrigin(req) }))
    } catch (err) {
      next(err)
    }
  })
}
