/**
 * The traffic-signal workbench's model (docs/signals.md): a controller (a Bologna intersection code)
 * with its signal groups, conflict matrix, intergreen matrix and startup, and its plans.
 *
 * Vocabulary follows European practice (RiLSA, the Italian Regolamento): a signal group is one set
 * of lanterns that always show the same aspect; a plan is a cycle of intervals, each giving every
 * signal group one state. States (one per group, in the controller's group order):
 *   R red · RY red+amber (DE only) · G green · Gflash flashing green · Y yellow/amber ·
 *   FY flashing yellow (off / failure mode) · DARK no light (pedestrian heads in flash mode).
 * SUMO's link characters map onto these (geodata/src/sumo/signal-model.ts, sumo-plan-export.ts); a group lists the SUMO link indices it drives.
 *
 * These schemas describe well-formed documents. Whether a plan is *safe* is the validator's
 * business (contracts/signal-safety), which also accepts malformed input and explains it (SIG-10).
 */
import { z } from 'zod'

export const SIGNAL_STATES = ['R', 'RY', 'G', 'Gflash', 'Y', 'FY', 'DARK'] as const
export type SignalState = (typeof SIGNAL_STATES)[number]
export const SIGNAL_GROUP_TYPES = ['vehicle', 'pedestrian', 'cyclist', 'tram'] as const
export type SignalGroupType = (typeof SIGNAL_GROUP_TYPES)[number]
export const PLAN_STATUSES = ['draft', 'validated', 'approved', 'deployed', 'retired'] as const
export type PlanStatus = (typeof PLAN_STATUSES)[number]
/**
 * fixed: fixed time. actuated: local vehicle actuation within minS..maxS. adaptive: a central
 * adaptive system (UTOPIA) sets the splits within minS..maxS. off: the flashing program.
 * Art. 169 CdS: only actuated/adaptive plans (or a designated night program) may run 23:00–07:00.
 */
export const PLAN_CONTROLS = ['fixed', 'actuated', 'adaptive', 'off'] as const
export type PlanControl = (typeof PLAN_CONTROLS)[number]
export const SAFETY_PROFILES = ['it', 'de'] as const
export type SafetyProfile = (typeof SAFETY_PROFILES)[number]

const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,40}$/, 'letters, digits, _ . : - (1–40)')
const Reason = z.string().trim().min(10, 'say why in at least 10 characters')

/** Who decided, and why: a permissive pair on a geometric conflict, or an intergreen below the computed one. */
export const EngineerOverrideSchema = z.object({
  reason: Reason,
  by: z.string().min(1),
  at: z.string().datetime({ offset: true }),
})
export type EngineerOverride = z.infer<typeof EngineerOverrideSchema>

export const CrossingSchema = z.object({
  /** Kerb to kerb along the walking line. */
  lengthM: z.number().positive().max(100),
  /** With a refuge island each half is checked on its own (SIG-08): the first half's length. */
  refugeAtM: z.number().positive().nullable().default(null),
  /** Schools, hospitals, elderly housing: a slower walking speed (0.8 m/s in the Italian profile). */
  sensitive: z.boolean().default(false),
})

export const SignalGroupSchema = z.object({
  id: Id,
  name: z.string().min(1).max(120),
  type: z.enum(SIGNAL_GROUP_TYPES),
  /** SUMO link indices (tlLogic state positions) this group drives. */
  links: z.array(z.number().int().nonnegative()).default([]),
  /** The incoming edge and lanes (SUMO ids) the group controls, when known. */
  approach: z.string().nullable().default(null),
  lanes: z.array(z.string()).default([]),
  /** Movement, for the approach speed (v85) and clearing speed defaults. */
  turn: z.enum(['through', 'left', 'right', 'mixed']).default('through'),
  /** Posted speed of the approach (vehicles), km/h. */
  speedKmh: z.number().positive().max(130).default(50),
  /** Approach grade, percent (negative downhill). */
  gradePct: z.number().min(-15).max(15).default(0),
  extraUrban: z.boolean().default(false),
  /** Minimum green for this group, overriding the profile default. */
  minGreenS: z.number().positive().max(255).nullable().default(null),
  crossing: CrossingSchema.nullable().default(null),
  /** Served only on demand (push button, tram call): may stay red for a whole cycle (SIG-09). */
  onDemand: z.boolean().default(false),
})
export type SignalGroup = z.infer<typeof SignalGroupSchema>
export type SignalGroupInput = z.input<typeof SignalGroupSchema>

/** A conflict derived from the network geometry: the two paths cross or merge. */
export const ConflictGeometrySchema = z.object({
  a: Id,
  b: Id,
  kind: z.enum(['crossing', 'merging']),
  /** Distance from a's stop line to the conflict point, and from b's. */
  aToPointM: z.number().nonnegative(),
  bToPointM: z.number().nonnegative(),
})
export type ConflictGeometry = z.infer<typeof ConflictGeometrySchema>

export const PermissivePairSchema = EngineerOverrideSchema.extend({ a: Id, b: Id })
export const IntergreenOverrideSchema = EngineerOverrideSchema.extend({ clearing: Id, entering: Id, valueS: z.number().nonnegative() })

export const StartupSchema = z.object({
  /** Flashing yellow at power-up before the all-red. */
  flashS: z.number().nonnegative().max(60).default(5),
  /** All red before the first green; must be ≥ the largest intergreen (SIG-13). */
  allRedS: z.number().nonnegative().max(60),
})
export type Startup = z.infer<typeof StartupSchema>

export const ScheduleEntrySchema = z.object({
  /** ISO weekdays, 1 = Monday. */
  days: z.array(z.number().int().min(1).max(7)).min(1),
  from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  /** Exclusive; may be ≤ from (runs past midnight); '24:00' is allowed. */
  to: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/),
  planId: Id,
})
export type ScheduleEntry = z.infer<typeof ScheduleEntrySchema>

export const SignalControllerSchema = z.object({
  id: Id,
  /** Bologna intersection code: the 3-digit tlLogic id ('209'), when it is one (bologna-codes.ts). */
  intersectionCode: z.string().nullable().default(null),
  name: z.string().min(1),
  /** The SUMO network the link indices and lanes refer to. */
  networkId: z.string().nullable().default(null),
  profile: z.enum(SAFETY_PROFILES).default('it'),
  signalGroups: z.array(SignalGroupSchema).min(1),
  /**
   * Conflict matrix K, one row per group in order: 'x' = conflict, '.' = permissive (may show
   * green together). Must be square, symmetric, '.' on the diagonal (SIG-02).
   */
  conflicts: z.array(z.string()),
  /** Conflicts derived from the network (paths crossing or merging). Permissive only with an override. */
  geometry: z.array(ConflictGeometrySchema).default([]),
  permissive: z.array(PermissivePairSchema).default([]),
  /** Intergreen matrix: clearing group → entering group → seconds, for every conflicting ordered pair. */
  intergreen: z.record(z.string(), z.record(z.string(), z.number().nonnegative())),
  intergreenOverrides: z.array(IntergreenOverrideSchema).default([]),
  startup: StartupSchema.nullable(),
  failureMode: z.enum(['flashing-yellow', 'dark']).default('flashing-yellow'),
  schedule: z.array(ScheduleEntrySchema).default([]),
})
export type SignalController = z.infer<typeof SignalControllerSchema>
export type SignalControllerInput = z.input<typeof SignalControllerSchema>

export const PlanIntervalSchema = z.object({
  name: z.string().max(60).optional(),
  durationS: z.number().positive(),
  /** Actuated/adaptive bounds; absent = fixed (min = max = duration). */
  minS: z.number().positive().optional(),
  maxS: z.number().positive().optional(),
  /** One state per signal group, in the controller's group order. */
  states: z.array(z.enum(SIGNAL_STATES)),
  /** Groups whose green here is permissive (yields, SUMO 'g'); export only. */
  minorGreen: z.array(Id).default([]),
})
export type PlanInterval = z.infer<typeof PlanIntervalSchema>

export const SignalPlanSchema = z.object({
  id: Id,
  controllerId: Id,
  name: z.string().min(1).max(120),
  control: z.enum(PLAN_CONTROLS),
  /** The designated night program of a multi-program controller (art. 169 c.2). */
  nightProgram: z.boolean().default(false),
  cycleS: z.number().positive(),
  offsetS: z.number().nonnegative(),
  intervals: z.array(PlanIntervalSchema).min(1),
  /** Cycle seconds at which the controller may leave this plan or enter it (SIG-13). */
  switchPoints: z.array(z.number().nonnegative()).default([0]),
  /** Where the plan came from, e.g. the SUMO tlLogic it was imported from. */
  source: z
    .object({ kind: z.enum(['sumo', 'editor', 'generated']), file: z.string().optional(), tlsId: z.string().optional(), programId: z.string().optional(), type: z.string().optional() })
    .default({ kind: 'editor' }),
})
export type SignalPlan = z.infer<typeof SignalPlanSchema>
export type SignalPlanInput = z.input<typeof SignalPlanSchema>

/** A controller and its plans in one document: what `npm run signals -- validate plan.json` reads. */
export const SignalWorkbenchFileSchema = z.object({
  controller: SignalControllerSchema,
  plans: z.array(SignalPlanSchema),
})
export type SignalWorkbenchFile = z.infer<typeof SignalWorkbenchFileSchema>
