/**
 * Gemello's Open311 GeoReport v2 server at /open311/v2 (issue 10, docs/cases.md): the routes, who may
 * call them, and the documents they answer — field names as the GeoReport v2 specification spells them
 * (snake_case), in JSON (the Spark convention: lists as bare arrays) or XML, by the path's extension.
 * Reads are public (the published cases, without any personal field); a POST needs an Open311 client's
 * `api_key` (403 without), not a session. Extensions: FixMyStreet's servicerequestupdates (GET).
 */
import { z } from 'zod'
import type { Permission } from './access'
import { ATTRIBUTE_DATATYPES } from './schemas/case'

export const OPEN311_BASE = '/open311/v2'
export const OPEN311_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2'
export const OPEN311_FORMATS = ['xml', 'json'] as const
/** GeoReport v2: a GET of requests answers at most 1000 of them, over at most 90 days. */
export const OPEN311_MAX_REQUESTS = 1000
export const OPEN311_MAX_DAYS = 90
/** A description is at most 4000 characters (GeoReport v2 POST). */
export const OPEN311_MAX_DESCRIPTION = 4000

export interface Open311Route {
  method: 'get' | 'post' | 'all'
  path: string
  permission: Permission | 'anyone'
  summary: string
}

const B = OPEN311_BASE
export const OPEN311_ROUTES = {
  discovery: { method: 'get', path: `${B}/discovery.:format`, permission: 'opendata:read', summary: 'Service discovery: this endpoint, its formats and contact' },
  services: { method: 'get', path: `${B}/services.:format`, permission: 'opendata:read', summary: 'The services a request can be made for' },
  serviceDefinition: { method: 'get', path: `${B}/services/:serviceCode.:format`, permission: 'opendata:read', summary: 'One service’s definition: the attributes a request answers' },
  // Authenticated by the Open311 client's api_key in the body (403 without), never by a session.
  postRequest: { method: 'post', path: `${B}/requests.:format`, permission: 'anyone', summary: 'Create a service request (api_key required)' },
  requests: { method: 'get', path: `${B}/requests.:format`, permission: 'opendata:read', summary: 'Published requests: by ids, or by service, period (≤ 90 days) and status; newest 1000' },
  request: { method: 'get', path: `${B}/requests/:id.:format`, permission: 'opendata:read', summary: 'One published request' },
  token: { method: 'get', path: `${B}/tokens/:token.:format`, permission: 'opendata:read', summary: 'The request id of a token (a batch service’s request, once accepted)' },
  updates: { method: 'get', path: `${B}/servicerequestupdates.:format`, permission: 'opendata:read', summary: 'FixMyStreet extension: the public updates of requests in a period' },
  media: { method: 'get', path: `${B}/media/:id`, permission: 'opendata:read', summary: 'A public photo of a published request (JPEG or PNG, its metadata stripped): what media_url points to' },
  openapi: { method: 'get', path: `${B}/openapi.json`, permission: 'opendata:read', summary: 'The OpenAPI 3.1 definition of /open311/v2' },
  notFound: { method: 'all', path: `${B}/{*rest}`, permission: 'anyone', summary: 'Anything else under /open311/v2: 404 in Open311’s error format' },
} as const satisfies Record<string, Open311Route>
export type Open311RouteName = keyof typeof OPEN311_ROUTES

export const Open311ErrorSchema = z.object({ code: z.number().int(), description: z.string() })

export const Open311DiscoverySchema = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(z.object({ specification: z.literal(OPEN311_SPECIFICATION), url: z.string(), changeset: z.string(), type: z.enum(['production', 'test']), formats: z.array(z.string()) })),
})

export const Open311ServiceSchema = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
})

export const Open311AttributeSchema = z.object({
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(ATTRIBUTE_DATATYPES),
  required: z.boolean(),
  datatype_description: z.string().optional(),
  order: z.number().int().positive(),
  description: z.string(),
  values: z.array(z.object({ key: z.number().int(), name: z.string() })).optional(),
})

export const Open311ServiceDefinitionSchema = z.object({ service_code: z.string(), attributes: z.array(Open311AttributeSchema) })

/** A request as every GET shows it: fields that have no value are left out (never null). */
export const Open311RequestSchema = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().optional(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string().optional(),
  agency_responsible: z.string(),
  service_notice: z.string().optional(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().optional(),
  address: z.string().optional(),
  address_id: z.string().optional(),
  lat: z.number(),
  long: z.number(),
  media_url: z.string().optional(),
})
export type Open311Request = z.infer<typeof Open311RequestSchema>

export const Open311PostResponseSchema = z.object({ service_request_id: z.string().optional(), token: z.string().optional(), service_notice: z.string().optional(), account_id: z.string().optional() })

export const Open311UpdateSchema = z.object({ update_id: z.string(), service_request_id: z.string(), status: z.string(), updated_datetime: z.string(), description: z.string() })
