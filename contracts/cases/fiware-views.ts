/**
 * Open311 documents as FIWARE Smart Data Models entities (dataModel.IssueTracking `service_requests`
 * and `services`, key-values): what the contract tests validate Gemello's GeoReport answers against
 * (../shared/specs/open311-fiware), and what an NGSI-LD broker would be fed. The mapping: an id and a
 * type; lat/long → location (GeoJSON Point); the GET's `address` → `address_string` (the common model's
 * `address` is a postal-address object); a service's `type` and `metadata` → `open311:type`,
 * `open311:metadata`. Personal fields are never mapped.
 */
import type { Open311Request } from '../open311-api'

export function serviceRequestEntity(r: Open311Request, jurisdictionId: string): Record<string, unknown> {
  const { lat, long, address, ...rest } = r
  return {
    id: `urn:ngsi-ld:service_requests:${jurisdictionId}:${r.service_request_id}`,
    type: 'service_requests',
    jurisdiction_id: jurisdictionId,
    ...rest,
    ...(address !== undefined ? { address_string: address } : {}),
    location: { type: 'Point', coordinates: [long, lat] },
  }
}

export function serviceEntity(s: { service_code: string; service_name: string; description: string; metadata: boolean; type: string; keywords: string; group: string }, jurisdictionId: string): Record<string, unknown> {
  const { metadata, type, ...rest } = s
  return { id: `urn:ngsi-ld:services:${jurisdictionId}:${s.service_code}`, type: 'services', jurisdiction_id: jurisdictionId, ...rest, 'open311:type': type, 'open311:metadata': metadata }
}
