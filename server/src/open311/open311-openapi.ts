/**
 * The OpenAPI 3.1 definition of /open311/v2 (GeoReport v2 has prose only; this is what a client
 * generator or a validator reads): one path per route of contracts/open311-api.ts, `{format}` as
 * `json` or `xml`, the POST's form fields (with the personal ones marked as never returned), the
 * answers' JSON schemas generated from the same zod schemas the routes answer with, and GeoReport's
 * error list for 400/403/404. Self-contained (no external $ref).
 */
import { z } from 'zod'
import { OPEN311_MAX_DAYS, OPEN311_MAX_DESCRIPTION, OPEN311_MAX_REQUESTS, Open311DiscoverySchema, Open311ErrorSchema, Open311PostResponseSchema, Open311RequestSchema, Open311ServiceDefinitionSchema, Open311ServiceSchema, Open311UpdateSchema } from '../../../contracts/open311-api'
import { OPEN311_PERSONAL_FIELDS } from '../../../contracts/schemas/case'

const schema = (s: z.ZodType) => {
  const out = z.toJSONSchema(s, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>
  delete out.$schema
  return out
}
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const formats = { name: 'format', in: 'path', required: true, description: 'json or xml (the same document in either)', schema: { type: 'string', enum: ['json', 'xml'] } }
const jurisdiction = { name: 'jurisdiction_id', in: 'query', required: false, description: 'This server’s jurisdiction (another one is a 404); optional with one jurisdiction', schema: { type: 'string' } }
const body = (s: unknown) => ({ 'application/json': { schema: s }, 'text/xml': { schema: { type: 'string' } } })
const ok = (description: string, s: unknown) => ({ description, content: body(s) })
const errors = (codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: { 400: 'A field is missing or wrong (each problem is one item)', 403: 'No valid api_key', 404: 'No such service, request, token, jurisdiction or format' }[c] ?? 'Error', content: body({ type: 'array', items: ref('error') }) }]))
const dateParam = (name: string, what: string) => ({ name, in: 'query', required: false, description: `${what} (W3C date and time with its offset)`, schema: { type: 'string', format: 'date-time' } })

export function open311OpenApi(base: string): Record<string, unknown> {
  const personal = Object.fromEntries(OPEN311_PERSONAL_FIELDS.map((f) => [f, { type: 'string', description: 'About the reporter: stored apart, never in any GET or export, deleted after the retention period' }]))
  return {
    openapi: '3.1.0',
    info: { title: 'Gemello — Open311 GeoReport v2', version: '2.0.0', description: 'Citizen requests of the Comune (GeoReport v2 with the FixMyStreet servicerequestupdates extension). See docs/cases.md.', license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' } },
    servers: [{ url: base }],
    paths: {
      '/discovery.{format}': { get: { operationId: 'discovery', summary: 'This endpoint, its specification and formats', parameters: [formats], responses: { 200: ok('Discovery', ref('discovery')), ...errors([404]) } } },
      '/services.{format}': { get: { operationId: 'services', summary: 'The services a request can be made for (Accept-Language it or en)', parameters: [formats, jurisdiction], responses: { 200: ok('Services', { type: 'array', items: ref('service') }), ...errors([404]) } } },
      '/services/{service_code}.{format}': {
        get: { operationId: 'serviceDefinition', summary: 'The attributes a request for the service answers', parameters: [{ name: 'service_code', in: 'path', required: true, schema: { type: 'string' } }, formats, jurisdiction], responses: { 200: ok('Service definition', ref('serviceDefinition')), ...errors([400, 404]) } },
      },
      '/requests.{format}': {
        get: {
          operationId: 'requests',
          summary: `Published requests, newest first (at most ${OPEN311_MAX_REQUESTS}); service_request_id overrides every other filter`,
          parameters: [
            formats,
            jurisdiction,
            { name: 'service_request_id', in: 'query', required: false, description: 'Ids separated by commas', schema: { type: 'string' } },
            { name: 'service_code', in: 'query', required: false, description: 'Service codes separated by commas', schema: { type: 'string' } },
            dateParam('start_date', `Requested from (default: ${OPEN311_MAX_DAYS} days before end_date)`),
            dateParam('end_date', `Requested until (default: now; at most ${OPEN311_MAX_DAYS} days after start_date)`),
            { name: 'status', in: 'query', required: false, description: 'open, closed, or both separated by a comma', schema: { type: 'string' } },
          ],
          responses: { 200: ok('Requests', { type: 'array', items: ref('request') }), ...errors([400, 404]) },
        },
        post: {
          operationId: 'postRequest',
          summary: 'Create a request (api_key required); lat and long required (no geocoding); attribute[CODE] answers as the service definition asks',
          parameters: [formats],
          requestBody: {
            required: true,
            content: {
              'application/x-www-form-urlencoded': {
                schema: {
                  type: 'object',
                  required: ['api_key', 'service_code', 'lat', 'long'],
                  properties: {
                    api_key: { type: 'string' },
                    jurisdiction_id: { type: 'string' },
                    service_code: { type: 'string' },
                    lat: { type: 'number' },
                    long: { type: 'number' },
                    address_string: { type: 'string' },
                    address_id: { type: 'string' },
                    description: { type: 'string', maxLength: OPEN311_MAX_DESCRIPTION },
                    media_url: { type: 'string', format: 'uri', description: 'Stored, never fetched nor republished' },
                    ...personal,
                  },
                  additionalProperties: { description: 'attribute[CODE] (repeated for a multivaluelist)' },
                },
              },
            },
          },
          responses: { 200: ok('The id (realtime) or the token (batch)', { type: 'array', items: ref('postResponse') }), ...errors([400, 403, 404]) },
        },
      },
      '/requests/{service_request_id}.{format}': {
        get: { operationId: 'request', summary: 'One published request', parameters: [{ name: 'service_request_id', in: 'path', required: true, schema: { type: 'string' } }, formats, jurisdiction], responses: { 200: ok('The request (a list of one)', { type: 'array', items: ref('request') }), ...errors([404]) } },
      },
      '/tokens/{token}.{format}': {
        get: { operationId: 'token', summary: 'The id of a batch request, once an office accepted it', parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }, formats, jurisdiction], responses: { 200: ok('The token, with the id once accepted', { type: 'array', items: { type: 'object', required: ['token'], properties: { token: { type: 'string' }, service_request_id: { type: 'string' } } } }), ...errors([404]) } },
      },
      '/servicerequestupdates.{format}': {
        get: { operationId: 'updates', summary: `FixMyStreet extension: the public updates of published requests (at most ${OPEN311_MAX_DAYS} days)`, parameters: [formats, jurisdiction, dateParam('start_date', 'From'), dateParam('end_date', 'Until')], responses: { 200: ok('Updates', { type: 'array', items: ref('update') }), ...errors([400, 404]) } },
      },
      '/media/{id}': {
        get: { operationId: 'media', summary: 'A public photo of a published request, its metadata stripped (what media_url points to)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'The photo', content: { 'image/jpeg': { schema: { type: 'string', contentEncoding: 'binary' } }, 'image/png': { schema: { type: 'string', contentEncoding: 'binary' } } } }, ...errors([404]) } },
      },
      '/openapi.json': { get: { operationId: 'openapi', summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/vnd.oai.openapi+json;version=3.1': { schema: { type: 'object' } } } } } } },
    },
    components: {
      schemas: {
        error: schema(Open311ErrorSchema),
        discovery: schema(Open311DiscoverySchema),
        service: schema(Open311ServiceSchema),
        serviceDefinition: schema(Open311ServiceDefinitionSchema),
        request: schema(Open311RequestSchema),
        postResponse: schema(Open311PostResponseSchema),
        update: schema(Open311UpdateSchema),
      },
    },
  }
}
