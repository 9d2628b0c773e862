import type { Express, Request, Response } from 'express'
import type { z } from 'zod'
import type { RouteContract } from '../../../contracts/api'
import { declareRoute, requireAccess } from './access'
import { ApiError } from './api-error'

type Inferred<T> = T extends z.ZodType ? z.output<T> : Record<string, never>

export interface HandlerInput<C extends RouteContract> {
  params: Inferred<C['params']>
  query: Inferred<C['query']>
  body: Inferred<C['body']>
  req: Request
  res: Response
}

/**
 * Mounts one route of contracts/api.ts: validates params and query with the contract's schemas
 * (→ 400 VALIDATION_FAILED with a message per field), calls the handler, sends its result.
 * A handler returning a string sends it as-is with the contract's content type.
 */
export function mount<C extends RouteContract>(app: Express, contract: C, handler: (input: HandlerInput<C>) => Promise<unknown>): void {
  declareRoute(contract.method, contract.path, contract.permission)
  app[contract.method](contract.path, requireAccess(contract.permission), async (req, res, next) => {
    try {
      const params = parsePart(contract.params, req.params, 'path')
      const query = parsePart(contract.query, req.query, 'query')
      const input = parsePart(contract.body, req.body, 'body')
      const body = await handler({ params, query, body: input, req, res } as HandlerInput<C>)
      if (res.headersSent) return
      if (typeof body === 'string') {
        res.type(contract.contentType ?? 'application/json').send(body)
      } else {
        res.json(body)
      }
    } catch (err) {
      next(err)
    }
  })
}

/** Validates one part of a request with its contract schema (→ 400 VALIDATION_FAILED naming each field); also for routes mounted with `guarded`. */
export function parsePart(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return {}
  const r = schema.safeParse(value ?? {})
  if (r.success) return r.data
  const details = r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }))
  throw new ApiError('VALIDATION_FAILED', details.map((d) => `${d.path}: ${d.message}`).join('; '), details)
}
