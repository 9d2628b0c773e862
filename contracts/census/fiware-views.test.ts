import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { describe, expect, it } from 'vitest'
import { ASSET_TYPES, checkProperties, LIFECYCLE, type AssetType, type AttributeDef, type FiwareType, type PropertyValue } from '../schemas/census'
import { FIWARE_CLASS_FACTS, FIWARE_EXTENSIONS, FIWARE_MAPPING, toFiwareEntity, type FiwareSourceFeature, type FiwareViewOptions } from './fiware-views'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const SPECS = path.resolve(ROOT, process.env.GEMELLO_SHARED_DIR ?? '../shared', 'specs/fiware-sdm')
const HAVE_SPECS = existsSync(SPECS)
const readJson = (...p: string[]) => JSON.parse(readFileSync(path.join(SPECS, ...p), 'utf8')) as Record<string, unknown>

const FIWARE_TYPES = ASSET_TYPES.filter((t): t is AssetType & { fiware: FiwareType } => t.fiware !== null)
const BOLOGNA: [number, number] = [11.3426, 44.4949]
const T = Date.UTC(2026, 2, 14, 9, 30, 0)

/** Realistic values for Bologna, by attribute name; codes and numbers are taken from the model. */
const SAMPLE: Record<string, PropertyValue> = {
  name: 'Via dell’Indipendenza 12',
  externalId: 'BO-000123',
  installedOn: '2019-05-14',
  owner: 'Comune di Bologna',
  notes: 'Armadio con serratura sostituita nel 2024; chiave al magazzino di via Stalingrado.',
  powerW: 39,
  colorTemperatureK: 3000,
  dimmable: true,
  poleId: 17,
  cabinetId: 4,
  circuit: 'C-3',
  circuits: 6,
  contractedPowerKw: 15,
  supplyPointCode: 'IT001E12345678',
  deviceId: 'loop-450',
  intersectionCode: '212',
  manufacturer: 'Swarco',
  model: 'ITC-3',
  ipAddress: '10.20.30.40',
  streetName: 'Via dell’Indipendenza',
  direction: 'in ingresso, verso Piazza Maggiore',
  zone: 'ZTL Centro storico',
  arcCode: '13500',
  laneId: 'e_13500_0',
}
const sample = (a: AttributeDef): PropertyValue => {
  if (a.name in SAMPLE) return SAMPLE[a.name] ?? null
  if (a.kind === 'code') return a.codes?.[0]?.code ?? null
  throw new Error(`no sample value for ${a.name}`)
}

const feature = (type: AssetType, properties: Record<string, PropertyValue>, id = 42): FiwareSourceFeature => ({
  id,
  collection: type.id,
  version: 3,
  properties,
  geometry: { type: 'Point', coordinates: BOLOGNA },
  updatedAtMs: T,
})
/** Every attribute filled; `vary` = one code attribute (not the lifecycle) taking each of its values. */
function realistic(type: AssetType): Array<Record<string, PropertyValue>> {
  const base: Record<string, PropertyValue> = {}
  for (const a of type.attributes) base[a.name] = a.name === 'status' ? 'functional' : sample(a)
  const vary = type.attributes.filter((a) => a.kind === 'code' && a.name !== 'status')
  return vary.length === 0 ? [base] : vary.flatMap((a) => (a.codes ?? []).map((c) => ({ ...base, [a.name]: c.code })))
}
function minimal(type: AssetType): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {}
  for (const a of type.attributes) if (a.required) out[a.name] = a.name === 'status' ? 'functional' : sample(a)
  return out
}

let validators: Record<FiwareType, ValidateFunction> | null = null
function validator(type: FiwareType): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    ;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
    for (const file of ['common-schema.json', 'dataModel.Device-device-schema.json']) {
      const schema = readJson('_shared', file)
      ajv.addSchema(schema, String(schema.$id))
    }
    validators = {} as Record<FiwareType, ValidateFunction>
    for (const t of ['Streetlight', 'StreetlightControlCabinet', 'Device', 'Camera'] as const) validators[t] = ajv.compile(readJson(t, 'schema.json'))
  }
  return validators[type]
}
const errorsOf = (type: FiwareType, entity: unknown): string[] => {
  const v = validator(type)
  return v(entity) ? [] : (v.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
}
const OPTS: FiwareViewOptions = { cabinetWorkingMode: 'automatic' }
const entity = (f: FiwareSourceFeature, opts: FiwareViewOptions = OPTS) => {
  const e = toFiwareEntity(f, opts)
  if (!e) throw new Error(`${f.collection} has no FIWARE view`)
  return e
}

/** Every property a schema defines (its own and the commons it $refs), for the no-stray-attribute check. */
function schemaProperties(type: FiwareType): Set<string> {
  const common = readJson('_shared', 'common-schema.json').definitions as Record<string, { properties?: Record<string, unknown> }>
  const device = readJson('_shared', 'dataModel.Device-device-schema.json').definitions as Record<string, { properties?: Record<string, unknown> }>
  const out = new Set<string>()
  for (const part of readJson(type, 'schema.json').allOf as Array<{ $ref?: string; properties?: Record<string, unknown> }>) {
    const defs = part.$ref?.includes('device-schema') ? device : common
    const props = part.$ref ? defs[part.$ref.split('/').pop() ?? '']?.properties : part.properties
    for (const k of Object.keys(props ?? {})) out.add(k)
  }
  return out
}

describe('census FIWARE views', () => {
  it('fixtures are valid census features', () => {
    for (const t of FIWARE_TYPES) for (const p of [...realistic(t), minimal(t)]) expect(checkProperties(t, p, { partial: false })).toMatchObject({ ok: true })
  })

  it('maps every attribute of every FIWARE-typed collection, or says why not', () => {
    for (const t of FIWARE_TYPES) {
      const mapping = FIWARE_MAPPING[t.id] ?? {}
      expect(Object.keys(mapping).sort(), t.id).toEqual(t.attributes.map((a) => a.name).sort())
      for (const [attr, m] of Object.entries(mapping)) {
        expect(m.why.length, `${t.id}.${attr}`).toBeGreaterThan(10)
        expect(m.emit === undefined, `${t.id}.${attr}: emit iff mapped`).toBe(m.to.length === 0)
      }
    }
  })

  it('gives null for the collections with no FIWARE type', () => {
    const none = ASSET_TYPES.filter((t) => t.fiware === null)
    expect(none.map((t) => t.id).sort()).toEqual(['ducts', 'poles', 'road-signs', 'service-areas'])
    for (const t of none) {
      const props: Record<string, PropertyValue> = {}
      for (const a of t.attributes) if (a.required) props[a.name] = a.name === 'status' ? 'functional' : sample(a)
      expect(toFiwareEntity({ ...feature(t, props), geometry: { type: t.geometryType, coordinates: BOLOGNA } }, { full: true })).toBeNull()
    }
  })

  it('builds stable ids from the collection and the census id alone', () => {
    const lights = FIWARE_TYPES.find((t) => t.id === 'street-lights')!
    const a = entity(feature(lights, minimal(lights), 7))
    const b = entity({ ...feature(lights, realistic(lights)[0]!, 7), version: 12, updatedAtMs: T + 86_400_000 }, { full: true })
    expect(a.id).toBe('urn:ngsi-ld:Streetlight:gemello-census-street-lights-7')
    expect(b.id).toBe(a.id)
    expect(entity(feature(lights, minimal(lights), 8)).id).not.toBe(a.id)
    expect(entity(feature(lights, minimal(lights), 7), { urnPrefix: 'urn:ngsi-ld:bologna:' }).id).toBe('urn:ngsi-ld:bologna:Streetlight:gemello-census-street-lights-7')
    const ids = FIWARE_TYPES.map((t) => entity(feature(t, minimal(t), 7)).id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('fills the common attributes: type, location, address, dateModified, source, dataProvider', () => {
    const cams = FIWARE_TYPES.find((t) => t.id === 'ztl-cameras')!
    const e = entity(feature(cams, realistic(cams)[0]!))
    expect(e).toMatchObject({
      type: 'Camera',
      location: { type: 'Point', coordinates: BOLOGNA },
      address: { addressLocality: 'Bologna', streetAddress: 'Via dell’Indipendenza' },
      name: 'Via dell’Indipendenza 12',
      alternateName: 'BO-000123',
      dateModified: '2026-03-14T09:30:00.000Z',
      source: 'Gemello census',
      dataProvider: 'Gemello',
      conditionOfFacility: 'functional',
      seeAlso: ['urn:ngsi-ld:Device:loop-450'],
    })
    expect(entity(feature(cams, minimal(cams), 9), { city: 'Casalecchio di Reno', baseUrl: 'https://twin.example.org/api/' })).toMatchObject({
      address: { addressLocality: 'Casalecchio di Reno' },
      source: 'https://twin.example.org/api/collections/ztl-cameras/items/9',
    })
  })

  it('leaves non-public attributes out unless full, and only carries mapped or documented properties', () => {
    for (const t of FIWARE_TYPES) {
      const p = realistic(t)[0]!
      const pub = entity(feature(t, p))
      const full = entity(feature(t, p), { ...OPTS, full: true })
      for (const a of t.attributes.filter((x) => x.public === false)) {
        const targets = (FIWARE_MAPPING[t.id]?.[a.name]?.to ?? []).map((x) => x.split('.')[0]!)
        for (const k of targets) {
          expect(pub, `${t.id}.${a.name} → ${k} without full`).not.toHaveProperty(k)
          expect(full, `${t.id}.${a.name} → ${k} with full`).toHaveProperty(k)
        }
        expect(JSON.stringify(pub)).not.toContain(String(p[a.name]))
        if (targets.length === 0) expect(JSON.stringify(full)).not.toContain(String(p[a.name]))
      }
      // Every mapped attribute shows up, and nothing but schema properties and documented extensions.
      // (over every code variant: LoRaWAN alone gives supportedProtocol)
      const fulls = realistic(t).map((v) => entity(feature(t, v), { ...OPTS, full: true }))
      const has = (e: Record<string, unknown>, k: string) => k.split('.').reduce<unknown>((o, part) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[part] : undefined), e) !== undefined
      for (const [attr, m] of Object.entries(FIWARE_MAPPING[t.id] ?? {})) for (const k of m.to) expect(fulls.some((e) => has(e, k)), `${t.id}.${attr} → ${k}`).toBe(true)
      const allowed = HAVE_SPECS ? schemaProperties(t.fiware) : null
      for (const k of Object.keys(full)) if (allowed && !allowed.has(k)) expect(FIWARE_EXTENSIONS, `${t.id}: ${k} is neither in ${t.fiware}'s schema nor a documented extension`).toHaveProperty(k)
    }
  })

  it('leaves an IP address that is not an IP literal out', () => {
    const sig = FIWARE_TYPES.find((t) => t.id === 'traffic-signals')!
    const ok = (ip: string) => entity(feature(sig, { ...minimal(sig), ipAddress: ip }), { full: true }).ipAddress
    expect(ok('10.20.30.40')).toEqual(['10.20.30.40'])
    expect(ok('2001:db8::7')).toEqual(['2001:db8::7'])
    expect(ok('::ffff:192.0.2.1')).toEqual(['::ffff:192.0.2.1'])
    expect(ok('10.20.30.40/24')).toBeUndefined()
    expect(ok('ctrl-212.comune.bologna.it')).toBeUndefined()
    expect(ok('1:2:3:4:5:6:7:8:9')).toBeUndefined()
  })

  it('chooses SDM enum values for the class of each asset', () => {
    const of = (id: string, props: Record<string, PropertyValue> = {}) => {
      const t = FIWARE_TYPES.find((x) => x.id === id)!
      return entity(feature(t, { ...realistic(t)[0]!, ...props }))
    }
    expect(of('traffic-loops')).toMatchObject({ deviceCategory: ['sensor'], controlledProperty: ['trafficFlow', 'occupancy'], deviceState: 'functional', dateInstalled: '2019-05-14T00:00:00Z' })
    expect(of('traffic-loops')).not.toHaveProperty('category')
    expect(of('bike-counters')).toMatchObject({ deviceCategory: ['sensor'], controlledProperty: ['trafficFlow'] })
    expect(of('air-quality-stations')).toMatchObject({ deviceCategory: ['sensor'], controlledProperty: ['airPollution'] })
    expect(of('traffic-signals')).toMatchObject({ deviceCategory: ['actuator'], controlledProperty: ['trafficFlow'], manufacturerName: 'Swarco', modelName: 'ITC-3' })
    expect(of('access-points', { technology: 'lorawan' })).toMatchObject({ deviceCategory: ['network'], controlledProperty: [], supportedProtocol: ['lora'], configuration: [{ parameter: 'technology', value: 'lorawan' }] })
    expect(of('access-points', { technology: 'wifi' })).not.toHaveProperty('supportedProtocol')
    expect(of('ztl-cameras')).toMatchObject({ cameraType: 'FIXED', cameraUsage: 'ANPR/LPR', areaServed: 'ZTL Centro storico', cameraOrientation: { comments: 'in ingresso, verso Piazza Maggiore' }, streetPoleNum: 'gemello-census-poles-17' })
    expect(of('street-lights', { lampType: 'HPS' })).toMatchObject({
      status: 'ok',
      lampTechnology: 'HPS',
      powerRating: 39,
      colorTemperature: 3000,
      circuit: 'C-3',
      streetPoleNum: 'gemello-census-poles-17',
      refStreetlightControlCabinet: 'urn:ngsi-ld:StreetlightControlCabinet:gemello-census-lighting-cabinets-4',
      refStreetlightGroup: 'urn:ngsi-ld:StreetlightGroup:gemello-census-lighting-cabinets-4',
      dateServiceStarted: '2019-05-14T00:00:00Z',
    })
    // The cabinet lists the same derived group its lights refer to.
    const cab = FIWARE_TYPES.find((x) => x.id === 'lighting-cabinets')!
    expect(entity(feature(cab, realistic(cab)[0]!, 4))).toMatchObject({ refStreetlightGroup: ['urn:ngsi-ld:StreetlightGroup:gemello-census-lighting-cabinets-4'], maximumPowerAvailable: 15, workingMode: 'automatic' })
    expect(entity(feature(cab, { ...realistic(cab)[0]!, workingMode: null }, 4), {})).not.toHaveProperty('workingMode')
    expect(Object.keys(FIWARE_CLASS_FACTS).sort()).toEqual(FIWARE_TYPES.filter((t) => t.fiware === 'Device' || t.fiware === 'Camera').map((t) => t.id).sort())
  })

  it('gives the Camera view no attribute able to hold an image, a stream or a plate', () => {
    const cams = FIWARE_TYPES.find((t) => t.id === 'ztl-cameras')!
    const e = entity(feature(cams, realistic(cams)[0]!), { full: true, baseUrl: 'https://twin.example.org/api' })
    const media = ['image', 'imageSnapshot', 'mediaURL', 'streamURL', 'streamName', 'video', 'cameraName', 'cameraNum', 'on', 'startDateTime', 'endDateTime']
    for (const k of media) expect(e).not.toHaveProperty(k)
    for (const k of Object.keys(e)) expect(k).not.toMatch(/plate|licen[cs]e|image|snapshot|media|stream|video|photo|picture/i)
    expect(Object.keys(e).sort()).toEqual(
      ['id', 'type', 'location', 'address', 'name', 'alternateName', 'description', 'conditionOfFacility', 'dateInstalled', 'seeAlso', 'cameraOrientation', 'areaServed', 'streetPoleNum', 'ipAddress', 'cameraType', 'cameraUsage', 'dateModified', 'source', 'dataProvider'].sort(),
    )
    if (HAVE_SPECS) {
      const camera = readJson('Camera', 'schema.json')
      expect(JSON.stringify(camera)).toContain('imageSnapshot') // the schema has such slots; the view uses none
    }
  })

  describe.skipIf(!HAVE_SPECS)('against the official Smart Data Models schemas', () => {
    it.each(FIWARE_TYPES.map((t) => [t.id, t] as const))('%s: realistic and minimal features validate with zero errors', (_id, t) => {
      const cases = [...realistic(t).map((p) => ({ p, full: true })), ...realistic(t).map((p) => ({ p, full: false })), { p: minimal(t), full: false }, { p: minimal(t), full: true }]
      for (const { p, full } of cases) {
        const e = entity(feature(t, p), { ...OPTS, full, baseUrl: 'https://twin.example.org/api' })
        expect(errorsOf(t.fiware, e), `${t.id} ${JSON.stringify(p)}`).toEqual([])
        // The same entity survives a JSON round trip (what a broker or a file receives).
        expect(errorsOf(t.fiware, JSON.parse(JSON.stringify(e)))).toEqual([])
      }
    })

    it('validates on other geometries too (Location-Commons)', () => {
      const t = FIWARE_TYPES.find((x) => x.id === 'traffic-loops')!
      const e = entity({ ...feature(t, minimal(t)), geometry: { type: 'LineString', coordinates: [BOLOGNA, [11.3431, 44.4952]] } })
      expect(errorsOf('Device', e)).toEqual([])
    })

    it('Streetlight: an in-service light is published with status ok; the others (no SDM status fits) are not published', () => {
      const t = FIWARE_TYPES.find((x) => x.id === 'street-lights')!
      for (const { code } of LIFECYCLE) {
        const e = toFiwareEntity(feature(t, { ...realistic(t)[0]!, status: code }), OPTS)
        if (code === 'functional') {
          expect(e).toMatchObject({ status: 'ok', conditionOfFacility: 'functional' })
          expect(errorsOf('Streetlight', e!)).toEqual([])
        } else expect(e).toBeNull()
      }
    })

    it('StreetlightControlCabinet: the census’s working mode is published; without it (and no default), exactly workingMode is missing', () => {
      const t = FIWARE_TYPES.find((x) => x.id === 'lighting-cabinets')!
      expect(toFiwareEntity(feature(t, { ...minimal(t), workingMode: 'manual' }), OPTS)).toMatchObject({ workingMode: 'manual' })
      expect(errorsOf('StreetlightControlCabinet', entity(feature(t, minimal(t)), {}))).toEqual(['/ must have required property \'workingMode\' {"missingProperty":"workingMode"}'])
    })

    it('the other lifecycle codes validate for Device and Camera views', () => {
      for (const t of FIWARE_TYPES.filter((x) => x.fiware === 'Device' || x.fiware === 'Camera')) {
        for (const { code } of LIFECYCLE) expect(errorsOf(t.fiware, entity(feature(t, { ...minimal(t), status: code }))), `${t.id} ${code}`).toEqual([])
      }
    })
  })
})
