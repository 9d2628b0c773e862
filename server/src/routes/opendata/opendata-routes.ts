/**
 * Open data over HTTP (docs/opendata.md): the catalogue and its datasets as JSON for the portal, the
 * files, the DCAT-AP_IT RDF pages (/catalog.ttl, /catalog.rdf, /catalog.jsonld) and CKAN's API actions
 * at CKAN's paths (/api/3/action/… and /api/action/…). All public (opendata:read).
 */
import type { Express, Request, Response } from 'express'
import { OPENDATA_ROUTES } from '../../../../contracts/opendata-api'
import type { OpenDataConfig } from '../../config/config'
import type { Db } from '../../db/adapter'
import { datasetFile } from '../../db/opendata'
import { guarded } from '../../http/access'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import { readCatalogue } from '../../opendata/catalogue'
import { ckanPackage, organization, type CkanContext } from '../../opendata/ckan/ckan-package'
import { CkanSearchError, searchPackages } from '../../opendata/ckan/ckan-search'
import { catalogueQuads } from '../../opendata/rdf/catalogue-rdf'
import { toJsonLd } from '../../opendata/rdf/jsonld-writer'
import { toRdfXml } from '../../opendata/rdf/rdfxml-writer'
import { toTurtle } from '../../opendata/rdf/turtle-writer'
import { acceptsGzip } from '../../tiles/tile-routes'

export interface OpenDataRouteDeps {
  db: Db
  config: OpenDataConfig
  /** Datasets per RDF page (default 100, as ckanext-dcat). */
  rdfPageSize?: number
}

const requestBase = (req: Request) => `${req.protocol}://${req.get('host')}`

const RDF_FORMATS = {
  ttl: { type: 'text/turtle; charset=utf-8', write: async (q: Parameters<typeof toTurtle>[0]) => toTurtle(q) },
  rdf: { type: 'application/rdf+xml; charset=utf-8', write: async (q: Parameters<typeof toRdfXml>[0]) => toRdfXml(q) },
  jsonld: { type: 'application/ld+json; charset=utf-8', write: async (q: Parameters<typeof toJsonLd>[0]) => JSON.stringify(await toJsonLd(q), null, 1) },
} as const

const CKAN_ACTIONS = ['package_list', 'package_show', 'package_search', 'status_show', 'organization_list', 'organization_show'] as const

export function mountOpenDataRoutes(app: Express, deps: OpenDataRouteDeps): void {
  const { db, config } = deps
  const pageSize = deps.rdfPageSize ?? 100
  const baseOf = (req: Request) => config.baseUrl ?? requestBase(req)

  mount(app, OPENDATA_ROUTES.openDataCatalogue, ({ req }) => readCatalogue(db, config, requestBase(req), { all: true }))
  mount(app, OPENDATA_ROUTES.openDataset, async ({ params, req }) => {
    const c = await readCatalogue(db, config, requestBase(req), { all: true })
    const d = c.datasets.find((x) => x.id === params.id)
    if (!d) throw new ApiError('DATASET_NOT_FOUND', `There is no open dataset "${params.id}"; GET /api/opendata lists them.`)
    return d
  })
  mount(app, OPENDATA_ROUTES.openDataFile, async ({ params, req, res }) => {
    const f = await datasetFile(db, params.id, params.format)
    if (!f) throw new ApiError('DATASET_NOT_FOUND', `The dataset "${params.id}" has no ${params.format} file published; GET /api/opendata/datasets/${params.id} lists its files.`)
    const etag = `"${f.sha256}"`
    res.set({ ETag: etag, 'Last-Modified': new Date(f.modifiedMs).toUTCString(), 'Cache-Control': 'public, max-age=300', 'Content-Disposition': `attachment; filename="${params.id}.${params.format}"` })
    if (req.get('if-none-match') === etag) {
      res.status(304).end()
      return
    }
    // Stored compressed: sent as is to clients that accept gzip, decompressed for the others.
    res.vary('Accept-Encoding')
    if (acceptsGzip(req.get('accept-encoding'))) res.set('Content-Encoding', 'gzip').type(f.mediaType).send(f.gzip)
    else res.type(f.mediaType).send(f.bytes())
  })

  for (const [ext, fmt] of Object.entries(RDF_FORMATS)) {
    const path = `/catalog.${ext}`
    guarded(app, 'get', path, 'opendata:read', (req: Request, res: Response, next) => {
      ;(async () => {
        const raw = req.query.page
        const page = raw === undefined ? 1 : Number(raw)
        if (!Number.isInteger(page) || page < 1 || page > 100_000) throw new ApiError('VALIDATION_FAILED', `query.page: a page is a whole number from 1 (got ${JSON.stringify(raw)})`)
        const base = baseOf(req)
        const c = await readCatalogue(db, config, requestBase(req))
        const quads = catalogueQuads(c, base, { page, pageSize, pageBase: `${base}${path}` })
        res.type(fmt.type).set('Cache-Control', 'public, max-age=300').send(await fmt.write(quads))
      })().catch(next)
    })
  }

  const ckan = async (req: Request, res: Response) => {
    const action = String(req.params.action)
    const base = baseOf(req)
    const help = `${base}/api/3/action/help_show?name=${encodeURIComponent(action)}`
    const fail = (status: number, type: string, message: string) => res.status(status).json({ help, success: false, error: { __type: type, message } })
    if (!(CKAN_ACTIONS as readonly string[]).includes(action)) return fail(400, 'Bad request - Action name not known', `Bad request - Action name not known: ${action}; this catalogue answers ${CKAN_ACTIONS.join(', ')}`)
    const q = req.query as Record<string, string | undefined>
    const c = await readCatalogue(db, config, requestBase(req))
    const ctx: CkanContext = { publisher: c.publisher, contact: c.contact, base }
    const all = c.datasets.map((d) => ckanPackage(d, ctx))
    const ok = (result: unknown) => res.json({ help, success: true, result })
    switch (action) {
      case 'status_show':
        return ok({ site_title: c.title.it, site_description: c.description.it, site_url: base, ckan_version: '2.10.4', error_emails_to: null, locale_default: 'it', extensions: ['dcat', 'dcatapit_pkg', 'dcatapit_org', 'spatial_metadata'] })
      case 'package_list': {
        const limit = q.limit === undefined ? all.length : Number(q.limit)
        const offset = q.offset === undefined ? 0 : Number(q.offset)
        if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(offset) || offset < 0) return fail(409, 'Validation Error', 'limit and offset must be whole numbers ≥ 0')
        return ok(all.map((p) => p.name).sort().slice(offset, offset + limit))
      }
      case 'package_show': {
        const id = q.id ?? q.name_or_id
        if (!id) return fail(409, 'Validation Error', 'Missing value: id (the dataset’s id or name)')
        const p = all.find((x) => x.id === id || x.name === id)
        return p ? ok(p) : fail(404, 'Not Found Error', `Not found: there is no dataset "${id}"`)
      }
      case 'package_search':
        try {
          const r = searchPackages(all, q)
          return ok({ count: r.count, sort: r.sort, facets: {}, search_facets: {}, results: r.results })
        } catch (e) {
          if (e instanceof CkanSearchError) return fail(409, 'Search Query Error', e.message)
          throw e
        }
      case 'organization_list':
        return ok(q.all_fields === 'true' ? [organization(ctx)] : [organization(ctx).name])
      case 'organization_show':
        return q.id === ctx.publisher.ipaCode ? ok({ ...organization(ctx), package_count: all.length }) : fail(404, 'Not Found Error', `Not found: there is no organization "${q.id ?? ''}"`)
    }
  }
  for (const path of ['/api/3/action/:action', '/api/action/:action']) {
    guarded(app, 'get', path, 'opendata:read', (req, res, next) => {
      ckan(req, res).catch(next)
    })
  }
}
