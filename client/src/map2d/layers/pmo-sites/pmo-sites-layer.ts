/** The PMO sites as deck.gl layers (docs/pmo.md "On the map"): no React, fed by live-map.tsx from state/pmo-map.ts. */
import { PathLayer, ScatterplotLayer, SolidPolygonLayer } from '@deck.gl/layers'
import type { Layer } from '@deck.gl/core'
import type { PmoSite } from '../../../state/pmo-map'
import { PALETTE, hexToRgba } from '../../palette'
import { dashedPath } from './dashed-path'

/** The layer ids of the PMO sites (picked for the tooltip and the click that opens a project). */
export const PMO_SITE_LAYER_IDS = ['pmo-site-areas', 'pmo-site-lines', 'pmo-site-points', 'pmo-site-selected'] as const
export const isPmoSiteLayer = (id: string) => (PMO_SITE_LAYER_IDS as readonly string[]).includes(id)

/** A drawn piece of a site: the path and the site it belongs to (picking gives the site). */
interface SitePath {
  path: Array<[number, number]>
  site: PmoSite
}

const DASH_M = 9
const GAP_M = 6

/** The outlines of a site: a line as it is, a polygon's rings; a road-closing site's cut into dashes. */
export function sitePaths(site: PmoSite): SitePath[] {
  const g = site.geometry
  const lines: Array<Array<[number, number]>> = g.type === 'LineString' ? [g.coordinates] : g.type === 'Polygon' ? g.coordinates : []
  return lines.flatMap((line) => (site.closesRoad ? dashedPath(line, DASH_M, GAP_M) : [line])).map((path) => ({ path, site }))
}

/**
 * The projects' sites (ISA-101: a work in its time is normal, so grey): lines and polygon outlines in
 * the neutral grey over a faint fill, points as grey-rimmed discs; a site that closes the road is
 * dashed (shape, not colour, says it). The project open in the PMO sheet is drawn over in white
 * (the selection colour, not a status colour).
 */
export function createPmoSiteLayers(sites: readonly PmoSite[], selected: string | null, sizeScale: number): Layer[] {
  const areas = sites.filter((s) => s.geometry.type === 'Polygon')
  const points = sites.filter((s) => s.geometry.type === 'Point')
  const paths = sites.flatMap(sitePaths)
  const chosen = sites.find((s) => s.id === selected) ?? null
  return [
    new SolidPolygonLayer<PmoSite>({
      id: 'pmo-site-areas',
      data: areas,
      pickable: true,
      getPolygon: (s) => (s.geometry.type === 'Polygon' ? s.geometry.coordinates : []),
      getFillColor: hexToRgba(PALETTE.neutral, 46),
    }),
    new PathLayer<SitePath>({
      id: 'pmo-site-lines',
      data: paths,
      pickable: true,
      widthUnits: 'pixels',
      capRounded: false,
      getPath: (p) => p.path,
      getWidth: 4 * sizeScale,
      getColor: hexToRgba(PALETTE.neutral),
    }),
    new ScatterplotLayer<PmoSite>({
      id: 'pmo-site-points',
      data: points,
      pickable: true,
      stroked: true,
      filled: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (s) => (s.geometry.type === 'Point' ? s.geometry.coordinates : [0, 0]),
      getRadius: 7 * sizeScale,
      getFillColor: hexToRgba(PALETTE.surface, 235),
      getLineWidth: 2.5 * sizeScale,
      getLineColor: hexToRgba(PALETTE.neutral),
    }),
    new PathLayer<SitePath>({
      id: 'pmo-site-selected',
      data: chosen && chosen.geometry.type !== 'Point' ? sitePaths(chosen) : [],
      pickable: false,
      widthUnits: 'pixels',
      getPath: (p) => p.path,
      getWidth: 4 * sizeScale,
      getColor: hexToRgba(PALETTE.selection),
    }),
    new ScatterplotLayer<PmoSite>({
      id: 'pmo-site-selected-point',
      data: chosen && chosen.geometry.type === 'Point' ? [chosen] : [],
      pickable: false,
      stroked: true,
      filled: false,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (s) => (s.geometry.type === 'Point' ? s.geometry.coordinates : [0, 0]),
      getRadius: 12 * sizeScale,
      getLineWidth: 2.5 * sizeScale,
      getLineColor: hexToRgba(PALETTE.selection),
    }),
  ]
}

/** The site a picked object belongs to (a path piece carries its site). */
export const pickedSite = (object: unknown): PmoSite | null => {
  if (!object || typeof object !== 'object') return null
  if ('site' in object) return (object as SitePath).site
  if ('geometry' in object && 'id' in object) return object as PmoSite
  return null
}
