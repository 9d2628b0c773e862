/**
 * The scenario explorer's API (ADR 0009, docs/scenarios.md): scenarios stored with every version
 * (author, note, status, branch parent), the fast estimate of a version at an hour (KPIs with Δ and %,
 * the calibration's fit per loop, per-link flows for the map), its SUMO verification as a queued job
 * (progress, cancel, results per edge and per detector, compared with the estimate), and the briefing.
 */
import { z } from 'zod'
import type { RouteContract } from './api'
import { LonLatSchema } from './schemas/device'
import { SCENARIO_EDIT_KINDS, SCENARIO_STATUSES, ScenarioBaseSchema, ScenarioNetworkSchema, ScenarioSchema } from './schemas/scenario'

const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
export const ScenarioIdSchema = ScenarioSchema.shape.id
export const ScenarioStatusSchema = z.enum(SCENARIO_STATUSES)
export type ScenarioStatus = z.infer<typeof ScenarioStatusSchema>

export const ScenarioParamsSchema = z.object({ id: ScenarioIdSchema })
export const ScenarioVersionParamsSchema = z.object({ id: ScenarioIdSchema, version: intParam(1, 1_000_000) })
/** The hour the estimate is made for (0–23, Rome): the time slider; default the base's own hour. */
export const EstimateQuerySchema = z.object({ hour: intParam(0, 23).optional() })
/** The briefing's hour, and its language (default: the browser's Accept-Language, Italian or English). */
export const BriefingQuerySchema = EstimateQuerySchema.extend({ lang: z.enum(['it', 'en']).optional() })

/** One stored version of a scenario: immutable; a change is a new version. */
export const ScenarioVersionSchema = z.object({
  id: ScenarioIdSchema,
  version: z.number().int().positive(),
  document: ScenarioSchema,
  author: z.string(),
  createdAtMs: z.number(),
  /** What changed in this version, in the author's words. */
  note: z.string(),
})
export type ScenarioVersion = z.infer<typeof ScenarioVersionSchema>

export const ScenarioSummarySchema = z.object({
  id: ScenarioIdSchema,
  title: z.string(),
  status: ScenarioStatusSchema,
  network: ScenarioNetworkSchema,
  base: ScenarioBaseSchema,
  latestVersion: z.number().int().positive(),
  edits: z.number().int(),
  /** Who created the scenario (version 1), who made the latest version. */
  createdBy: z.string(),
  createdAtMs: z.number(),
  updatedBy: z.string(),
  updatedAtMs: z.number(),
  parent: z.object({ id: z.string(), version: z.number().int().positive() }).nullable(),
})
export type ScenarioSummary = z.infer<typeof ScenarioSummarySchema>

export const ScenarioDetailSchema = ScenarioSummarySchema.extend({
  latest: ScenarioVersionSchema,
  versions: z.array(ScenarioVersionSchema.omit({ document: true }).extend({ title: z.string(), edits: z.number().int() })),
  /** Scenarios branched from this one (any version). */
  branches: z.array(z.object({ id: ScenarioIdSchema, title: z.string(), parentVersion: z.number().int().positive() })),
})
export type ScenarioDetail = z.infer<typeof ScenarioDetailSchema>

export const CreateScenarioBodySchema = z.object({ document: ScenarioSchema, note: z.string().max(2000).default('') })
/** A new version; CONFLICT when baseVersion is not the latest (someone saved meanwhile). */
export const SaveScenarioVersionBodySchema = z.object({ document: ScenarioSchema, baseVersion: z.number().int().positive(), note: z.string().max(2000).default('') })
/** A new scenario starting from this version (its parent), with its own id and title. */
export const BranchScenarioBodySchema = z.object({ id: ScenarioIdSchema, title: z.string().min(1).max(200), note: z.string().max(2000).default('') })
export const ScenarioStatusBodySchema = z.object({ status: ScenarioStatusSchema })
export const ListScenariosQuerySchema = z.object({ status: ScenarioStatusSchema.optional() })

// ---------------------------------------------------------------------------------------------------
// The fast estimate

export const KpisSchema = z.object({
  vehKm: z.number(),
  vehHours: z.number(),
  meanSpeedKmh: z.number(),
  /** Vehicle-hours above free-flow time. */
  delayVehHours: z.number(),
  /** Demand with no path (a closure cut it off), veh/h. */
  unservedVehH: z.number(),
  linksOverCapacity: z.number().int(),
  /** Hot exhaust emissions of the hour's traffic on the modelled links (docs/scenarios.md, the emission model), kg. */
  co2Kg: z.number(),
  noxKg: z.number(),
  pm25Kg: z.number(),
})
export type KpisDto = z.infer<typeof KpisSchema>
const DeltaSchema = z.object({ base: z.number(), scenario: z.number(), delta: z.number(), percent: z.number().nullable() })
type KpiKey = keyof typeof KpisSchema.shape
/** Each KPI of the base and the scenario, the difference and the change in % (null when the base is 0). */
export const KpiDeltaSchema = z.object(Object.fromEntries(Object.keys(KpisSchema.shape).map((k) => [k, DeltaSchema])) as Record<KpiKey, typeof DeltaSchema>)

/** One counted loop against the calibrated model: the fit badge on the map. */
export const LoopFitSchema = z.object({
  deviceId: z.string(),
  roadEdgeId: z.string(),
  position: LonLatSchema.nullable(),
  countedVehH: z.number(),
  assignedVehH: z.number(),
  geh: z.number(),
})
export const CalibrationSchema = z.object({
  /** Share of counted loops with GEH < 5; the model fits at ≥ 0.85 (UK TAG M3.1). */
  fitShare: z.number(),
  fits: z.boolean(),
  meanGeh: z.number(),
  rmseVehH: z.number(),
  loops: z.array(LoopFitSchema),
  /** The history window the counts were read from (a day, or a day type over weeks). */
  window: z.unknown(),
})
export const EditProblemSchema = z.object({ edit: z.number().int(), kind: z.enum(SCENARIO_EDIT_KINDS), message: z.string() })

export const ScenarioEstimateSchema = z.object({
  scenario: z.object({ id: z.string(), version: z.number().int().nullable(), title: z.string(), network: ScenarioNetworkSchema, base: ScenarioBaseSchema }),
  /** The hour estimated (the base's, or the time slider's). */
  hour: z.number().int().min(0).max(23),
  calibration: CalibrationSchema,
  base: KpisSchema,
  result: KpisSchema,
  compare: KpiDeltaSchema,
  assignment: z.object({
    algorithm: z.string(),
    iterations: z.number().int(),
    relativeGap: z.number(),
    converged: z.boolean(),
    zones: z.number().int(),
    links: z.number().int(),
    /** Total demand, veh/h, of the base and the scenario. */
    demandVehH: z.number(),
    scenarioDemandVehH: z.number(),
  }),
  /** Edits naming what the network lacks (each with its index), edits the estimate does not model, edits outside the hour. */
  problems: z.array(EditProblemSchema),
  unsupported: z.array(EditProblemSchema),
  inactiveEdits: z.array(z.number().int()),
  durationMs: z.number(),
  /** When this estimate was computed (it is cached per scenario version and hour). */
  computedAtMs: z.number(),
})
export type ScenarioEstimateDto = z.infer<typeof ScenarioEstimateSchema>

/** Per road link, base and scenario (the delta layer): one Feature per direction of travel. */
export const EstimateLinkFeatureSchema = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(LonLatSchema).min(2) }),
  properties: z.object({
    /** The network's edge id; `reverse` for the other direction of a two-way edge drawn once. */
    edgeId: z.string(),
    reverse: z.boolean(),
    roadClass: z.string().nullable(),
    name: z.string().nullable(),
    baseFlowVehH: z.number(),
    flowVehH: z.number(),
    deltaVehH: z.number(),
    baseVc: z.number(),
    vc: z.number(),
    baseTimeS: z.number(),
    timeS: z.number(),
    /** Closed (wholly) in the scenario at this hour. */
    closed: z.boolean(),
  }),
})
export const EstimateLinksSchema = z.object({ type: z.literal('FeatureCollection'), features: z.array(EstimateLinkFeatureSchema) })
export type EstimateLinkFeature = z.infer<typeof EstimateLinkFeatureSchema>

// ---------------------------------------------------------------------------------------------------
// SUMO verification

export const SCENARIO_SUMO_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const
export const SCENARIO_SUMO_NETWORKS = ['acosta', 'pasubio', 'joined'] as const
export const ScenarioSumoRequestSchema = z.object({
  /**
   * The SUMO network the scenario is simulated on (a city scenario: its edits mapped onto that
   * network's area). Default: a SUMO scenario's own network, `joined` for a city scenario.
   */
  network: z.enum(SCENARIO_SUMO_NETWORKS).optional(),
  /** Rome hour simulated (default the base's). */
  hour: z.number().int().min(0).max(23).optional(),
  /** Simulated seconds measured (after the warm-up). */
  durationS: z.number().int().min(60).max(3600).default(3600),
})
/** The request as the run keeps it: network and hour resolved. */
export const ScenarioSumoRunRequestSchema = ScenarioSumoRequestSchema.extend({ network: z.enum(SCENARIO_SUMO_NETWORKS), hour: z.number().int().min(0).max(23) })
export type ScenarioSumoRunRequest = z.infer<typeof ScenarioSumoRunRequestSchema>
export const ScenarioSumoEdgeSchema = z.object({
  edgeId: z.string(),
  /** The city road edge the SUMO edge lies on (for the comparison with the estimate), when one does. */
  roadEdgeId: z.string().nullable(),
  /** It runs against the road edge's drawing: the `reverse` link of a two-way road drawn once (as in the estimate's links). */
  reverse: z.boolean().optional(),
  simulatedVehH: z.number(),
  travelTimeS: z.number().nullable(),
  speedKmh: z.number().nullable(),
  /** The fast estimate's flow on the same road, veh/h, and the difference simulated − estimated. */
  estimatedVehH: z.number().nullable(),
  differenceVehH: z.number().nullable(),
  /** The edge's line as SUMO's network draws it (lon, lat), for the side-by-side map; null when the network has no shape for it. */
  coordinates: z.array(LonLatSchema).nullable(),
})
export const ScenarioSumoDetectorSchema = z.object({
  deviceId: z.string(),
  countedVehH: z.number().nullable(),
  simulatedVehH: z.number(),
  estimatedVehH: z.number().nullable(),
  /** GEH of the simulated flow against the count, and against the estimate. */
  geh: z.number().nullable(),
  gehEstimate: z.number().nullable().optional(),
})
export const ScenarioSumoResultsSchema = z.object({
  network: z.string(),
  hour: z.number().int(),
  warmupS: z.number().int(),
  measuredS: z.number().int(),
  vehicles: z.number().int(),
  /** Where the demand came from: one real day's loop counts at the hour, sampled onto the network's routes. */
  demand: z.object({
    /** The observed base's date; for a typical base the newest day of its day type with counts (SUMO runs one real day). */
    date: z.string(),
    /** How the day was chosen, in words. */
    note: z.string(),
    countedEdges: z.number().int(),
    /** The product of the scale-demand edits applied to the counts. */
    scale: z.number(),
    seed: z.number().int(),
    samplerGehBelow5Share: z.number().nullable(),
  }).optional(),
  /** Edits as SUMO ran them (closures as closed lanes, speed limits, demand scale) and those it could not map. */
  appliedEdits: z.array(z.object({ edit: z.number().int(), kind: z.enum(SCENARIO_EDIT_KINDS), sumoEdges: z.array(z.string()) })),
  unmappedEdits: z.array(EditProblemSchema),
  /** Edits whose time window misses the simulated time (as the estimate's inactiveEdits). */
  inactiveEdits: z.array(z.number().int()).optional(),
  kpis: z.object({ vehKm: z.number(), vehHours: z.number(), meanSpeedKmh: z.number(), delayVehHours: z.number(), teleports: z.number().int(), tripsCompleted: z.number().int() }),
  /** The estimate's KPIs over the same edges, for the side-by-side view. */
  estimateKpis: z.object({ vehKm: z.number(), vehHours: z.number(), meanSpeedKmh: z.number() }).nullable(),
  /** Why there is no estimate beside the simulation (a SUMO network's scenario, no counts for the estimate…); null when there is one. */
  estimateNote: z.string().nullable().optional(),
  edgeCount: z.number().int(),
  detectors: z.array(ScenarioSumoDetectorSchema),
  /** Share of counted loops with GEH < 5 in the simulation. */
  gehBelow5Share: z.number().nullable(),
  wallTimeS: z.number(),
})
export type ScenarioSumoResults = z.infer<typeof ScenarioSumoResultsSchema>
export const ScenarioSumoRunSchema = z.object({
  id: z.number().int(),
  scenarioId: ScenarioIdSchema,
  version: z.number().int().positive(),
  status: z.enum(SCENARIO_SUMO_STATUSES),
  progress: z.number().min(0).max(1),
  /** As queued: the server resolves network and hour, so both are always there. */
  request: ScenarioSumoRequestSchema,
  requestedBy: z.string(),
  requestedAtMs: z.number(),
  startedAtMs: z.number().nullable(),
  finishedAtMs: z.number().nullable(),
  cancelRequested: z.boolean(),
  error: z.string().nullable(),
  results: ScenarioSumoResultsSchema.nullable(),
})
export type ScenarioSumoRun = z.infer<typeof ScenarioSumoRunSchema>
export const ScenarioSumoRunParamsSchema = z.object({ runId: intParam(1, 2_147_483_647) })
/** Per SUMO edge of a finished run, with the estimate's flow on the same road: the side-by-side map. */
export const ScenarioSumoEdgesQuerySchema = z.object({ limit: intParam(1, 50_000).default(20_000) })

export const SCENARIO_ROUTES = {
  listScenarios: { method: 'get', path: '/api/scenarios', permission: 'scenario:read', operationId: 'listScenarios', summary: 'Scenarios, newest change first', tags: ['scenarios'], query: ListScenariosQuerySchema, response: z.object({ scenarios: z.array(ScenarioSummarySchema) }), errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  createScenario: { method: 'post', path: '/api/scenarios', permission: 'scenario:write', operationId: 'createScenario', summary: 'Create a scenario (version 1, draft); CONFLICT when the id is taken', tags: ['scenarios'], body: CreateScenarioBodySchema, response: ScenarioDetailSchema, errors: ['VALIDATION_FAILED', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  getScenario: { method: 'get', path: '/api/scenarios/:id', permission: 'scenario:read', operationId: 'getScenario', summary: 'A scenario: its latest version, every version, its branches', tags: ['scenarios'], params: ScenarioParamsSchema, response: ScenarioDetailSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  getScenarioVersion: { method: 'get', path: '/api/scenarios/:id/versions/:version', permission: 'scenario:read', operationId: 'getScenarioVersion', summary: 'One version of a scenario (the document as saved)', tags: ['scenarios'], params: ScenarioVersionParamsSchema, response: ScenarioVersionSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  saveScenarioVersion: { method: 'post', path: '/api/scenarios/:id/versions', permission: 'scenario:write', operationId: 'saveScenarioVersion', summary: 'Save a new version; CONFLICT when baseVersion is not the latest; an archived scenario is read-only', tags: ['scenarios'], params: ScenarioParamsSchema, body: SaveScenarioVersionBodySchema, response: ScenarioDetailSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT', 'SCENARIO_STATE', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  branchScenario: { method: 'post', path: '/api/scenarios/:id/versions/:version/branch', permission: 'scenario:write', operationId: 'branchScenario', summary: 'A new scenario from this version (parent recorded)', tags: ['scenarios'], params: ScenarioVersionParamsSchema, body: BranchScenarioBodySchema, response: ScenarioDetailSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  setScenarioStatus: { method: 'post', path: '/api/scenarios/:id/status', permission: 'scenario:write', operationId: 'setScenarioStatus', summary: 'Publish, archive or reopen (draft) a scenario (audited)', tags: ['scenarios'], params: ScenarioParamsSchema, body: ScenarioStatusBodySchema, response: ScenarioDetailSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'SCENARIO_STATE', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  estimateScenario: { method: 'get', path: '/api/scenarios/:id/versions/:version/estimate', permission: 'scenario:read', operationId: 'estimateScenario', summary: 'The fast estimate of a version at an hour: calibration (fit per loop), KPIs of base and scenario with Δ and % (computed in seconds, then cached)', tags: ['scenarios'], params: ScenarioVersionParamsSchema, query: EstimateQuerySchema, response: ScenarioEstimateSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'SCENARIO_NOT_ESTIMABLE', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  estimateScenarioLinks: { method: 'get', path: '/api/scenarios/:id/versions/:version/estimate/links', permission: 'scenario:read', operationId: 'estimateScenarioLinks', summary: 'The estimate per road link and direction, base and scenario (the delta layer), as GeoJSON', tags: ['scenarios'], params: ScenarioVersionParamsSchema, query: EstimateQuerySchema, response: EstimateLinksSchema, contentType: 'application/geo+json', errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'SCENARIO_NOT_ESTIMABLE', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  scenarioBriefing: { method: 'get', path: '/api/scenarios/:id/versions/:version/briefing', permission: 'scenario:read', operationId: 'scenarioBriefing', summary: 'A briefing as one self-contained HTML page (print to PDF): map, KPIs with Δ, calibration, edits, assumptions, SUMO verification', tags: ['scenarios'], params: ScenarioVersionParamsSchema, query: BriefingQuerySchema, response: z.string(), contentType: 'text/html', errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'SCENARIO_NOT_ESTIMABLE', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  createScenarioSumoRun: { method: 'post', path: '/api/scenarios/:id/versions/:version/sumo-runs', permission: 'scenario:write', operationId: 'createScenarioSumoRun', summary: 'Queue the SUMO verification of a version on a SUMO network (one hour, the base’s counts)', tags: ['scenarios'], params: ScenarioVersionParamsSchema, body: ScenarioSumoRequestSchema, response: ScenarioSumoRunSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  listScenarioSumoRuns: { method: 'get', path: '/api/scenarios/:id/sumo-runs', permission: 'scenario:read', operationId: 'listScenarioSumoRuns', summary: 'SUMO verifications of a scenario, newest first', tags: ['scenarios'], params: ScenarioParamsSchema, response: z.object({ runs: z.array(ScenarioSumoRunSchema) }), errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  getScenarioSumoRun: { method: 'get', path: '/api/scenario-sumo-runs/:runId', permission: 'scenario:read', operationId: 'getScenarioSumoRun', summary: 'One SUMO verification: progress, then KPIs and the fit per loop beside the estimate', tags: ['scenarios'], params: ScenarioSumoRunParamsSchema, response: ScenarioSumoRunSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  scenarioSumoRunEdges: { method: 'get', path: '/api/scenario-sumo-runs/:runId/edges', permission: 'scenario:read', operationId: 'scenarioSumoRunEdges', summary: 'Per SUMO edge: simulated flow, time and speed beside the estimate on the same road', tags: ['scenarios'], params: ScenarioSumoRunParamsSchema, query: ScenarioSumoEdgesQuerySchema, response: z.object({ edges: z.array(ScenarioSumoEdgeSchema) }), errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  cancelScenarioSumoRun: { method: 'post', path: '/api/scenario-sumo-runs/:runId/cancel', permission: 'scenario:write', operationId: 'cancelScenarioSumoRun', summary: 'Cancel a queued or running SUMO verification', tags: ['scenarios'], params: ScenarioSumoRunParamsSchema, response: ScenarioSumoRunSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'SCENARIO_STATE', 'UNAUTHENTICATED', 'FORBIDDEN'] },
} as const satisfies Record<string, RouteContract>
