import { z } from 'zod'
import { ROUTES, type RouteContract } from '../../../contracts/api'
import { ERROR_STATUS, ErrorEnvelopeSchema } from '../../../contracts/errors'

/** The OpenAPI 3.1 document of the REST API, generated from contracts/api.ts. */
export function buildOpenApi(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of Object.values(ROUTES) as RouteContract[]) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}')
    const parameters = [...objectParams(route.params, 'path'), ...objectParams(route.query, 'query')]
    const responses: Record<string, unknown> = {
      '200': {
        description: 'OK',
        content: { [route.contentType ?? 'application/json']: { schema: toSchema(route.response, 'output') } },
      },
    }
    for (const code of route.errors) {
      const status = String(ERROR_STATUS[code])
      const existing = responses[status] as { description: string } | undefined
      responses[status] = {
        description: existing ? `${existing.description}, ${code}` : code,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
      }
    }
    paths[path] = {
      ...(paths[path] ?? {}),
      [route.method]: {
        operationId: route.operationId,
        summary: route.summary,
        tags: route.tags,
        'x-gemello-permission': route.permission,
        // 'anyone': no session needed; otherwise the session cookie or a personal access token of a user whose role holds the permission.
        security: route.permission === 'anyone' ? [] : [{ session: [] }, { token: [] }, { tokenBasic: [] }],
        parameters,
        ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } } : {}),
        responses,
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gemello API',
      version,
      description: 'REST API of the Gemello urban digital twin. Errors use one envelope with a stable code. Live state streams over Socket.IO (namespace /live); see contracts/events.ts.',
      license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
    },
    paths,
    components: {
      schemas: { ErrorEnvelope: toSchema(ErrorEnvelopeSchema, 'output') },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: '__Host-gemello_session', description: 'Set by /api/auth/sign-in or the identity provider callback (docs/access.md)' },
        token: { type: 'http', scheme: 'bearer', description: 'A personal access token (gmt_…) created with POST /api/tokens; never for a step-up permission (docs/access.md, "Personal access tokens")' },
        tokenBasic: { type: 'http', scheme: 'basic', description: 'Username and a personal access token as the password (QGIS, GDAL_HTTP_USERPWD); an account password is refused' },
      },
    },
  }
}

function toSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>
  delete s.$schema
  return s
}

function objectParams(schema: z.ZodObject | undefined, where: 'path' | 'query'): Array<Record<string, unknown>> {
  if (!schema) return []
  const json = toSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] }
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }))
}
