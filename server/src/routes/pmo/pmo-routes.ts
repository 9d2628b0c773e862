/**
 * The PMO's portfolio over HTTP (docs/pmo.md): thin routes over server/src/db/pmo.ts (storage, versions,
 * conflicts), the domain's health and portfolio figures, the live KPIs measured from the twin (at most
 * once a minute per process) and the progress report.
 */
import type { Express } from 'express'
import { PMO_ROUTES, type PmoSites, type ProjectDetail } from '../../../../contracts/pmo-api'
import { PMO_LINES } from '../../../../contracts/schemas/pmo'
import type { Db } from '../../db/adapter'
import { createProject, getProject, getProjectVersion, listProjects, PmoError, projectVersions, saveProject, type StoredProject } from '../../db/pmo'
import { portfolioOf, projectSummary, romeDay } from '../../domain/pmo/pmo-health'
import { actorOf } from '../../http/actor'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import { kpiValues, measureLiveKpis, type LiveValues } from '../../pmo/live-kpis'
import { portfolioReportPdf } from '../../pmo/pmo-report'

export interface PmoRouteDeps {
  db: Db
  now?: () => number
  publisher?: string
  /** How long measured live KPIs are reused (default 60 s). */
  liveTtlMs?: number
}

const asApiError = (err: unknown): never => {
  if (err instanceof PmoError) throw new ApiError(err.code, err.message, err.path ? [{ path: `body.${err.path}`, message: err.message }] : undefined)
  throw err
}

export function mountPmoRoutes(app: Express, deps: PmoRouteDeps): void {
  const { db } = deps
  const now = deps.now ?? Date.now
  const ttl = deps.liveTtlMs ?? 60_000
  let cache: { atMs: number; values: Promise<LiveValues> } | null = null
  const live = (nowMs: number) => {
    if (!cache || nowMs - cache.atMs > ttl || nowMs < cache.atMs) cache = { atMs: nowMs, values: measureLiveKpis(db, nowMs) }
    const c = cache
    c.values.catch(() => {
      if (cache === c) cache = null
    })
    return c.values
  }
  const read = async (s: StoredProject, nowMs: number, values: LiveValues) => {
    const today = romeDay(nowMs)
    const kpis = kpiValues(s.project, values, nowMs, today)
    return { project: s.project, kpis, summary: projectSummary(s.project, kpis, s, today) }
  }
  const detail = async (s: StoredProject): Promise<ProjectDetail> => {
    const nowMs = now()
    return { ...(await read(s, nowMs, await live(nowMs))), versions: await projectVersions(db, s.project.id) }
  }
  const all = async (f: { line?: string; status?: string } = {}) => {
    const nowMs = now()
    const values = await live(nowMs)
    return { nowMs, items: await Promise.all((await listProjects(db, f)).map((s) => read(s, nowMs, values))) }
  }
  const notFound = (id: string): never => {
    throw new ApiError('PROJECT_NOT_FOUND', `No project ${id} in the portfolio. List them with GET /api/pmo/projects.`)
  }

  mount(app, PMO_ROUTES.pmoPortfolio, async () => {
    const { nowMs, items } = await all()
    return portfolioOf(items, nowMs, romeDay(nowMs))
  })
  mount(app, PMO_ROUTES.listProjects, async ({ query }) => ({ projects: (await all(query)).items.map((i) => i.summary) }))
  mount(app, PMO_ROUTES.getProject, async ({ params }) => detail((await getProject(db, params.id)) ?? notFound(params.id)))
  mount(app, PMO_ROUTES.getProjectVersion, async ({ params }) => (await getProjectVersion(db, params.id, params.version)) ?? notFound(`${params.id} version ${params.version}`))
  mount(app, PMO_ROUTES.createProject, async ({ body, res }) => {
    res.status(201)
    return detail(await createProject(db, body, actorOf(res), now()).catch(asApiError))
  })
  mount(app, PMO_ROUTES.saveProject, async ({ params, body, res }) => detail(await saveProject(db, params.id, body, actorOf(res), now()).catch(asApiError)))
  mount(app, PMO_ROUTES.pmoSites, async () => {
    const { items } = await all()
    const features = items
      .filter((i) => i.project.site !== null)
      .map(({ project: p, summary: s }) => ({
        type: 'Feature' as const,
        id: p.id,
        geometry: p.site!.geometry,
        properties: {
          id: p.id, title: p.title, line: p.line, lineTitle: PMO_LINES[p.line].it, status: p.status, health: s.health,
          startDate: p.startDate, endDate: p.endDate, closesRoad: p.site!.closesRoad, closedFrom: p.site!.fromDate, closedTo: p.site!.toDate,
        },
      }))
    return JSON.stringify({ type: 'FeatureCollection', features } satisfies PmoSites)
  })
  mount(app, PMO_ROUTES.pmoReport, async ({ query, res }) => {
    const { nowMs, items } = await all(query.line ? { line: query.line } : {})
    const today = romeDay(nowMs)
    const pdf = await portfolioReportPdf({ portfolio: portfolioOf(items, nowMs, today), projects: items, lang: query.lang, publisher: deps.publisher ?? 'Comune di Bologna', date: today, ...(query.line ? { line: query.line } : {}) })
    res.set('Content-Disposition', `attachment; filename="pmo-report-${today}${query.line ? `-${query.line}` : ''}.pdf"`).type('application/pdf').send(Buffer.from(pdf))
  })
}
