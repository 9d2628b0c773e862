import type { Express } from 'express'
import { guarded } from '../../http/access'
import { ROUTES, type AboutResponse } from '../../../../contracts/api'
import { mount } from '../../http/route'
import { ApiError } from '../../http/api-error'
import { buildOpenApi } from '../../http/openapi'

export interface OpsDeps {
  version: string
  metrics: { render(): Promise<string>; contentType: string }
  readiness(): Promise<Record<string, { ok: boolean; detail: string }>>
  about(): Promise<AboutResponse>
}

export function mountOpsRoutes(app: Express, deps: OpsDeps): void {
  mount(app, ROUTES.health, async () => ({ status: 'ok' as const }))
  mount(app, ROUTES.ready, async ({ res }) => {
    const checks = await deps.readiness()
    const ready = Object.values(checks).every((c) => c.ok)
    if (!ready) res.status(503)
    return { status: ready ? ('ready' as const) : ('not_ready' as const), checks }
  })
  mount(app, ROUTES.about, () => deps.about())
  mount(app, ROUTES.metrics, async ({ res }) => {
    const text = await deps.metrics.render()
    res.setHeader('Cache-Control', 'no-store')
    res.type(deps.metrics.contentType).send(text)
    return undefined
  })
  const doc = buildOpenApi(deps.version)
  guarded(app, 'get', '/api/openapi.json', 'anyone', (_req, res) => {
    res.json(doc)
  })
  guarded(app, 'all', '/api/{*rest}', 'anyone', (req) => {
    throw new ApiError('NOT_FOUND', `No API route ${req.method} ${req.path}. The API is described at /api/openapi.json.`)
  })
}
