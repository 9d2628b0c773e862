/**
 * The signal workbench API (docs/signals.md): controllers with their groups and matrices, plan
 * versions with their status (draft → validated → approved → deployed → retired), server-side
 * validation, evaluation on the loop counts, SUMO verification runs and deployments; and the
 * Socket.IO event that pushes deployment changes.
 */
import { z } from 'zod'
import type { RouteContract } from './api'
import { EvaluationSchema, PlanComparisonSchema } from './signal-evaluation/evaluation'
import { PLAN_STATUSES, SAFETY_PROFILES, SIGNAL_GROUP_TYPES, SignalControllerSchema, SignalGroupSchema, SignalPlanSchema } from './schemas/signal-plan'
import { LonLatSchema } from './schemas/device'
import { SIG_RULES } from './signal-safety/violation'

const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,40}$/)

export const ViolationSchema = z.object({
  rule: z.enum(SIG_RULES),
  severity: z.enum(['reject', 'warn']),
  context: z.enum(['cycle', 'wrap', 'transition', 'startup', 'matrix', 'structure', 'schedule']),
  planId: z.string().nullable(),
  fromPlanId: z.string().optional(),
  groups: z.array(z.string()),
  interval: z.number().int().nullable(),
  intervalName: z.string().optional(),
  atS: z.number().nullable(),
  message: z.string(),
})
export const ValidationReportSchema = z.object({
  validatorVersion: z.string(),
  profile: z.enum(SAFETY_PROFILES),
  ok: z.boolean(),
  rejects: z.number().int(),
  warnings: z.number().int(),
  violations: z.array(ViolationSchema),
})
export type ValidationReportDto = z.infer<typeof ValidationReportSchema>

export const PlanStatusSchema = z.enum(PLAN_STATUSES)

/** One stored version of a plan. Versions are immutable; only the status moves forward. */
export const PlanVersionSchema = z.object({
  controllerId: z.string(),
  planId: z.string(),
  version: z.number().int().positive(),
  status: PlanStatusSchema,
  plan: SignalPlanSchema,
  /** sha256 of the canonical plan JSON (what is deployed and verified by the controller). */
  planHash: z.string(),
  /** The server's validation of this version against the controller version it was checked with. */
  validation: ValidationReportSchema,
  controllerVersion: z.number().int().positive(),
  note: z.string(),
  createdBy: z.string(),
  createdAtMs: z.number(),
  approvedBy: z.string().nullable(),
  approvedAtMs: z.number().nullable(),
})
export type PlanVersion = z.infer<typeof PlanVersionSchema>

export const PlanVersionSummarySchema = PlanVersionSchema.omit({ plan: true, validation: true }).extend({
  name: z.string(),
  control: z.string(),
  cycleS: z.number(),
  rejects: z.number().int(),
  warnings: z.number().int(),
})
export type PlanVersionSummary = z.infer<typeof PlanVersionSummarySchema>

export const DEPLOYMENT_KINDS = ['deploy', 'switch', 'rollback'] as const
/**
 * sending: published, waiting for the controller; acknowledged: the controller verified, staged and
 * switched to it; rejected: the controller refused it (hash, signature or version); unconfirmed: no
 * acknowledgement within 30 s after the retries — "not deployed", a high-priority alarm is raised.
 */
export const DEPLOYMENT_STATUSES = ['sending', 'acknowledged', 'rejected', 'unconfirmed'] as const
export const DeploymentSchema = z.object({
  id: z.number().int(),
  controllerId: z.string(),
  planId: z.string(),
  version: z.number().int(),
  planHash: z.string(),
  /** Monotonic per controller: a controller refuses a number not above the one it runs. */
  sequence: z.number().int(),
  kind: z.enum(DEPLOYMENT_KINDS),
  status: z.enum(DEPLOYMENT_STATUSES),
  validatorVersion: z.string(),
  requestedBy: z.string(),
  requestedAtMs: z.number(),
  attempts: z.number().int(),
  acknowledgedAtMs: z.number().nullable(),
  /** The controller's reason for a refusal, or what happened. */
  detail: z.string().nullable(),
})
export type Deployment = z.infer<typeof DeploymentSchema>

export const RunningPlanSchema = z.object({ planId: z.string(), version: z.number().int(), sinceMs: z.number(), deploymentId: z.number().int() })

export const ControllerSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  intersectionCode: z.string().nullable(),
  /** The signal-controller device that publishes its stage (signal-<id>), when there is one. */
  deviceId: z.string().nullable(),
  position: LonLatSchema.nullable(),
  networkId: z.string().nullable(),
  groups: z.number().int(),
  plans: z.array(PlanVersionSummarySchema),
  running: RunningPlanSchema.nullable(),
})
export type ControllerSummary = z.infer<typeof ControllerSummarySchema>

export const ControllerDetailSchema = ControllerSummarySchema.extend({
  controller: SignalControllerSchema,
  version: z.number().int().positive(),
  updatedBy: z.string(),
  updatedAtMs: z.number(),
  deployments: z.array(DeploymentSchema),
})
export type ControllerDetail = z.infer<typeof ControllerDetailSchema>

export const ControllerParamsSchema = z.object({ id: Id })
export const PlanParamsSchema = z.object({ id: Id, planId: Id })
export const PlanVersionParamsSchema = z.object({ id: Id, planId: Id, version: intParam(1, 1_000_000) })

export const UpdateControllerBodySchema = z.object({
  controller: SignalControllerSchema,
  /** The version edited: a newer one on the server is a CONFLICT (someone else changed it). */
  baseVersion: z.number().int().positive(),
  note: z.string().trim().min(1).max(500),
})
export const CreatePlanVersionBodySchema = z.object({
  plan: SignalPlanSchema,
  /** null for a new plan id; else the version this one was edited from (CONFLICT if not the latest). */
  baseVersion: z.number().int().positive().nullable(),
  note: z.string().trim().min(1).max(500),
})
export const PlanActionBodySchema = z.object({
  /** validate: server-side validation, draft → validated; approve: four-eyes (not the author), validated → approved; retire. */
  action: z.enum(['validate', 'approve', 'retire']),
  note: z.string().trim().max(500).optional(),
})
export const ValidateBodySchema = z.object({
  controller: z.unknown(),
  plans: z.array(z.unknown()).max(20),
  profile: z.enum(SAFETY_PROFILES).optional(),
  kinematicYellow: z.enum(['warn', 'reject']).optional(),
  computedIntergreen: z.enum(['warn', 'reject']).optional(),
})
export const DeployBodySchema = z.object({ planId: Id, version: z.number().int().positive() })
export const ListVersionsResponseSchema = z.object({ versions: z.array(PlanVersionSummarySchema) })
export const ListControllersResponseSchema = z.object({ controllers: z.array(ControllerSummarySchema) })
export type ListControllersResponse = z.infer<typeof ListControllersResponseSchema>
export const ListDeploymentsResponseSchema = z.object({ deployments: z.array(DeploymentSchema) })

export const DAY_TYPES = ['weekday', 'saturday', 'sunday'] as const
/** Demand from the loop counts: the last `weeks` weeks up to `untilDate`, the mean of `dayType` days at `hour`. */
export const DemandQuerySchema = z.object({
  weeks: z.number().int().min(1).max(52).default(4),
  /** Europe/Rome calendar date the window ends on (inclusive); default: the newest day with counts. */
  untilDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((d) => {
      const t = Date.parse(`${d}T00:00:00Z`)
      return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d
    }, 'not a calendar date')
    .optional(),
  dayType: z.enum(DAY_TYPES).default('weekday'),
  hour: z.number().int().min(0).max(23).default(8),
})
export const GroupDemandDtoSchema = z.object({
  groupId: z.string(),
  /** veh/h; null when no loop counts this group's lanes. */
  flowVehH: z.number().nullable(),
  lanes: z.number().int(),
  /** The loops (device ids) whose counts made the flow, and how many day-hours they had. */
  loops: z.array(z.object({ deviceId: z.string(), detectorId: z.string(), laneId: z.string(), samples: z.number().int() })),
})
export const EvaluateBodySchema = z.object({
  /** A proposed plan (not stored), compared against `current` when given. */
  plan: SignalPlanSchema.optional(),
  planId: Id.optional(),
  version: z.number().int().positive().optional(),
  /** The plan to compare against (stored), e.g. the deployed one. */
  current: z.object({ planId: Id, version: z.number().int().positive() }).optional(),
  demand: DemandQuerySchema.default({ weeks: 4, dayType: 'weekday', hour: 8 }),
  /** Demand entered by hand, per group, replacing the loop counts where given. */
  demandOverrides: z.array(z.object({ groupId: z.string(), flowVehH: z.number().nonnegative() })).default([]),
})
export const EvaluateResponseSchema = z.object({
  demand: z.array(GroupDemandDtoSchema),
  window: z.object({ fromDate: z.string(), untilDate: z.string(), days: z.number().int(), dayType: z.enum(DAY_TYPES), hour: z.number().int() }).nullable(),
  evaluation: EvaluationSchema,
  current: EvaluationSchema.nullable(),
  comparison: PlanComparisonSchema.nullable(),
})
export type EvaluateResponse = z.infer<typeof EvaluateResponseSchema>

/**
 * SUMO verification (docs/signals.md, "Verification in SUMO"): the plan version run in SUMO on the
 * controller's imported network, in place of the controller's own program, with the demand of a
 * real day and hour; read back per approach and per loop detector.
 */
export const SUMO_RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const
export const SUMO_DEMANDS = ['loop-counts', 'scenario'] as const
export const SumoRunRequestSchema = z.object({
  planId: Id,
  version: z.number().int().positive(),
  /**
   * Europe/Rome day whose loop counts make the demand (loop-counts) and the counted side of the GEH
   * fit; default: the newest day with counts of the network's loops, resolved when the run is queued
   * (the stored request then names it). Null in a stored request: no loop has counts.
   */
  date: DemandQuerySchema.shape.untilDate.nullable(),
  /** Rome-local hour 0–23: the hour [hour:00, hour+1:00). */
  hour: z.number().int().min(0).max(23).default(8),
  /**
   * loop-counts: the scenario's buses as scheduled, and cars on routes sampled to match the rest of
   * the counted flows of that hour (SUMO routeSampler, the scenario's routes as candidates), after a
   * 300 s warm-up; scenario: the network's own 1 h demand (cars and buses), measured from 0 s.
   */
  demand: z.enum(SUMO_DEMANDS).default('loop-counts'),
  /** Simulated seconds that are measured (one hour by default). */
  durationS: z.number().int().min(60).max(3600).default(3600),
})
export type SumoRunRequest = z.infer<typeof SumoRunRequestSchema>
/** One signal group of an approach: what crossed its stop lines in SUMO, what the loops counted, what the HCM estimate says. */
export const SumoGroupResultSchema = z.object({
  groupId: z.string(),
  /** veh/h through the group's links (SUMO, counted where the links enter the junction). */
  simulatedVehH: z.number(),
  /** veh/h from the loops at that day and hour (signal-demand's rules); null when no loop counts the group. */
  countedVehH: z.number().nullable(),
  /** The workbench's HCM control delay and back of queue per lane for this plan with the simulated flow (null: no green or no flow). */
  estimateDelayS: z.number().nullable(),
  estimateQueueVehPerLane: z.number().nullable(),
})
export const SumoApproachResultSchema = z.object({
  groupIds: z.array(z.string()),
  edgeId: z.string(),
  /** Vehicles that crossed the approach's stop lines on the controller's links in the measured time. */
  vehicles: z.number().int(),
  /** The same, per hour. */
  flowVehH: z.number(),
  /** veh/h the loops counted for the approach's groups (null: no loop counts them). */
  countedVehH: z.number().nullable(),
  /** SUMO edgeData traveltime: mean seconds to traverse the approach edge. */
  travelTimeS: z.number().nullable(),
  /** SUMO timeLoss per vehicle on the approach edge (the edge's summed timeLoss / vehicles that left it): the delay against free flow. */
  delayS: z.number().nullable(),
  /** Halts started on the approach lanes (SUMO e2 startedHalts) per vehicle that left the edge. */
  stopsPerVehicle: z.number().nullable(),
  /** The longest queue on any one lane of the approach (SUMO e2 maxJamLengthInVehicles). */
  queueMaxVeh: z.number().nullable(),
  /** The HCM estimate for the approach with the simulated flows: flow-weighted control delay, largest back of queue per lane. */
  estimate: z.object({ delayS: z.number().nullable(), queueVehPerLane: z.number().nullable() }).nullable(),
  groups: z.array(SumoGroupResultSchema),
})
export const SumoDetectorResultSchema = z.object({
  detectorId: z.string(),
  laneId: z.string(),
  deviceId: z.string().nullable(),
  /** The loop's count of that hour, spread evenly over the lanes of its detectors (signal-demand's rule); null: no count. */
  countedVehH: z.number().nullable(),
  /** SUMO e1 nVehContrib over the measured time, per hour. */
  simulatedVehH: z.number(),
  /** GEH = sqrt(2(m − c)²/(m + c)); < 5 is a good fit. */
  geh: z.number().nullable(),
})
/** One loop (counting station): its count against the sum of its detectors, the level GEH is usually judged at. */
export const SumoLoopResultSchema = z.object({
  deviceId: z.string(),
  detectorIds: z.array(z.string()),
  countedVehH: z.number().nullable(),
  simulatedVehH: z.number(),
  geh: z.number().nullable(),
})
export const SumoRunResultsSchema = z.object({
  networkId: z.string(),
  /** The SUMO traffic light and the programID the plan ran as (checked in SUMO's own program output). */
  tlsId: z.string(),
  programId: z.string(),
  demand: z.object({
    kind: z.enum(SUMO_DEMANDS),
    date: z.string().nullable(),
    hour: z.number().int(),
    /** Simulated seconds before the measured ones (the network fills up). */
    warmupS: z.number().int(),
    measuredS: z.number().int(),
    /** Vehicles SUMO was given (sampled cars and scheduled buses, or the scenario's). */
    vehicles: z.number().int(),
    /** routeSampler's seed and its own fit of the sampled routes to the edge counts (loop-counts only). */
    seed: z.number().int().nullable(),
    countedEdges: z.number().int().nullable(),
    samplerGehBelow5Share: z.number().nullable(),
  }),
  approaches: z.array(SumoApproachResultSchema),
  detectors: z.array(SumoDetectorResultSchema),
  /** Share of counted detectors with GEH < 5. */
  gehBelow5Share: z.number().nullable(),
  loops: z.array(SumoLoopResultSchema),
  /** Share of counted loops with GEH < 5. */
  loopGehBelow5Share: z.number().nullable(),
  vehiclesInserted: z.number().int(),
  /** Collisions in the whole network over the whole run (SUMO collision output, junctions checked), and those on the controller's junctions and approach lanes. */
  collisions: z.number().int(),
  collisionsAtController: z.number().int(),
  teleports: z.number().int(),
  /** Trips completed in the run (warm-up included): SUMO's vehicle trip statistics. */
  network: z.object({ tripsCompleted: z.number().int(), meanTravelTimeS: z.number().nullable(), meanTimeLossS: z.number().nullable() }),
  /** SUMO's own warnings about the plan (e.g. missing yellow), verbatim. */
  warnings: z.array(z.string()),
  wallTimeS: z.number(),
})
export type SumoRunResults = z.infer<typeof SumoRunResultsSchema>
export const SumoRunSchema = z.object({
  id: z.number().int(),
  controllerId: z.string(),
  planId: z.string(),
  version: z.number().int(),
  status: z.enum(SUMO_RUN_STATUSES),
  /** 0..1 of the simulated time. */
  progress: z.number().min(0).max(1),
  request: SumoRunRequestSchema,
  requestedBy: z.string(),
  requestedAtMs: z.number(),
  startedAtMs: z.number().nullable(),
  finishedAtMs: z.number().nullable(),
  /** A cancel was asked for a running run: SUMO is stopped within a second or two, then the status is cancelled. */
  cancelRequested: z.boolean(),
  cancelledBy: z.string().nullable(),
  error: z.string().nullable(),
  results: SumoRunResultsSchema.nullable(),
})
export type SumoRun = z.infer<typeof SumoRunSchema>
export const SumoRunParamsSchema = z.object({ runId: intParam(1, 2_147_483_647) })

/**
 * The junction on the map (GET /api/signal-controllers/:id/geometry): one LineString per signal group
 * and approach lane — the lane's geometry from the controller's SUMO network, drawn towards the stop
 * line, so its last position is where the group's signal stands (a lane two groups share appears once
 * per group) — and the polygon of every junction the controller's links cross. Coordinates are
 * [lon, lat] in EPSG:4326. A controller with no network, or lanes the network does not have, gives
 * fewer features, never an error.
 */
export const SignalLaneFeatureSchema = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(LonLatSchema).min(2) }),
  properties: z.object({
    kind: z.literal('lane'),
    groupId: z.string(),
    laneId: z.string(),
    type: z.enum(SIGNAL_GROUP_TYPES),
    turn: SignalGroupSchema.shape.turn.unwrap(),
  }),
})
export const SignalJunctionFeatureSchema = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(LonLatSchema).min(4)).min(1) }),
  properties: z.object({ kind: z.literal('junction'), junctionId: z.string() }),
})
export const SignalGeometrySchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.union([SignalLaneFeatureSchema, SignalJunctionFeatureSchema])),
})
export type SignalLaneFeature = z.infer<typeof SignalLaneFeatureSchema>
export type SignalJunctionFeature = z.infer<typeof SignalJunctionFeatureSchema>
export type SignalGeometry = z.infer<typeof SignalGeometrySchema>

export const SIGNAL_ROUTES = {
  listSignalControllers: { method: 'get', path: '/api/signal-controllers', permission: 'signal-plan:read', operationId: 'listSignalControllers', summary: 'Signal controllers with their plan versions and the plan each runs', tags: ['signals'], response: ListControllersResponseSchema, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  getSignalController: { method: 'get', path: '/api/signal-controllers/:id', permission: 'signal-plan:read', operationId: 'getSignalController', summary: 'One controller: groups, conflict and intergreen matrices, startup, schedule, plans and the last deployments', tags: ['signals'], params: ControllerParamsSchema, response: ControllerDetailSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  getSignalGeometry: { method: 'get', path: '/api/signal-controllers/:id/geometry', permission: 'signal-plan:read', operationId: 'getSignalGeometry', summary: 'The controller on the map as GeoJSON: each signal group’s approach lanes (from the SUMO network) and the polygons of the junctions its links cross', tags: ['signals'], params: ControllerParamsSchema, response: SignalGeometrySchema, contentType: 'application/geo+json', errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  updateSignalController: { method: 'put', path: '/api/signal-controllers/:id', permission: 'signal-plan:edit', operationId: 'updateSignalController', summary: 'Change a controller (groups, matrices, overrides, startup, schedule): a new version, audited; CONFLICT when someone else changed it since baseVersion', tags: ['signals'], params: ControllerParamsSchema, body: UpdateControllerBodySchema, response: ControllerDetailSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  listPlanVersions: { method: 'get', path: '/api/signal-controllers/:id/plans/:planId/versions', permission: 'signal-plan:read', operationId: 'listPlanVersions', summary: 'Every version of a plan, newest first (history)', tags: ['signals'], params: PlanParamsSchema, response: ListVersionsResponseSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  getPlanVersion: { method: 'get', path: '/api/signal-controllers/:id/plans/:planId/versions/:version', permission: 'signal-plan:read', operationId: 'getPlanVersion', summary: 'One plan version with its validation report and hash', tags: ['signals'], params: PlanVersionParamsSchema, response: PlanVersionSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  createPlanVersion: { method: 'post', path: '/api/signal-controllers/:id/plans', permission: 'signal-plan:edit', operationId: 'createPlanVersion', summary: 'Save a plan as a new draft version (validated on the server, report stored); CONFLICT when baseVersion is not the latest', tags: ['signals'], params: ControllerParamsSchema, body: CreatePlanVersionBodySchema, response: PlanVersionSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  actOnPlanVersion: { method: 'post', path: '/api/signal-controllers/:id/plans/:planId/versions/:version/actions', permission: 'signal-plan:edit', operationId: 'actOnPlanVersion', summary: 'Validate (server-side), approve (four-eyes: not by its author) or retire a plan version (audited)', tags: ['signals'], params: PlanVersionParamsSchema, body: PlanActionBodySchema, response: PlanVersionSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'PLAN_REJECTED', 'PLAN_STATE', 'FOUR_EYES', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  validateSignalPlans: { method: 'post', path: '/api/signal-validation', permission: 'signal-plan:read', operationId: 'validateSignalPlans', summary: 'Validate a controller and plans without storing them (the editor’s server-side check)', tags: ['signals'], body: ValidateBodySchema, response: ValidationReportSchema, errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  evaluateSignalPlan: { method: 'post', path: '/api/signal-controllers/:id/evaluation', permission: 'signal-plan:read', operationId: 'evaluateSignalPlan', summary: 'Evaluate a plan on the loop counts of the last weeks (flow, saturation, delay, queue, LOS, Webster) and compare it with another', tags: ['signals'], params: ControllerParamsSchema, body: EvaluateBodySchema, response: EvaluateResponseSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  listSignalDeployments: { method: 'get', path: '/api/signal-controllers/:id/deployments', permission: 'signal-plan:read', operationId: 'listSignalDeployments', summary: 'Deployments of a controller, newest first', tags: ['signals'], params: ControllerParamsSchema, response: ListDeploymentsResponseSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  deploySignalPlan: { method: 'post', path: '/api/signal-controllers/:id/deployments', permission: 'signal-plan:deploy', operationId: 'deploySignalPlan', summary: 'Deploy an approved plan version: re-validated, hashed, signed and sent to the controller, which acknowledges within 30 s (audited)', tags: ['signals'], params: ControllerParamsSchema, body: DeployBodySchema, response: DeploymentSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'PLAN_REJECTED', 'PLAN_STATE', 'DEPLOY_IN_PROGRESS', 'NOT_READY', 'UNAUTHENTICATED', 'FORBIDDEN', 'STEP_UP_REQUIRED'] },
  switchSignalPlan: { method: 'post', path: '/api/signal-controllers/:id/switch', permission: 'signal-plan:switch', operationId: 'switchSignalPlan', summary: 'Switch the controller to another already approved plan version (operators; audited)', tags: ['signals'], params: ControllerParamsSchema, body: DeployBodySchema, response: DeploymentSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'PLAN_REJECTED', 'PLAN_STATE', 'DEPLOY_IN_PROGRESS', 'NOT_READY', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  rollbackSignalPlan: { method: 'post', path: '/api/signal-controllers/:id/rollback', permission: 'signal-plan:deploy', operationId: 'rollbackSignalPlan', summary: 'Go back to the last plan the controller acknowledged before the running one (re-validated; audited)', tags: ['signals'], params: ControllerParamsSchema, response: DeploymentSchema, errors: ['NOT_FOUND', 'PLAN_REJECTED', 'PLAN_STATE', 'DEPLOY_IN_PROGRESS', 'NOT_READY', 'UNAUTHENTICATED', 'FORBIDDEN', 'STEP_UP_REQUIRED'] },
  createSumoRun: { method: 'post', path: '/api/signal-controllers/:id/sumo-runs', permission: 'signal-plan:edit', operationId: 'createSumoRun', summary: 'Queue a SUMO verification of a plan version on the imported network with the demand of a real day and hour', tags: ['signals'], params: ControllerParamsSchema, body: SumoRunRequestSchema, response: SumoRunSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  listSumoRuns: { method: 'get', path: '/api/signal-controllers/:id/sumo-runs', permission: 'signal-plan:read', operationId: 'listSumoRuns', summary: 'SUMO verification runs of a controller, newest first', tags: ['signals'], params: ControllerParamsSchema, response: z.object({ runs: z.array(SumoRunSchema) }), errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  getSumoRun: { method: 'get', path: '/api/sumo-runs/:runId', permission: 'signal-plan:read', operationId: 'getSumoRun', summary: 'One SUMO run: progress, then travel time, delay, stops and queue per approach and the GEH fit per detector', tags: ['signals'], params: SumoRunParamsSchema, response: SumoRunSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'] },
  cancelSumoRun: { method: 'post', path: '/api/sumo-runs/:runId/cancel', permission: 'signal-plan:edit', operationId: 'cancelSumoRun', summary: 'Cancel a queued or running SUMO run', tags: ['signals'], params: SumoRunParamsSchema, response: SumoRunSchema, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'PLAN_STATE', 'UNAUTHENTICATED', 'FORBIDDEN'] },
} as const satisfies Record<string, RouteContract>

/** Socket.IO: pushed to every staff screen in SIGNAL_ROOM when a deployment changes. */
export const SIGNAL_ROOM = 'signals'
export const SignalDeploymentEventSchema = z.object({ deployment: DeploymentSchema })
