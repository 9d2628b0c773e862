/**
 * The PMO's work sites on the map (GET /api/pmo/sites.geojson, contracts/pmo-api.ts PMO_ROUTES.pmoSites,
 * pmo:read): one Feature per project with a site — a Point, LineString or Polygon in lon/lat — and the
 * project's title, line, status, health, dates and whether (and when) the site closes the road.
 *
 * The contract declares the collection's features as unknown; the part the scenario explorer reads is
 * declared here, on the contract's own site geometry and enumerations. Failures are ApiError (FORBIDDEN
 * without pmo:read, NETWORK, BAD_RESPONSE when the answer is not a FeatureCollection…).
 */
import { z } from 'zod'
import { HealthSchema, PMO_ROUTES } from '../../../contracts/pmo-api'
import { PmoLineSchema, ProjectSiteSchema, ProjectStatusSchema } from '../../../contracts/schemas/pmo'
import { sendJson, type FetchLike } from './send-json'

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

export const PmoSiteGeometrySchema = ProjectSiteSchema.shape.geometry
export type PmoSiteGeometry = z.infer<typeof PmoSiteGeometrySchema>

export const PmoSiteFeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.string().optional(),
  geometry: PmoSiteGeometrySchema,
  properties: z.object({
    /** The project's id (the close-road edit's `source.pmoSiteId`). */
    id: z.string(),
    title: z.string(),
    line: PmoLineSchema,
    lineTitle: z.string(),
    status: ProjectStatusSchema,
    health: HealthSchema,
    startDate: Day,
    endDate: Day,
    closesRoad: z.boolean(),
    /** The days the road is closed (Europe/Rome, inclusive); null when not set. */
    closedFrom: Day.nullable(),
    closedTo: Day.nullable(),
  }),
})
export type PmoSiteFeature = z.infer<typeof PmoSiteFeatureSchema>

const siteOf = (feature: unknown): PmoSiteFeature[] => {
  const site = PmoSiteFeatureSchema.safeParse(feature)
  return site.success ? [site.data] : []
}

/** The collection; a feature that does not match (a newer server's status, a broken site) is skipped, not fatal. */
export const PmoSiteCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()).transform((features) => features.flatMap(siteOf)),
})
export type PmoSiteCollection = z.infer<typeof PmoSiteCollectionSchema>

export interface PmoSitesOptions {
  /** Prefix of the path, '' for the page's own origin. */
  baseUrl?: string
  fetch?: FetchLike
}

/** The portfolio's work sites, parsed. */
export function fetchPmoSites(signal?: AbortSignal, options: PmoSitesOptions = {}): Promise<PmoSiteCollection> {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const route = PMO_ROUTES.pmoSites
  return sendJson(doFetch, options.baseUrl ?? '', route.method.toUpperCase(), route.path, PmoSiteCollectionSchema, undefined, signal)
}
