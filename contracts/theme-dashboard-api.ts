/**
 * Thematic dashboards (issue 11 part 2, docs/dashboards.md): the city analysed by theme — mobility,
 * environment, public works and the PMO's sites, citizen cases — and any dataset the administration
 * loads (economic activities, welfare, education, culture) from a CSV or GeoJSON file.
 *
 * Public and aggregated: every figure is a count, sum or mean over an area (district — quartiere — or
 * statistical area), a category or an hour, never a single person, case text or device reading; the
 * pages are shareable by URL and embeddable in the city's site. One shape for every dashboard — a list
 * of panels (KPIs, choropleths, charts) over named measures — so one renderer draws them all, and every
 * panel exports as CSV and as an image.
 */
import { z } from 'zod'
import type { RouteContract } from './api'

const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

export const LocalisedSchema = z.object({ it: z.string().min(1), en: z.string().min(1) })
export type Localised = z.infer<typeof LocalisedSchema>

/** The built-in themes; a loaded dataset's dashboard id is its own slug (never one of these). */
export const THEME_IDS = ['mobility', 'environment', 'works', 'cases'] as const
export const ThemeIdSchema = z.enum(THEME_IDS)
export type ThemeId = z.infer<typeof ThemeIdSchema>

/** Dashboard ids: a theme, or a loaded dataset's slug. */
export const DashboardIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,59}$/, 'a dashboard id is 2–60 lower-case letters, digits and hyphens, starting with a letter')

/** The area levels a choropleth can be drawn at (area.kind of the city layers). */
export const AREA_LEVELS = ['quartiere', 'area_statistica'] as const
export const AreaLevelSchema = z.enum(AREA_LEVELS)
export type AreaLevel = z.infer<typeof AreaLevelSchema>

/** How a value is written: integer (1.234), decimal (1,2), percent (a share 0–1 written 12 %), euro, hours. */
export const ValueFormatSchema = z.enum(['integer', 'decimal', 'percent', 'euro', 'hours'])
export type ValueFormat = z.infer<typeof ValueFormatSchema>

export const MeasureSchema = z.object({
  id: z.string().regex(/^[a-z][a-zA-Z0-9_-]{0,59}$/),
  label: LocalisedSchema,
  /** Shown after the value (veh/h, km/h, µg/m³); null when the format says it all (counts, euro, percent). */
  unit: z.string().nullable(),
  format: ValueFormatSchema,
  /** A higher value is the worse one (SLA breached, exceedances): the legend says so; the ramp is the same. */
  higherIsWorse: z.boolean().default(false),
})
export type Measure = z.infer<typeof MeasureSchema>

const value = z.number().nullable()

export const KpiPanelSchema = z.object({
  kind: z.literal('kpi'),
  id: z.string(),
  title: LocalisedSchema,
  measureId: z.string(),
  value,
  /** A second line: the period, the comparison, the limit. */
  note: LocalisedSchema.nullable().default(null),
})

export const AreaRowSchema = z.object({
  /** area.id of the city layers (the basemap feature's id). */
  areaId: z.string(),
  code: z.string(),
  name: z.string(),
  /** measure id → value; null: no data for that area (drawn hatched, not as zero). */
  values: z.record(z.string(), value),
})
export type AreaRow = z.infer<typeof AreaRowSchema>

/** A choropleth: measures by area, at one or both levels; every area of the level is listed, empty ones too. */
export const ChoroplethPanelSchema = z.object({
  kind: z.literal('choropleth'),
  id: z.string(),
  title: LocalisedSchema,
  measureIds: z.array(z.string()).min(1),
  levels: z.partialRecord(AreaLevelSchema, z.array(AreaRowSchema)),
  note: LocalisedSchema.nullable().default(null),
})

/** x kinds: category (a label), time (epoch ms), hour (hour of day 0–23, Europe/Rome). */
export const ChartPointSchema = z.object({ x: z.union([z.string(), z.number()]), y: value })
export const ChartSeriesSchema = z.object({ id: z.string(), label: LocalisedSchema, points: z.array(ChartPointSchema) })
export const ChartPanelSchema = z.object({
  kind: z.literal('chart'),
  id: z.string(),
  title: LocalisedSchema,
  /** bar: one bar per category and series side by side; stacked: series stacked; line: one line per series. */
  chart: z.enum(['bar', 'stacked', 'line']),
  xKind: z.enum(['category', 'time', 'hour']),
  xLabel: LocalisedSchema,
  /** For category x: the categories' labels in order (key = point x). */
  categories: z.array(z.object({ key: z.string(), label: LocalisedSchema })).optional(),
  measureId: z.string(),
  series: z.array(ChartSeriesSchema),
  /** Horizontal reference lines: legal limits, targets. */
  references: z.array(z.object({ label: LocalisedSchema, value: z.number() })).default([]),
  note: LocalisedSchema.nullable().default(null),
})

export const PanelSchema = z.discriminatedUnion('kind', [KpiPanelSchema, ChoroplethPanelSchema, ChartPanelSchema])
export type Panel = z.infer<typeof PanelSchema>
export type ChartPanel = z.infer<typeof ChartPanelSchema>
export type ChoroplethPanel = z.infer<typeof ChoroplethPanelSchema>
export type KpiPanel = z.infer<typeof KpiPanelSchema>

export const DashboardSourceSchema = z.object({ title: z.string(), licence: z.string(), attribution: z.string(), url: z.string().nullable() })

export const ThemeDashboardSchema = z.object({
  id: DashboardIdSchema,
  kind: z.enum(['theme', 'dataset']),
  title: LocalisedSchema,
  description: LocalisedSchema,
  generatedAtMs: z.number(),
  /** The period the figures cover; null for a loaded dataset (its own reference period, if any, is in the description). */
  window: z.object({ fromMs: z.number(), toMs: z.number(), days: z.number().int() }).nullable(),
  /** Whether ?days changes the period, and its bounds. */
  days: z.object({ default: z.number().int(), max: z.number().int() }).nullable(),
  measures: z.array(MeasureSchema),
  panels: z.array(PanelSchema),
  /** The data's sources and licences: shown under the dashboard and in every export. */
  sources: z.array(DashboardSourceSchema),
})
export type ThemeDashboard = z.infer<typeof ThemeDashboardSchema>

export const DashboardSummarySchema = z.object({
  id: DashboardIdSchema,
  kind: z.enum(['theme', 'dataset']),
  title: LocalisedSchema,
  description: LocalisedSchema,
  /** A loaded dataset's load time; null for a theme. */
  loadedAtMs: z.number().nullable(),
})
export const DashboardListSchema = z.object({ dashboards: z.array(DashboardSummarySchema) })

export const DashboardParamsSchema = z.object({ id: DashboardIdSchema })
export const DashboardQuerySchema = z.object({ days: intParam(1, 366).optional() })

// ---------------------------------------------------------------------------------------------
// Loading a dataset (docs/dashboards.md "Loading a dataset")
// ---------------------------------------------------------------------------------------------

/** What a loaded dataset's measure is: a column summed or averaged over each area, or the rows counted. */
export const DatasetMeasureSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-zA-Z0-9_-]{0,59}$/),
  label: LocalisedSchema,
  /** The numeric column; omitted for agg 'count'. */
  column: z.string().min(1).max(80).optional(),
  agg: z.enum(['sum', 'mean', 'count']),
  unit: z.string().max(20).nullable().default(null),
  format: ValueFormatSchema.default('integer'),
  higherIsWorse: z.boolean().default(false),
})

/**
 * A dataset to load: the file's text and how to read it. Rows are placed in an area by a column that
 * holds the area's code or name (`area.column` at `area.level`), or — GeoJSON, or CSV with lon/lat
 * columns — by the point (or a polygon's point on surface), at both levels.
 */
export const DatasetLoadSchema = z.strictObject({
  id: DashboardIdSchema,
  title: LocalisedSchema,
  description: LocalisedSchema,
  source: z.strictObject({ title: z.string().min(1).max(200), licence: z.string().min(1).max(200), attribution: z.string().min(1).max(300), url: z.string().url().nullable().default(null) }),
  format: z.enum(['csv', 'geojson']),
  /** The file's text (UTF-8). CSV: RFC 4180, comma or semicolon, first line the header. */
  content: z.string().min(1),
  area: z
    .union([
      z.strictObject({ by: z.literal('column'), column: z.string().min(1).max(80), level: AreaLevelSchema }),
      z.strictObject({ by: z.literal('point'), lonColumn: z.string().min(1).max(80).optional(), latColumn: z.string().min(1).max(80).optional() }),
    ]),
  /** A column of categories (type of activity, school level): one chart by category. */
  categoryColumn: z.string().min(1).max(80).nullable().default(null),
  measures: z.array(DatasetMeasureSchema).min(1).max(12),
})
export type DatasetLoad = z.infer<typeof DatasetLoadSchema>

export const DatasetLoadResultSchema = z.object({
  id: DashboardIdSchema,
  rows: z.number().int(),
  /** Rows placed in an area; the others count in the city's totals only. */
  placed: z.number().int(),
  unplaced: z.object({ rows: z.number().int(), examples: z.array(z.object({ row: z.number().int(), reason: z.string() })) }),
  loadedAtMs: z.number(),
})

/** The areas of a level, simplified for drawing (≈ 5 m), as GeoJSON: feature id = area id, properties code and name. */
export const DashboardAreaParamsSchema = z.object({ level: AreaLevelSchema })
export const DashboardAreaCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.string(),
      properties: z.object({ code: z.string(), name: z.string() }),
      geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.array(z.unknown())) }),
    }),
  ),
})
export type DashboardAreaCollection = z.infer<typeof DashboardAreaCollectionSchema>

export const THEME_DASHBOARD_ROUTES = {
  listDashboards: { method: 'get', path: '/api/public/dashboards', permission: 'opendata:read', operationId: 'listDashboards', summary: 'The thematic dashboards: the built-in themes and the datasets the administration has loaded', tags: ['dashboards'], response: DashboardListSchema, errors: [] },
  getDashboard: { method: 'get', path: '/api/public/dashboards/:id', permission: 'opendata:read', operationId: 'getDashboard', summary: 'One dashboard: KPIs, choropleths by district and statistical area, charts — aggregates only', tags: ['dashboards'], params: DashboardParamsSchema, query: DashboardQuerySchema, response: ThemeDashboardSchema, errors: ['VALIDATION_FAILED', 'DASHBOARD_NOT_FOUND'] },
  dashboardAreas: { method: 'get', path: '/api/public/dashboard-areas/:level', permission: 'opendata:read', operationId: 'dashboardAreas', summary: 'The districts or statistical areas, simplified for choropleths (GeoJSON, id = area id)', tags: ['dashboards'], params: DashboardAreaParamsSchema, response: DashboardAreaCollectionSchema, contentType: 'application/geo+json', errors: ['VALIDATION_FAILED'] },
  loadDashboardDataset: { method: 'put', path: '/api/dashboard-datasets/:id', permission: 'dashboard:write', operationId: 'loadDashboardDataset', summary: 'Load (or replace) a dataset for a configurable dashboard from a CSV or GeoJSON text', tags: ['dashboards'], params: DashboardParamsSchema, body: DatasetLoadSchema, response: DatasetLoadResultSchema, errors: ['VALIDATION_FAILED', 'DASHBOARD_DATA_INVALID', 'PAYLOAD_TOO_LARGE', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  deleteDashboardDataset: { method: 'delete', path: '/api/dashboard-datasets/:id', permission: 'dashboard:write', operationId: 'deleteDashboardDataset', summary: 'Remove a loaded dataset and its dashboard', tags: ['dashboards'], params: DashboardParamsSchema, response: z.object({ deleted: z.literal(true) }), errors: ['VALIDATION_FAILED', 'DASHBOARD_NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
} as const satisfies Record<string, RouteContract>
