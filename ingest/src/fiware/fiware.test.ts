import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseFiware, toKeyValues, isNormalized } from './fiware'
import type { KnownDevice, Parsed } from '../parse-message'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const SPECS = path.resolve(HERE, '../../../../shared/specs/fiware-sdm')
const NOW = Date.UTC(2026, 10, 26, 8, 15, 0)
const devices = new Map<string, KnownDevice>([
  ['loop-450', { kind: 'traffic-loop', expectedIntervalS: 60 }],
  ['aq-de-amicis', { kind: 'air-quality', expectedIntervalS: 3600 }],
])
const inbound = (type: string, body: unknown) => ({ topic: `gemello/v1/fiware/${type}`, payload: Buffer.from(JSON.stringify(body)), clientId: null, receivedAtMs: NOW })
const parse = (type: string, body: unknown): Parsed => parseFiware(inbound(type, body), type, body, devices)
const reason = (p: Parsed) => (p.type === 'quarantine' ? `${p.row.reason}: ${p.row.detail}` : p.type)
const example = (model: string, file: string) => JSON.parse(readFileSync(path.join(SPECS, model, file), 'utf8')) as Record<string, unknown>

/** A Bologna loop reading as a city platform would send it (key-values). */
const bolognaFlow = {
  id: 'urn:ngsi-ld:TrafficFlowObserved:loop-450-20261126T0810',
  type: 'TrafficFlowObserved',
  refDevice: 'urn:ngsi-ld:Device:loop-450',
  dateObserved: '2026-11-26T08:10:00Z/2026-11-26T08:15:00Z',
  dateObservedFrom: '2026-11-26T08:10:00Z',
  dateObservedTo: '2026-11-26T08:15:00Z',
  intensity: 75,
  occupancy: 0.12,
  averageVehicleSpeed: 38.5,
  laneId: 1,
}

describe('FIWARE Smart Data Models', () => {
  it.skipIf(!existsSync(SPECS))('ships byte-identical copies of the official schemas', () => {
    const pairs: Array<[string, string]> = [
      ['TrafficFlowObserved.schema.json', 'TrafficFlowObserved/schema.json'],
      ['Device.schema.json', 'Device/schema.json'],
      ['DeviceMeasurement.schema.json', 'DeviceMeasurement/schema.json'],
      ['common-schema.json', '_shared/common-schema.json'],
      ['device-commons.schema.json', '_shared/dataModel.Device-device-schema.json'],
    ]
    for (const [ours, theirs] of pairs) expect(readFileSync(path.join(HERE, 'schemas', ours))).toEqual(readFileSync(path.join(SPECS, theirs)))
  })

  it('maps a key-values TrafficFlowObserved onto a traffic reading of the referenced loop', () => {
    const p = parse('TrafficFlowObserved', bolognaFlow)
    expect(p.type).toBe('reading')
    if (p.type !== 'reading') return
    expect(p.reading).toMatchObject({ deviceId: 'loop-450', stream: 'traffic', seq: null, observedAtMs: Date.UTC(2026, 10, 26, 8, 15), quality: 'good' })
    expect(p.reading.values).toEqual({ flowVehH: 900, occupancyPct: 12, speedKmh: 38.5, intervalS: 300, lane: 1 })
  })

  it('reads the same entity in normalized NGSI-LD form', () => {
    const normalized: Record<string, unknown> = { id: bolognaFlow.id, type: 'TrafficFlowObserved', '@context': ['https://example.org/ctx.jsonld'] }
    for (const [k, v] of Object.entries(bolognaFlow)) {
      if (k === 'id' || k === 'type') continue
      normalized[k] = k === 'refDevice' ? { type: 'Relationship', object: v } : k.startsWith('dateObserved') && k !== 'dateObserved' ? { type: 'Property', value: { '@type': 'DateTime', '@value': v } } : { type: 'Property', value: v }
    }
    expect(isNormalized(normalized)).toBe(true)
    const p = parse('TrafficFlowObserved', normalized)
    expect(p.type === 'reading' && p.reading.values).toEqual({ flowVehH: 900, occupancyPct: 12, speedKmh: 38.5, intervalS: 300, lane: 1 })
  })

  it.skipIf(!existsSync(SPECS))('validates the official examples and flattens the normalized ones to the key-values form', () => {
    for (const model of ['TrafficFlowObserved', 'Device', 'DeviceMeasurement']) {
      const kv = example(model, 'example.json')
      const flat = toKeyValues(example(model, 'example-normalized.jsonld'))
      expect(Object.keys(flat).sort()).toEqual(expect.arrayContaining(Object.keys(kv).filter((k) => k in flat).sort()))
      // The official examples are outside Bologna and their devices are not ours: they pass the
      // schema and then stop at Gemello's own rules, never at "schema violation".
      expect(reason(parse(model, kv))).not.toMatch(/fiware_schema_violation: \w+ \/?\w* must/)
    }
  })

  it('maps a DeviceMeasurement of NO2 onto the station stream, with the CEFACT unit', () => {
    const p = parse('DeviceMeasurement', { id: 'urn:ngsi-ld:DeviceMeasurement:m-1', type: 'DeviceMeasurement', refDevice: 'urn:ngsi-ld:Device:aq-de-amicis', controlledProperty: 'NO2', numValue: 41, unit: 'GQ', dateObserved: '2026-11-26T08:00:00Z' })
    expect(p.type === 'reading' && p.reading).toMatchObject({ deviceId: 'aq-de-amicis', stream: 'no2', values: { value: 41, unit: 'ug/m3', validity: 'valid' } })
  })

  it('registers a Device by what it controls', () => {
    const p = parse('Device', { id: 'urn:ngsi-ld:Device:loop-9100', type: 'Device', controlledProperty: ['trafficFlow'], location: { type: 'Point', coordinates: [11.35, 44.5] }, name: 'Via Irnerio loop' })
    expect(p.type === 'register' && p.registration).toMatchObject({ deviceId: 'loop-9100', kind: 'traffic-loop', position: [11.35, 44.5], name: 'Via Irnerio loop' })
  })

  it.each([
    ['fiware_unsupported_type', 'Streetlight', { id: 'x', type: 'Streetlight' }],
    ['fiware_schema_violation', 'TrafficFlowObserved', { ...bolognaFlow, occupancy: 1.7 }],
    ['fiware_schema_violation', 'TrafficFlowObserved', { ...bolognaFlow, type: 'Device' }],
    ['fiware_schema_violation', 'TrafficFlowObserved', { ...bolognaFlow, dateObserved: '2026-11-26T08:15:00Z', dateObservedFrom: undefined, dateObservedTo: undefined }],
    ['fiware_unsupported_type', 'DeviceMeasurement', { id: 'm', type: 'DeviceMeasurement', refDevice: 'aq-de-amicis', controlledProperty: 'humidity', numValue: 3, unit: 'P1', dateObserved: '2026-11-26T08:00:00Z' }],
    ['kind_mismatch', 'DeviceMeasurement', { id: 'm', type: 'DeviceMeasurement', refDevice: 'loop-450', controlledProperty: 'NO2', numValue: 3, unit: 'GQ', dateObserved: '2026-11-26T08:00:00Z' }],
    ['fiware_unsupported_type', 'Device', { id: 'd', type: 'Device', controlledProperty: ['fillingLevel'], location: { type: 'Point', coordinates: [11.3, 44.5] } }],
  ])('quarantines %s (%s)', (expected, type, body) => {
    expect(reason(parse(type, JSON.parse(JSON.stringify(body))))).toMatch(new RegExp(`^${expected}:`))
  })
})
