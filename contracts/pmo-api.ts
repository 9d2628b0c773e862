/**
 * The PMO's portfolio over HTTP (issue 11, docs/pmo.md): projects by line of action with their versions,
 * the figures the portfolio view and the progress report show — budget by line, health, milestones due
 * and late, KPIs against their targets (the live ones measured from the twin when read), risks — and the
 * projects' sites on the map. The PMO writes (pmo:write); planners and administrators read (pmo:read).
 */
import { z } from 'zod'
import type { RouteContract } from './api'
import { PmoLineSchema, ProjectIdSchema, ProjectSchema, ProjectSiteSchema, ProjectStatusSchema } from './schemas/pmo'

const int = z.number().int()

export const HealthSchema = z.enum(['on_track', 'at_risk', 'off_track', 'completed', 'cancelled', 'suspended'])
export type Health = z.infer<typeof HealthSchema>

export const KpiStatusSchema = z.enum(['met', 'on_track', 'behind', 'no_data'])
export type KpiStatus = z.infer<typeof KpiStatusSchema>

/** A KPI as read: its value now (live ones measured at `measuredAtMs`) and where it stands against the target. */
export const KpiValueSchema = z.object({
  key: z.string(),
  title: z.string(),
  unit: z.string(),
  baseline: z.number().nullable(),
  target: z.number(),
  targetDate: z.string(),
  direction: z.enum(['increase', 'decrease']),
  live: z.string().nullable(),
  actual: z.number().nullable(),
  /** Epoch ms of the measurement (live) or of the day it was entered (by hand). */
  measuredAtMs: z.number().nullable(),
  status: KpiStatusSchema,
})
export type KpiValue = z.infer<typeof KpiValueSchema>

/**
 * Why a project's health is what it is (docs/pmo.md "Health"): a stable code with its figures — the
 * titles of the late milestones, severe risks or KPIs behind, the thresholds crossed — which the panel
 * and the report word in each language; `text` says it in English for scripts reading the API.
 */
const Titles = z.array(z.string())
const reason = <C extends string, P extends z.ZodRawShape>(code: C, params: P) => z.object({ code: z.literal(code), ...params, text: z.string() })
export const HealthReasonSchema = z.discriminatedUnion('code', [
  /** Past its end date and not completed (off track). */
  reason('past_end', { endDate: z.string() }),
  /** Milestones more than `days` days late (off track). */
  reason('milestones_very_late', { count: int, days: int, titles: Titles }),
  /** Milestones late, by at most the off-track days (at risk). */
  reason('milestones_late', { count: int, titles: Titles }),
  /** Open risks whose probability × impact is `score` or more (at risk). */
  reason('severe_risks', { count: int, score: int, titles: Titles }),
  /** KPIs behind their trajectory (at risk). */
  reason('kpis_behind', { count: int, titles: Titles }),
  /** Over `pct` % of the planned money committed before the last quarter of the project's time (at risk). */
  reason('committed_early', { pct: int }),
])
export type HealthReason = z.infer<typeof HealthReasonSchema>
export type HealthReasonCode = HealthReason['code']

export const ProjectSummarySchema = z.object({
  id: z.string(),
  line: PmoLineSchema,
  title: z.string(),
  cup: z.string().nullable(),
  status: ProjectStatusSchema,
  health: HealthSchema,
  /** Why the health is what it is (past its end, late milestones, severe risks, KPIs behind, money committed early). */
  reasons: z.array(HealthReasonSchema),
  startDate: z.string(),
  endDate: z.string(),
  plannedCents: int,
  committedCents: int,
  spentCents: int,
  nextMilestone: z.object({ key: z.string(), title: z.string(), dueDate: z.string() }).nullable(),
  lateMilestones: int,
  openRisks: int,
  /** Highest probability × impact among open risks (0: none). */
  topRiskScore: int,
  kpisBehind: int,
  hasSite: z.boolean(),
  version: int,
  updatedAtMs: z.number(),
  updatedBy: z.string(),
})
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>

export const ProjectVersionInfoSchema = z.object({ version: int, atMs: z.number(), by: z.string(), note: z.string() })

export const ProjectDetailSchema = z.object({
  project: ProjectSchema,
  summary: ProjectSummarySchema,
  kpis: z.array(KpiValueSchema),
  versions: z.array(ProjectVersionInfoSchema),
})
export type ProjectDetail = z.infer<typeof ProjectDetailSchema>

const Money = z.object({ plannedCents: int, committedCents: int, spentCents: int })
export const PortfolioSchema = z.object({
  asOfMs: z.number(),
  today: z.string(),
  totals: Money.extend({ projects: int }),
  /** byHealth names only the healths the line has (a missing one counts 0). */
  lines: z.array(Money.extend({ line: PmoLineSchema, projects: int, byHealth: z.partialRecord(HealthSchema, int) })),
  /** Planned money by funding source over every project. */
  funding: z.array(z.object({ source: z.string(), plannedCents: int })),
  projects: z.array(ProjectSummarySchema),
})
export type Portfolio = z.infer<typeof PortfolioSchema>

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

/** A site's geometry, lon/lat EPSG:4326: a Point, a LineString or a Polygon (as the project stores it). */
export const PmoSiteGeometrySchema = ProjectSiteSchema.shape.geometry
export type PmoSiteGeometry = z.infer<typeof PmoSiteGeometrySchema>

/**
 * A project's site on the map (GET /api/pmo/sites.geojson): one Feature per project that has a site, with
 * the project's title, line, status, health and dates, and whether (and when) the site closes the road —
 * what the PMO sites layer draws and the scenario explorer takes as a closure.
 */
export const PmoSiteFeatureSchema = z.object({
  type: z.literal('Feature'),
  /** The project's id (as properties.id). */
  id: z.string(),
  geometry: PmoSiteGeometrySchema,
  properties: z.object({
    /** The project's id (a close-road edit's `source.pmoSiteId`). */
    id: z.string(),
    title: z.string(),
    line: PmoLineSchema,
    /** The line's Italian title (GIS tools read the file without Gemello's translations). */
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

export const PmoSitesSchema = z.object({ type: z.literal('FeatureCollection'), features: z.array(PmoSiteFeatureSchema) })
export type PmoSites = z.infer<typeof PmoSitesSchema>

export const ListProjectsQuerySchema = z.object({ line: PmoLineSchema.optional(), status: ProjectStatusSchema.optional() })
export const ProjectParamsSchema = z.object({ id: ProjectIdSchema })
export const ProjectVersionParamsSchema = z.object({ id: ProjectIdSchema, version: z.coerce.number().int().min(1).max(1_000_000) })
export const CreateProjectBodySchema = z.object({ project: ProjectSchema, note: z.string().trim().max(500).default('') }).strict()
/** A new version; CONFLICT when baseVersion is not the latest (someone saved meanwhile). */
export const SaveProjectBodySchema = z.object({ project: ProjectSchema, baseVersion: z.number().int().min(1), note: z.string().trim().max(500).default('') }).strict()
export const ReportQuerySchema = z.object({ lang: z.enum(['it', 'en']).default('it'), line: PmoLineSchema.optional() })

export const PMO_ROUTES = {
  pmoPortfolio: { method: 'get', path: '/api/pmo/portfolio', permission: 'pmo:read', operationId: 'pmoPortfolio', summary: 'The portfolio: budget by line and funding source, every project’s health, milestones, risks and KPIs', tags: ['pmo'], response: PortfolioSchema, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  listProjects: { method: 'get', path: '/api/pmo/projects', permission: 'pmo:read', operationId: 'listProjects', summary: 'Projects, by line and status', tags: ['pmo'], query: ListProjectsQuerySchema, response: z.object({ projects: z.array(ProjectSummarySchema) }), errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  getProject: { method: 'get', path: '/api/pmo/projects/:id', permission: 'pmo:read', operationId: 'getProject', summary: 'A project: its latest version, KPIs measured now, its versions', tags: ['pmo'], params: ProjectParamsSchema, response: ProjectDetailSchema, errors: ['VALIDATION_FAILED', 'PROJECT_NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  getProjectVersion: { method: 'get', path: '/api/pmo/projects/:id/versions/:version', permission: 'pmo:read', operationId: 'getProjectVersion', summary: 'One version of a project, as saved', tags: ['pmo'], params: ProjectVersionParamsSchema, response: z.object({ project: ProjectSchema, version: ProjectVersionInfoSchema }), errors: ['VALIDATION_FAILED', 'PROJECT_NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  createProject: { method: 'post', path: '/api/pmo/projects', permission: 'pmo:write', operationId: 'createProject', summary: 'Create a project (version 1); CONFLICT when the id is taken', tags: ['pmo'], body: CreateProjectBodySchema, response: ProjectDetailSchema, errors: ['VALIDATION_FAILED', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  saveProject: { method: 'put', path: '/api/pmo/projects/:id', permission: 'pmo:write', operationId: 'saveProject', summary: 'Save a new version of a project; CONFLICT when baseVersion is not the latest', tags: ['pmo'], params: ProjectParamsSchema, body: SaveProjectBodySchema, response: ProjectDetailSchema, errors: ['VALIDATION_FAILED', 'PROJECT_NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  pmoSites: { method: 'get', path: '/api/pmo/sites.geojson', permission: 'pmo:read', operationId: 'pmoSites', summary: 'The projects’ sites as GeoJSON (title, line, status, health, dates, whether the site closes the road)', tags: ['pmo'], response: PmoSitesSchema, contentType: 'application/geo+json', errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  pmoReport: { method: 'get', path: '/api/pmo/report.pdf', permission: 'pmo:read', operationId: 'pmoReport', summary: 'The progress report of the portfolio (or one line) as PDF, for the program’s reporting', tags: ['pmo'], query: ReportQuerySchema, response: z.string().describe('PDF'), contentType: 'application/pdf', errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
} as const satisfies Record<string, RouteContract>
