/**
 * A project of the PMO's portfolio (issue 11, docs/pmo.md): the program's lines of action (program.md:
 * the four integrated lines of "Officine della Conoscenza" plus the PMO) and, in each, the interventions
 * the administration runs — with budget (planned, committed, spent, by funding source), milestones and
 * deliverables, activities for the Gantt chart, KPIs with targets and actual values (measured by hand, or
 * computed live from the twin), risks, status and owners, and, for works, the site on the map.
 *
 * A project is a JSON document, like a scenario: the server keeps every version (who changed what, when)
 * and a change names the version it was made on. Money is in euro cents (integers); dates are
 * Europe/Rome calendar days (YYYY-MM-DD).
 */
import { z } from 'zod'

export const PMO_LINES = {
  'processi-interni': { it: 'Digitalizzazione dei processi interni', en: 'Internal processes' },
  'servizi-digitali': { it: 'Servizi digitali per cittadini, professionisti e imprese', en: 'Digital services for citizens, professionals and businesses' },
  'governo-dati': { it: 'Governo e valorizzazione dei dati', en: 'Data governance' },
  'infrastrutture-smart': { it: 'Infrastrutture digitali e smart city', en: 'Digital infrastructure and smart city' },
  pmo: { it: 'Project Management Office', en: 'Project Management Office' },
} as const
export type PmoLine = keyof typeof PMO_LINES
export const PmoLineSchema = z.enum(Object.keys(PMO_LINES) as [PmoLine, ...PmoLine[]])

export const PROJECT_STATUSES = ['planned', 'in_progress', 'suspended', 'completed', 'cancelled'] as const
export const ProjectStatusSchema = z.enum(PROJECT_STATUSES)
export type ProjectStatus = z.infer<typeof ProjectStatusSchema>

/**
 * KPIs Gemello measures itself (docs/pmo.md "Live KPIs"): the share of field devices reporting now; the
 * open datasets published; the citizen services that run their full cycle online; the share of cases
 * closed within their SLA in the last 90 days.
 */
export const LIVE_KPIS = {
  'devices-online': { unit: '%', it: 'Dispositivi in campo che trasmettono', en: 'Field devices reporting' },
  'datasets-published': { unit: 'n', it: 'Dataset aperti pubblicati', en: 'Open datasets published' },
  'services-online': { unit: 'n', it: 'Servizi al cittadino a ciclo completo online', en: 'Citizen services fully online' },
  'case-sla': { unit: '%', it: 'Segnalazioni chiuse entro i tempi (90 giorni)', en: 'Cases closed within SLA (90 days)' },
} as const
export type LiveKpi = keyof typeof LIVE_KPIS
export const LiveKpiSchema = z.enum(Object.keys(LIVE_KPIS) as [LiveKpi, ...LiveKpi[]])

const Day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date YYYY-MM-DD')
const Cents = z.number().int().min(0).max(1e13)
const Text = (max: number) => z.string().trim().max(max)
const Key = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and "-", at most 40')

export const FundingSchema = z.object({
  /** e.g. "PN Metro Plus 2021-2027", "PNRR M1C1", "Bilancio comunale". */
  source: Text(120).min(1),
  plannedCents: Cents,
})

export const MilestoneSchema = z.object({
  key: Key,
  title: Text(200).min(1),
  kind: z.enum(['milestone', 'deliverable']),
  dueDate: Day,
  /** When it was reached or delivered; null while it is not. */
  doneDate: Day.nullable().default(null),
})

export const ActivitySchema = z.object({
  key: Key,
  title: Text(200).min(1),
  startDate: Day,
  endDate: Day,
  progressPct: z.number().min(0).max(100).default(0),
  /** Activities that must end before this one starts (keys of this project). */
  after: z.array(Key).max(20).default([]),
})

export const KpiSchema = z
  .object({
    key: Key,
    title: Text(200).min(1),
    unit: Text(20).min(1),
    baseline: z.number().nullable().default(null),
    target: z.number(),
    targetDate: Day,
    /** Larger is better (devices online) or smaller is better (response time). */
    direction: z.enum(['increase', 'decrease']).default('increase'),
    /** Measured by Gemello (its value is computed when read) or entered by hand. */
    live: LiveKpiSchema.nullable().default(null),
    /** The last value entered by hand and its date (ignored for a live KPI). */
    actual: z.number().nullable().default(null),
    actualDate: Day.nullable().default(null),
  })
  .refine((k) => k.live === null || k.actual === null, { message: 'a live KPI takes no hand-entered actual value', path: ['actual'] })

export const RiskSchema = z.object({
  key: Key,
  title: Text(300).min(1),
  /** 1 (rare) – 5 (almost certain), 1 (negligible) – 5 (severe): the score is their product. */
  probability: z.number().int().min(1).max(5),
  impact: z.number().int().min(1).max(5),
  mitigation: Text(1000).default(''),
  /** Who follows it: a role or an office, e.g. "RUP", "Settore Mobilità". */
  owner: Text(120).default(''),
  status: z.enum(['open', 'mitigated', 'closed']).default('open'),
})

/** A work site or place of the project, lon/lat EPSG:4326 (a site closing a road is a LineString or Polygon over it). */
export const ProjectSiteSchema = z.object({
  geometry: z.discriminatedUnion('type', [
    z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]) }),
    z.object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])).min(2).max(5000) }),
    z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])).min(4).max(5000)).min(1).max(50) }),
  ]),
  /** Whether the site closes the roads it lies on, and when (the scenario explorer takes it as a closure). */
  closesRoad: z.boolean().default(false),
  fromDate: Day.nullable().default(null),
  toDate: Day.nullable().default(null),
})

export const ProjectIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,79}$/, 'a project id is 2–80 lower-case letters, digits and "-"')

export const ProjectSchema = z
  .object({
    id: ProjectIdSchema,
    line: PmoLineSchema,
    title: Text(200).min(1),
    description: Text(4000).default(''),
    /** Codice Unico di Progetto (CUP), 15 characters, when the project has one. */
    cup: z.string().regex(/^[A-Z0-9]{15}$/, 'a CUP is 15 capital letters and digits').nullable().default(null),
    status: ProjectStatusSchema,
    /** Who answers for it: roles or offices ("RUP – Settore Mobilità"), not private persons' data. */
    owners: z.array(Text(120).min(1)).max(10).default([]),
    startDate: Day,
    endDate: Day,
    funding: z.array(FundingSchema).max(20).default([]),
    committedCents: Cents.default(0),
    spentCents: Cents.default(0),
    milestones: z.array(MilestoneSchema).max(200).default([]),
    activities: z.array(ActivitySchema).max(500).default([]),
    kpis: z.array(KpiSchema).max(50).default([]),
    risks: z.array(RiskSchema).max(100).default([]),
    site: ProjectSiteSchema.nullable().default(null),
  })
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message })
    if (p.endDate < p.startDate) issue(['endDate'], 'the end date is before the start date')
    const planned = p.funding.reduce((s, f) => s + f.plannedCents, 0)
    if (p.committedCents > planned && planned > 0) issue(['committedCents'], 'more is committed than the funding plans')
    if (p.spentCents > p.committedCents) issue(['spentCents'], 'more is spent than committed')
    const keys = (list: Array<{ key: string }>, where: string) => {
      const seen = new Set<string>()
      list.forEach((x, i) => {
        if (seen.has(x.key)) issue([where, i, 'key'], `the key ${x.key} is used twice`)
        seen.add(x.key)
      })
      return seen
    }
    keys(p.milestones, 'milestones')
    keys(p.kpis, 'kpis')
    keys(p.risks, 'risks')
    const acts = keys(p.activities, 'activities')
    p.activities.forEach((a, i) => {
      if (a.endDate < a.startDate) issue(['activities', i, 'endDate'], 'the end date is before the start date')
      for (const k of a.after) if (!acts.has(k) || k === a.key) issue(['activities', i, 'after'], `"${k}" is not another activity of this project`)
    })
    if (p.site && p.site.fromDate && p.site.toDate && p.site.toDate < p.site.fromDate) issue(['site', 'toDate'], 'the site closes before it opens')
  })
export type Project = z.infer<typeof ProjectSchema>
export type ProjectInput = z.input<typeof ProjectSchema>
