/**
 * A request's answers to its service's attributes (GeoReport v2 `attribute[code]`, a multivaluelist's
 * as `attribute[code][]`), checked against the definition: required ones given, numbers numbers, dates
 * ISO 8601, list keys among the values. Pure; each problem names the attribute.
 */
import type { CaseService } from '../../../contracts/schemas/case'

export interface AttributeProblem {
  code: string
  message: string
}

export function checkAttributes(service: CaseService, given: Record<string, unknown>): { values: Record<string, unknown>; problems: AttributeProblem[] } {
  const values: Record<string, unknown> = {}
  const problems: AttributeProblem[] = []
  const known = new Set(service.attributes.map((a) => a.code))
  for (const code of Object.keys(given)) if (!known.has(code)) problems.push({ code, message: `attribute[${code}]: ${service.code} has no such attribute (GET /open311/v2/services/${service.code}.json lists them)` })
  for (const a of service.attributes) {
    if (!a.variable) continue
    const raw = given[a.code]
    const empty = raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)
    if (empty) {
      if (a.required) problems.push({ code: a.code, message: `attribute[${a.code}]: required (${a.description.en})` })
      continue
    }
    const one = Array.isArray(raw) ? raw[0] : raw
    const text = typeof one === 'string' ? one : String(one)
    const keys = new Set(a.values.map((v) => v.key))
    switch (a.datatype) {
      case 'number': {
        const n = Number(text)
        if (!/^-?\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(n)) problems.push({ code: a.code, message: `attribute[${a.code}]: a number, e.g. 3.5 (got "${text.slice(0, 20)}")` })
        else values[a.code] = n
        break
      }
      case 'datetime':
        if (Number.isNaN(Date.parse(text)) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) problems.push({ code: a.code, message: `attribute[${a.code}]: an ISO 8601 date and time with its offset, e.g. 2026-11-27T09:30:00+01:00` })
        else values[a.code] = new Date(text).toISOString()
        break
      case 'string':
      case 'text': {
        const max = a.datatype === 'string' ? 200 : 4000
        if (a.datatype === 'string' && /[\r\n]/.test(text)) problems.push({ code: a.code, message: `attribute[${a.code}]: one line` })
        else if (text.length > max) problems.push({ code: a.code, message: `attribute[${a.code}]: at most ${max} characters` })
        else values[a.code] = text
        break
      }
      case 'singlevaluelist': {
        const k = Number(text)
        if (Array.isArray(raw) && raw.length > 1) problems.push({ code: a.code, message: `attribute[${a.code}]: one value` })
        else if (!keys.has(k)) problems.push({ code: a.code, message: `attribute[${a.code}]: one of ${[...keys].join(', ')}` })
        else values[a.code] = k
        break
      }
      case 'multivaluelist': {
        const list = (Array.isArray(raw) ? raw : [raw]).map((x) => Number(x))
        const bad = list.filter((k) => !keys.has(k))
        if (bad.length > 0) problems.push({ code: a.code, message: `attribute[${a.code}][]: each one of ${[...keys].join(', ')}` })
        else values[a.code] = [...new Set(list)]
        break
      }
    }
  }
  return { values, problems }
}
