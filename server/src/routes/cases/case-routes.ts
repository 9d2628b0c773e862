/**
 * The offices' case cycle over REST (contracts/case-api.ts, docs/cases.md "The office cycle"):
 * validate (mount) → server/src/db/case-cycle.ts (one transaction with its events and audit row) →
 * the case, pushed to the screens that may read cases through `onChange` after the commit. The list,
 * the map layer, the statistics and the CSV carry no personal field; the reporter's contact data
 * comes only from POST /api/cases/:id/personal, with a reason that is audited. A legal notice
 * (POST /api/cases/:id/legal-notices) is queued for SEND in the change's transaction (db/case-notices.ts).
 */
import express, { type Express, type Request, type Response } from 'express'
import { CASE_CSV_COLUMNS, CASE_ROUTES, CaseSummarySchema, MAX_ATTACHMENT_BYTES, type CaseFeatureCollection, type CaseSummary } from '../../../../contracts/case-api'
import type { Db } from '../../db/adapter'
import { addAttachment, attachmentBytes } from '../../db/case-attachments'
import { ImageRefused, stripImageMetadata } from '../../cases/strip-metadata'
import { guarded } from '../../http/access'
import { addCaseNote, getCaseDetail, listCases, revealPersonal, updateCase, type CycleOptions } from '../../db/case-cycle'
import { sendCaseNotice } from '../../db/case-notices'
import { caseExportRows, caseStats } from '../../db/case-stats'
import { CaseError, listOffices, listServices } from '../../db/cases'
import { scrubPersonal } from '../../cases/scrub'
import { csvCell } from '../../census/files/csv-writer'
import { ApiError } from '../../http/api-error'
import { actorOf } from '../../http/actor'
import { mount } from '../../http/route'

export interface CaseRouteDeps extends CycleOptions {
  db: Db
  now?: () => number
  /** Called after each committed change with the case as the list shows it; must not throw. */
  onChange?: (c: CaseSummary) => void
  /** The national platforms (CasePlatforms): legal notices need SEND configured; without it they are refused. */
  platforms?: { readonly sendConfigured: boolean } | null
}

const SUMMARY_KEYS = Object.keys(CaseSummarySchema.shape) as Array<keyof CaseSummary>

/** Open cases the map draws at most. */
const MAX_MAP_CASES = 5000
/** The statistics' and the export's default period, and the longest one. */
const DEFAULT_PERIOD_MS = 365 * 86_400_000
const MAX_PERIOD_MS = 5 * 366 * 86_400_000

export function presentCasesGeoJson(cases: readonly CaseSummary[], nowMs: number): CaseFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: cases.map((c) => ({
      type: 'Feature',
      id: c.id,
      geometry: { type: 'Point', coordinates: c.position },
      properties: { id: c.id, serviceCode: c.serviceCode, status: c.status, priority: c.priority, overdue: c.slaBreachedAtMs !== null || (c.expectedAtMs !== null && c.expectedAtMs < nowMs), requestedAtMs: c.requestedAtMs },
    })),
  }
}

/** CSV (RFC 4180, CRLF, UTF-8) of export rows: the whitelisted columns only, the description scrubbed, times in ISO 8601. */
export function presentCasesCsv(rows: ReadonlyArray<Record<string, unknown>>): string {
  const lines = [CASE_CSV_COLUMNS.join(',')]
  for (const r of rows) {
    lines.push(
      CASE_CSV_COLUMNS.map((k) => {
        const v = r[k]
        if (v instanceof Date) return csvCell(v.toISOString())
        if (k.endsWith('_at') && typeof v === 'string') return csvCell(new Date(v).toISOString())
        if (k === 'description' && typeof v === 'string') return csvCell(scrubPersonal(v))
        if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return v
        return csvCell(v)
      }).join(','),
    )
  }
  return `${lines.join('\r\n')}\r\n`
}

function period(q: { from?: string; to?: string }, nowMs: number): [number, number] {
  const to = q.to ? Date.parse(q.to) : nowMs
  const from = q.from ? Date.parse(q.from) : to - DEFAULT_PERIOD_MS
  if (from > to) throw new ApiError('VALIDATION_FAILED', 'from is after to', [{ path: 'from', message: 'from must not be after to' }])
  if (to - from > MAX_PERIOD_MS) throw new ApiError('RANGE_TOO_LARGE', 'The period is longer than 5 years: ask for a shorter one', [{ path: 'from', message: 'at most 5 years' }])
  return [from, to]
}

function toApiError(err: unknown): unknown {
  return err instanceof CaseError ? new ApiError(err.code, err.message, err.field ? [{ path: err.field, message: err.message }] : undefined) : err
}
function asApiError(err: unknown): never {
  throw toApiError(err)
}

export function mountCaseRoutes(app: Express, deps: CaseRouteDeps): void {
  const { db } = deps
  const now = deps.now ?? Date.now
  const changed = <T extends { case: CaseSummary }>(detail: T): T => {
    // The summary's fields only: the push carries no description, attribute or link.
    deps.onChange?.(Object.fromEntries(SUMMARY_KEYS.map((k) => [k, detail.case[k]])) as CaseSummary)
    return detail
  }

  mount(app, CASE_ROUTES.listCases, async ({ query }) => listCases(db, query, now()))

  mount(app, CASE_ROUTES.casesGeoJson, async ({ res }) => {
    res.setHeader('Cache-Control', 'no-store')
    const nowMs = now()
    return JSON.stringify(presentCasesGeoJson((await listCases(db, { state: 'open', limit: MAX_MAP_CASES }, nowMs)).cases, nowMs))
  })

  mount(app, CASE_ROUTES.caseCatalogue, async () => ({ services: await listServices(db, { includeInactive: true }), offices: await listOffices(db) }))

  mount(app, CASE_ROUTES.caseStats, async ({ query }) => {
    const [from, to] = period(query, now())
    return caseStats(db, from, to)
  })

  mount(app, CASE_ROUTES.casesCsv, async ({ query, res }) => {
    const [from, to] = period(query, now())
    res.setHeader('Content-Disposition', `attachment; filename="gemello-cases-${new Date(from).toISOString().slice(0, 10)}-${new Date(to).toISOString().slice(0, 10)}.csv"`)
    res.setHeader('Cache-Control', 'no-store')
    return presentCasesCsv(await caseExportRows(db, from, to))
  })

  mount(app, CASE_ROUTES.getCase, async ({ params }) => {
    const detail = await getCaseDetail(db, params.id)
    if (!detail) throw new ApiError('CASE_NOT_FOUND', `No case #${params.id}. List the cases with GET /api/cases?state=all.`)
    return detail
  })

  mount(app, CASE_ROUTES.updateCase, async ({ params, body, res }) => changed(await updateCase(db, params.id, body, actorOf(res), now(), deps).catch(asApiError)))

  mount(app, CASE_ROUTES.addCaseNote, async ({ params, body, res }) => changed(await addCaseNote(db, params.id, body, actorOf(res), now()).catch(asApiError)))

  mount(app, CASE_ROUTES.sendCaseNotice, async ({ params, body, res }) =>
    changed(await sendCaseNotice(db, params.id, body, actorOf(res), now(), { sendConfigured: deps.platforms?.sendConfigured ?? false }).catch(asApiError)),
  )

  // Photos: a raw image body (not JSON), so declared here rather than in the contracts (as the OGC API's bodies are).
  const idOf = (v: unknown, what: string): number => {
    const s = String(v)
    if (!/^[1-9]\d{0,15}$/.test(s)) throw new ApiError('VALIDATION_FAILED', `${what} is a whole number`, [{ path: what, message: 'a whole number' }])
    return Number(s)
  }
  const handle = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: (e?: unknown) => void) => {
    fn(req, res).catch((e: unknown) => next(toApiError(e)))
  }
  guarded(
    app,
    'post',
    '/api/cases/:id/attachments',
    'case:act',
    express.raw({ type: () => true, limit: MAX_ATTACHMENT_BYTES }),
    handle(async (req, res) => {
      const id = idOf(req.params.id, 'id')
      const pub = req.query.public
      if (pub !== undefined && pub !== 'true' && pub !== 'false') throw new ApiError('VALIDATION_FAILED', 'public is true or false', [{ path: 'public', message: 'true or false' }])
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
      if (body.length === 0) throw new ApiError('VALIDATION_FAILED', 'Send the photo as the request body (image/jpeg or image/png)', [{ path: 'body', message: 'empty' }])
      let image
      try {
        image = stripImageMetadata(body)
      } catch (e) {
        if (e instanceof ImageRefused) throw new ApiError('UPLOAD_REFUSED', e.message)
        throw e
      }
      const r = await addAttachment(db, id, { type: image.type, bytes: image.bytes, public: pub === 'true' }, actorOf(res), now())
      if (r.created) {
        const detail = await getCaseDetail(db, id)
        if (detail) changed(detail)
      }
      res.status(r.created ? 201 : 200).json({ ...r, removed: image.removed })
    }),
  )
  guarded(
    app,
    'get',
    '/api/cases/:id/attachments/:attachmentId',
    'case:read-all',
    handle(async (req, res) => {
      const a = await attachmentBytes(db, idOf(req.params.attachmentId, 'attachmentId'), { caseId: idOf(req.params.id, 'id') })
      if (!a) throw new ApiError('NOT_FOUND', `Case #${String(req.params.id)} has no photo #${String(req.params.attachmentId)}`)
      res.setHeader('Cache-Control', 'private, max-age=3600')
      res.setHeader('Content-Disposition', 'inline')
      res.type(a.type).send(a.bytes)
    }),
  )

  mount(app, CASE_ROUTES.revealCasePersonal, async ({ params, body, res }) => {
    res.setHeader('Cache-Control', 'no-store')
    const p = await revealPersonal(db, params.id, body.reason, actorOf(res), now()).catch(asApiError)
    if (!p) throw new ApiError('NOT_FOUND', `Case #${params.id} has no personal data: the reporter left none, or it was deleted at the end of its retention period.`)
    return p
  })
}
