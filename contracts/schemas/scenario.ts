/**
 * A what-if scenario of the scenario explorer (ADR 0009, docs/scenarios.md): a base — a real day and
 * hour of the loop history, or a typical day-type profile — plus edits to the network, the signal
 * plans and the demand. A scenario is a JSON document: planners script batches with
 * `npm run scenario -- estimate <scenario.json>`, the server stores its versions, and it opens by URL.
 *
 * Edits name the road network's own ids (the city graph's directed edges, `road_edge.id`, or a SUMO
 * network's edges), so the same document runs on the fast estimate and, where the SUMO network covers
 * it, on the simulation.
 */
import { z } from 'zod'
import { LonLatSchema } from './device'

export const SCENARIO_STATUSES = ['draft', 'published', 'archived'] as const
export const DAY_TYPES = ['weekday', 'saturday', 'sunday'] as const
export type DayType = (typeof DAY_TYPES)[number]

const Hour = z.number().int().min(0).max(23)
const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
const EdgeIds = z.array(z.string().min(1).max(120)).min(1).max(5000)
const Note = z.string().max(2000)

/** The demand a scenario starts from. */
export const ScenarioBaseSchema = z.discriminatedUnion('kind', [
  /** The loop counts of one real day and hour (Europe/Rome). */
  z.object({ kind: z.literal('observed'), date: DateText, hour: Hour }),
  /** The mean of a day type's hour over a period of the history (holidays count as Sundays). */
  z.object({ kind: z.literal('typical'), dayType: z.enum(DAY_TYPES), hour: Hour, fromDate: DateText.optional(), toDate: DateText.optional() }),
])
export type ScenarioBase = z.infer<typeof ScenarioBaseSchema>

/** Where an edit comes from, when not drawn by hand: an incident or a PMO work site. */
const EditSourceSchema = z.union([z.object({ incidentId: z.number().int().positive() }), z.object({ pmoSiteId: z.string().min(1).max(80) })])

export const ScenarioEditSchema = z.discriminatedUnion('kind', [
  /** Close the edges, or `lanesClosed` of their lanes (a partial closure), in a time window of the day. */
  z.object({
    kind: z.literal('close-road'),
    edges: EdgeIds,
    lanesClosed: z.number().int().positive().max(8).optional(),
    fromHour: Hour.optional(),
    toHour: Hour.optional(),
    note: Note.optional(),
    source: EditSourceSchema.optional(),
  }),
  z.object({ kind: z.literal('speed-limit'), edges: EdgeIds, speedKmh: z.number().min(5).max(130), note: Note.optional() }),
  /** Lanes available to general traffic (e.g. one lane given to parking or a cycle track). */
  z.object({ kind: z.literal('lane-use'), edges: EdgeIds, lanes: z.number().int().min(1).max(8), note: Note.optional() }),
  /** A bus lane: one lane of each edge taken from general traffic (buses run on it, unaffected). */
  z.object({ kind: z.literal('bus-lane'), edges: EdgeIds, note: Note.optional() }),
  /** Another signal plan at a controller: a plan version of the signal workbench. */
  z.object({ kind: z.literal('signal-plan'), controllerId: z.string().min(1).max(40), planId: z.string().min(1).max(40), version: z.number().int().positive(), note: Note.optional() }),
  /** Demand × factor, everywhere or for trips from or to some districts (quartieri). */
  z.object({ kind: z.literal('scale-demand'), factor: z.number().min(0).max(5), districts: z.array(z.string().min(1).max(80)).max(20).optional(), note: Note.optional() }),
  /** New trips: an event or a new building, produced and attracted at a point, in vehicles per hour. */
  z.object({
    kind: z.literal('generator'),
    name: z.string().min(1).max(200),
    position: LonLatSchema,
    producedVehH: z.number().min(0).max(20_000),
    attractedVehH: z.number().min(0).max(20_000),
    note: Note.optional(),
  }),
])
export type ScenarioEdit = z.infer<typeof ScenarioEditSchema>
export type ScenarioEditKind = ScenarioEdit['kind']
export const SCENARIO_EDIT_KINDS = ['close-road', 'speed-limit', 'lane-use', 'bus-lane', 'signal-plan', 'scale-demand', 'generator'] as const satisfies readonly ScenarioEditKind[]

export const ScenarioNetworkSchema = z.enum(['city', 'sumo-joined', 'sumo-acosta', 'sumo-pasubio'])
export type ScenarioNetwork = z.infer<typeof ScenarioNetworkSchema>

export const ScenarioSchema = z.object({
  /** Stable slug; versions share it. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'lower-case letters, digits and "-" (1–80)'),
  title: z.string().min(1).max(200),
  /** The network the estimate runs on: the city's street graph, or a SUMO network (also what SUMO verifies). */
  network: ScenarioNetworkSchema.default('city'),
  base: ScenarioBaseSchema,
  edits: z.array(ScenarioEditSchema).max(500).default([]),
  /** What the planner assumes, in words (shown on the briefing). */
  assumptions: z.array(z.string().min(1).max(500)).max(50).default([]),
  /** The scenario and version this one branched from. */
  parent: z.object({ id: z.string(), version: z.number().int().positive() }).nullable().default(null),
})
export type Scenario = z.infer<typeof ScenarioSchema>
export type ScenarioInput = z.input<typeof ScenarioSchema>
