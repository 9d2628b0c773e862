/**
 * Citizens' reports as open data (docs/opendata.md "Datasets"): the published cases of the last year
 * with their service, status, district, times and point — and nothing a person wrote or is: no
 * description, no address typed by the reporter, no office note, no assignee, no reporter data (those
 * live in another table, never read here). Cases an office keeps unpublished (batch requests not yet
 * accepted, hidden ones) are left out, as in the public Open311 GET.
 */
import { col, type DatasetDefinition } from './dataset-definition'

const YEAR_MS = 365 * 86_400_000
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export const casesDataset: DatasetDefinition = {
  id: 'segnalazioni-cittadini',
  title: { it: 'Segnalazioni dei cittadini', en: 'Citizens’ reports' },
  description: {
    it: 'Segnalazioni di problemi sul territorio (buche, illuminazione, rifiuti, …) pubblicate negli ultimi 12 mesi: servizio, stato, quartiere, date di apertura, di risoluzione attesa e di chiusura, posizione. Senza dati personali e senza testi liberi.',
    en: 'Reports of problems in public space (potholes, lighting, waste, …) published over the last 12 months: service, status, district, when opened, expected and closed, position. No personal data and no free text.',
  },
  keywords: ['segnalazioni', 'Open311', 'cittadini', 'manutenzione'],
  themes: ['GOVE', 'SOCI'],
  frequency: 'DAILY',
  licence: 'CC-BY-4.0',
  sources: ['Comune di Bologna – segnalazioni dei cittadini (Open311 GeoReport v2)'],
  geometry: 'Point',
  columns: [
    col('id', 'integer', 'Case number (service_request_id)', 'Numero della segnalazione (service_request_id)'),
    col('service_code', 'string', 'Service code (Open311)', 'Codice del servizio (Open311)'),
    col('service', 'string', 'Service name', 'Nome del servizio'),
    col('status', 'string', 'Status', 'Stato'),
    col('district', 'string', 'District (quartiere)', 'Quartiere'),
    col('requested_at', 'datetime', 'When it was reported (UTC)', 'Data della segnalazione (UTC)'),
    col('expected_at', 'datetime', 'When the service expects it resolved (UTC)', 'Risoluzione attesa (UTC)'),
    col('closed_at', 'datetime', 'When it was closed (UTC)', 'Data di chiusura (UTC)'),
    col('sla_breached', 'boolean', 'Whether it stayed open past the expected resolution', 'Se è rimasta aperta oltre la risoluzione attesa'),
  ],
  async read(q, ctx) {
    const r = await q.query<{ id: string; service_code: string; service: string | null; status: string; district: string | null; lon: number; lat: number; requested_ms: number; expected_ms: number | null; closed_ms: number | null; breached: boolean }>(
      `SELECT c.id, c.service_code, s.definition->'name'->>'it' AS service, c.status, c.district_name AS district,
         ST_X(c.location)::float8 AS lon, ST_Y(c.location)::float8 AS lat,
         round(extract(epoch FROM c.requested_at) * 1000)::float8 AS requested_ms,
         round(extract(epoch FROM c.expected_at) * 1000)::float8 AS expected_ms,
         round(extract(epoch FROM c.closed_at) * 1000)::float8 AS closed_ms,
         c.sla_breached_at IS NOT NULL AS breached
       FROM citizen_case c JOIN case_service s ON s.code = c.service_code
       WHERE c.published AND c.requested_at >= to_timestamp($1::float8 / 1000) AND c.requested_at < to_timestamp($2::float8 / 1000)
       ORDER BY c.id`,
      [ctx.nowMs - YEAR_MS, ctx.nowMs],
    )
    const rows = r.rows.map((c) => ({
      geometry: { type: 'Point' as const, coordinates: [Number(c.lon), Number(c.lat)] },
      properties: {
        id: Number(c.id), service_code: c.service_code, service: c.service, status: c.status, district: c.district,
        requested_at: iso(Number(c.requested_ms)), expected_at: iso(c.expected_ms === null ? null : Number(c.expected_ms)),
        closed_at: iso(c.closed_ms === null ? null : Number(c.closed_ms)), sla_breached: c.breached,
      },
    }))
    const times = r.rows.map((c) => Number(c.requested_ms))
    return { rows, temporal: times.length === 0 ? null : { startMs: Math.min(...times), endMs: ctx.nowMs } }
  },
}
