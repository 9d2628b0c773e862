/**
 * The FIWARE Smart Data Models view of the infrastructure census (issue 8): each feature of a
 * collection with a FIWARE type (census.ts `fiware`) as an NGSI-LD key-values entity of that type —
 * Streetlight, StreetlightControlCabinet, Device or Camera — in the shape of the official schemas
 * (../shared/specs/fiware-sdm; Streetlight 0.2.1, StreetlightControlCabinet 0.1.0, Device 0.0.9,
 * Camera 0.1.2). Pure: the caller reads the feature (CRS84 lon/lat) and serves or pushes the entity.
 *
 * Rules of the mapping (the table is `FIWARE_MAPPING`, one entry per census attribute):
 *  - an attribute becomes the entity type's own SDM property when one means the same thing, with the
 *    schema's property name and enum values exactly;
 *  - when the type has none but a sibling Smart Data Model defines the same concept
 *    (StreetlightModel.lampTechnology, Device.dateInstalled, DeviceModel.manufacturerName, …), that
 *    name is used as an extension attribute (`FIWARE_EXTENSIONS`; the SDM schemas admit additional
 *    properties). The one extension outside SDM vocabulary is `conditionOfFacility`: the INSPIRE
 *    lifecycle code, on every entity, because the SDM models have no lifecycle;
 *  - anything else is left out, with the reason in the table;
 *  - non-public attributes (census.ts `public: false`) appear only with `full: true`, as on the
 *    census API.
 *
 * Required SDM properties the census cannot always provide (the entity is then not valid against
 * its schema's `required`, and the caller decides whether to publish it):
 *  - Streetlight.status: the census knows the lifecycle, not faults. `functional` (in service) is
 *    `ok`; for a light planned, under construction, out of service or decommissioned none of
 *    brokenLantern / columnIssue / defectiveLamp / ok is true, so `status` is left out and
 *    `conditionOfFacility` says which.
 *  - StreetlightControlCabinet.workingMode: not in the census; published only when the operator
 *    states it for the city's cabinets (`cabinetWorkingMode`).
 *  - StreetlightControlCabinet.refStreetlightGroup (a list of StreetlightGroup ids): the lights a
 *    cabinet feeds are its group — `StreetlightGroup:gemello-census-lighting-cabinets-<id>`, also
 *    the `refStreetlightGroup` of every light on that cabinet. Gemello publishes no
 *    StreetlightGroup entities (yet): the id is derived and stable, not resolvable.
 *
 * Ids: `<urnPrefix><Type>:gemello-census-<collection>-<id>`, stable because census ids are never
 * changed or reused; references to other census features use the same form. The live twin's device
 * behind a census feature (`deviceId`) is named in `seeAlso` as `<urnPrefix>Device:<deviceId>`, the
 * id Gemello's FIWARE readings (TrafficFlowObserved, DeviceMeasurement) put in `refDevice`.
 *
 * The Camera view (ZTL gates) carries no attribute able to hold an image, a stream or a plate:
 * none of imageSnapshot, mediaURL, streamURL, streamName, image or video is ever set.
 */
import { assetType, visibleAttributes, type CensusFeatureRecord, type CollectionId, type FiwareType, type PropertyValue } from '../schemas/census'

/** A census feature with its geometry in CRS84 (lon, lat). */
export type FiwareSourceFeature = CensusFeatureRecord

/** StreetlightControlCabinet.workingMode (enum of the schema). */
export const CABINET_WORKING_MODES = ['automatic', 'manual', 'semiautomatic'] as const
export type CabinetWorkingMode = (typeof CABINET_WORKING_MODES)[number]

export interface FiwareViewOptions {
  /** Prefix of every entity id; default `urn:ngsi-ld:`. */
  urnPrefix?: string
  /** address.addressLocality; default Bologna. */
  city?: string
  /** Include the non-public attributes (census:read readers only). Default false. */
  full?: boolean
  /** Base URL of Gemello's API: `source` becomes the feature's OGC API Features item URL. */
  baseUrl?: string
  /** The working mode of the city's lighting cabinets, when the operator states it (not in the census). */
  cabinetWorkingMode?: CabinetWorkingMode
}

export const DEFAULT_URN_PREFIX = 'urn:ngsi-ld:'
export const DEFAULT_CITY = 'Bologna'
/** `source` when no base URL is given (the schema allows any string; a URL is only recommended). */
export const DEFAULT_SOURCE = 'Gemello census'
export const DATA_PROVIDER = 'Gemello'

/** The entity id of a census feature, or null when its collection has no FIWARE type. */
export function fiwareEntityId(collection: CollectionId, id: number, urnPrefix: string = DEFAULT_URN_PREFIX): string | null {
  const type = assetType(collection)?.fiware
  return type ? `${urnPrefix}${type}:${censusKey(collection, id)}` : null
}

/** The (derived, unpublished) StreetlightGroup of the lights fed by a cabinet. */
export function cabinetGroupId(cabinetId: number, urnPrefix: string = DEFAULT_URN_PREFIX): string {
  return `${urnPrefix}StreetlightGroup:${censusKey('lighting-cabinets', cabinetId)}`
}

const censusKey = (collection: CollectionId, id: number) => `gemello-census-${collection}-${id}`

export interface FiwareMappingContext {
  urnPrefix: string
}
type Ctx = FiwareMappingContext
type Value = Exclude<PropertyValue, null>
type Fragment = Record<string, unknown>

export interface AttributeMapping {
  /** The SDM properties the attribute becomes (`address.streetAddress` for a sub-property); [] = left out. */
  to: readonly string[]
  /** Why this property, these values — or why the attribute is left out. */
  why: string
  emit?: (v: Value, ctx: Ctx) => Fragment
}

/** The extension attributes (not in the entity type's schema) and where their name comes from. */
export const FIWARE_EXTENSIONS: Record<string, string> = {
  conditionOfFacility: 'INSPIRE ConditionOfFacilityValue code (projected, underConstruction, functional, disused, decommissioned): the lifecycle, which no SDM model has',
  lampTechnology: 'StreetlightModel.lampTechnology (LED, LPS, HPS "or any other value meaningful to the application")',
  colorTemperature: 'StreetlightModel.colorTemperature (K)',
  streetPoleNum: 'Streetlight.streetPoleNum, for the other assets mounted on a pole',
  dateInstalled: 'Device.dateInstalled, for Camera',
  ipAddress: 'Device.ipAddress (list of IPv4/IPv6 addresses), for Camera',
  manufacturerName: 'DeviceModel / StreetlightControlCabinet manufacturerName, for Device',
  modelName: 'DeviceModel / StreetlightControlCabinet modelName, for Device',
}

const dateTime = (v: Value) => `${String(v)}T00:00:00Z`
const twinDevice = (v: Value, ctx: Ctx) => `${ctx.urnPrefix}Device:${encodeURIComponent(String(v))}`
const poleKey = (v: Value) => censusKey('poles', Number(v))
const set =
  (prop: string, convert: (v: Value, ctx: Ctx) => unknown = (v) => v) =>
  (v: Value, ctx: Ctx): Fragment => ({ [prop]: convert(v, ctx) })
const leftOut = (why: string): AttributeMapping => ({ to: [], why })

const COMMON: Record<string, AttributeMapping> = {
  name: { to: ['name'], why: 'GSMA-Commons name', emit: set('name') },
  externalId: { to: ['alternateName'], why: 'the identifier the source registry knows the asset by: GSMA-Commons alternateName (an alias)', emit: set('alternateName') },
  owner: leftOut('SDM owner is a list of entity ids/URIs; the census owner is free text (e.g. "Comune di Bologna")'),
  notes: { to: ['description'], why: 'GSMA-Commons description; non-public, so only with full', emit: set('description') },
}

const lifecycle = (extra: (code: string) => Fragment = () => ({})): AttributeMapping => ({
  to: ['conditionOfFacility'],
  why: 'INSPIRE lifecycle code as the conditionOfFacility extension',
  emit: (v) => ({ conditionOfFacility: v, ...extra(String(v)) }),
})

const isIpv4 = (s: string) => /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s)
function isIpv6(s: string): boolean {
  let text = s
  let groups = 8
  const last = text.lastIndexOf(':')
  if (text.includes('.')) {
    if (!isIpv4(text.slice(last + 1))) return false
    text = `${text.slice(0, last + 1)}0`
    groups = 7
  }
  const halves = text.split('::')
  if (halves.length > 2) return false
  const parts = (h: string) => (h === '' ? [] : h.split(':'))
  const hex = (p: string) => /^[0-9A-Fa-f]{1,4}$/.test(p)
  if (halves.length === 1) return parts(text).length === groups && parts(text).every(hex)
  const [a, b] = [parts(halves[0] ?? ''), parts(halves[1] ?? '')]
  return a.length + b.length < groups && [...a, ...b].every(hex)
}
/** Device.ipAddress items must be ipv4 or ipv6; a value that is neither (a host name, a CIDR) is left out. */
const ipList = (v: Value): Fragment => {
  const s = String(v).trim()
  return isIpv4(s) || isIpv6(s) ? { ipAddress: [s] } : {}
}
const ipAddress: AttributeMapping = { to: ['ipAddress'], why: 'Device.ipAddress, a one-item list; left out unless a valid IPv4/IPv6 literal; non-public, so only with full', emit: ipList }
const seeAlsoDevice: AttributeMapping = {
  to: ['seeAlso'],
  why: 'the live twin device, as the NGSI-LD id Gemello\'s FIWARE readings reference in refDevice (<urnPrefix>Device:<deviceId>): GSMA-Commons seeAlso',
  emit: (v, ctx) => ({ seeAlso: [twinDevice(v, ctx)] }),
}
const onPole = (own: boolean): AttributeMapping => ({
  to: ['streetPoleNum'],
  why: `${own ? 'Streetlight.streetPoleNum' : 'streetPoleNum extension (Streetlight vocabulary)'}: the pole's census key gemello-census-poles-<id> (poles have no FIWARE type)`,
  emit: (v) => ({ streetPoleNum: poleKey(v) }),
})
const streetAddress: AttributeMapping = { to: ['address.streetAddress'], why: 'Location-Commons address.streetAddress', emit: (v) => ({ address: { streetAddress: v } }) }

/** Per collection with a FIWARE type: census attribute → SDM properties. */
export const FIWARE_MAPPING: Partial<Record<CollectionId, Record<string, AttributeMapping>>> = {
  'street-lights': {
    ...COMMON,
    status: lifecycle((code) => (code === 'functional' ? { status: 'ok' } : {})),
    installedOn: { to: ['dateServiceStarted'], why: 'Streetlight.dateServiceStarted (date-time: the day at 00:00Z)', emit: set('dateServiceStarted', dateTime) },
    lampType: {
      to: ['lampTechnology'],
      why: 'lampTechnology extension (StreetlightModel vocabulary; Streetlight has no lamp property): LED → LED, HPS → HPS; MH, HPM, FL kept as codes (the model allows "any other value meaningful to the application")',
      emit: set('lampTechnology'),
    },
    powerW: { to: ['powerRating'], why: 'Streetlight.powerRating, the nominal power of the lamp (W)', emit: set('powerRating') },
    colorTemperatureK: { to: ['colorTemperature'], why: 'colorTemperature extension (StreetlightModel vocabulary, K)', emit: set('colorTemperature') },
    dimmable: leftOut('no SDM property (controllingMethod and illuminanceLevel describe control and setting, not capability)'),
    poleId: onPole(true),
    cabinetId: {
      to: ['refStreetlightControlCabinet', 'refStreetlightGroup'],
      why: 'Streetlight.refStreetlightControlCabinet (the cabinet entity) and refStreetlightGroup (the cabinet\'s derived group, as the cabinet lists it)',
      emit: (v, ctx) => ({ refStreetlightControlCabinet: fiwareEntityId('lighting-cabinets', Number(v), ctx.urnPrefix), refStreetlightGroup: cabinetGroupId(Number(v), ctx.urnPrefix) }),
    },
    circuit: { to: ['circuit'], why: 'Streetlight.circuit', emit: set('circuit') },
  },
  'lighting-cabinets': {
    ...COMMON,
    status: lifecycle(),
    installedOn: { to: ['dateServiceStarted'], why: 'StreetlightControlCabinet.dateServiceStarted (date-time: the day at 00:00Z)', emit: set('dateServiceStarted', dateTime) },
    circuits: leftOut('no SDM property for the number of circuits'),
    contractedPowerKw: { to: ['maximumPowerAvailable'], why: 'StreetlightControlCabinet.maximumPowerAvailable: "the maximum power available (by contract)", kW', emit: set('maximumPowerAvailable') },
    supplyPointCode: leftOut('the POD code has no SDM counterpart (non-public anyway)'),
    workingMode: { to: ['workingMode'], why: 'StreetlightControlCabinet.workingMode: the same three codes', emit: set('workingMode') },
  },
  'traffic-signals': {
    ...COMMON,
    status: lifecycle((code) => ({ deviceState: code })),
    installedOn: { to: ['dateInstalled'], why: 'Device.dateInstalled (date-time: the day at 00:00Z)', emit: set('dateInstalled', dateTime) },
    deviceId: seeAlsoDevice,
    intersectionCode: leftOut('no SDM property for the city\'s intersection code'),
    manufacturer: { to: ['manufacturerName'], why: 'manufacturerName extension (DeviceModel vocabulary; Device links a DeviceModel entity Gemello does not have)', emit: set('manufacturerName') },
    model: { to: ['modelName'], why: 'modelName extension (DeviceModel vocabulary)', emit: set('modelName') },
    ipAddress,
  },
  'ztl-cameras': {
    ...COMMON,
    status: lifecycle(),
    installedOn: { to: ['dateInstalled'], why: 'dateInstalled extension (Device vocabulary; Camera has no installation date)', emit: set('dateInstalled', dateTime) },
    deviceId: seeAlsoDevice,
    streetName: streetAddress,
    direction: { to: ['cameraOrientation.comments'], why: 'Camera.cameraOrientation.comments ("Camera facing …"): the free-text direction the gate watches', emit: (v) => ({ cameraOrientation: { comments: v } }) },
    zone: { to: ['areaServed'], why: 'GSMA areaServed: the limited-traffic zone the gate guards', emit: set('areaServed') },
    poleId: onPole(false),
    ipAddress: { ...ipAddress, why: 'ipAddress extension (Device vocabulary), a one-item list; left out unless a valid IPv4/IPv6 literal; non-public, so only with full' },
  },
  'access-points': {
    ...COMMON,
    status: lifecycle((code) => ({ deviceState: code })),
    installedOn: { to: ['dateInstalled'], why: 'Device.dateInstalled (date-time: the day at 00:00Z)', emit: set('dateInstalled', dateTime) },
    deviceId: seeAlsoDevice,
    technology: {
      to: ['configuration', 'supportedProtocol'],
      why: 'Device.configuration [{ parameter: "technology", value: <code> }]; LoRaWAN gateways also supportedProtocol ["lora"] (the enum has nothing for Wi-Fi or 5G)',
      emit: (v) => ({ configuration: [{ parameter: 'technology', value: String(v) }], ...(v === 'lorawan' ? { supportedProtocol: ['lora'] } : {}) }),
    },
    poleId: onPole(false),
    ipAddress,
  },
  'traffic-loops': {
    ...COMMON,
    status: lifecycle((code) => ({ deviceState: code })),
    installedOn: { to: ['dateInstalled'], why: 'Device.dateInstalled (date-time: the day at 00:00Z)', emit: set('dateInstalled', dateTime) },
    deviceId: seeAlsoDevice,
    streetName: streetAddress,
    direction: leftOut('Device.direction is an enum (Inlet, Outlet, Entry, Exit) the free-text traffic direction does not map onto'),
    arcCode: leftOut('the street-graph arc code has no SDM counterpart (Gemello publishes no RoadSegment entities to refer to)'),
    laneId: leftOut('a lane of Gemello\'s SUMO network: internal to the simulation'),
  },
  'bike-counters': {
    ...COMMON,
    status: lifecycle((code) => ({ deviceState: code })),
    installedOn: { to: ['dateInstalled'], why: 'Device.dateInstalled (date-time: the day at 00:00Z)', emit: set('dateInstalled', dateTime) },
    deviceId: seeAlsoDevice,
    streetName: streetAddress,
  },
  'air-quality-stations': {
    ...COMMON,
    status: lifecycle((code) => ({ deviceState: code })),
    installedOn: { to: ['dateInstalled'], why: 'Device.dateInstalled (date-time: the day at 00:00Z)', emit: set('dateInstalled', dateTime) },
    deviceId: seeAlsoDevice,
    stationType: leftOut('the EU station classification (traffic, background, industrial) has no Device property'),
  },
}

/**
 * What every entity of a collection says regardless of its attributes: the class of asset it is.
 * Device: deviceCategory (not the deprecated `category`) and controlledProperty (required) from the
 * enums of dataModel.Device; Camera: cameraType and cameraUsage.
 */
export const FIWARE_CLASS_FACTS: Partial<Record<CollectionId, Fragment>> = {
  // A controller drives the signal heads that regulate the intersection's traffic flow.
  'traffic-signals': { deviceCategory: ['actuator'], controlledProperty: ['trafficFlow'] },
  // Wi-Fi, LoRaWAN and 5G access points sense or control none of the enum's properties: an empty list is the honest value.
  'access-points': { deviceCategory: ['network'], controlledProperty: [] },
  // Loops count vehicles and measure occupancy; speed only on double loops, so it is not claimed.
  'traffic-loops': { deviceCategory: ['sensor'], controlledProperty: ['trafficFlow', 'occupancy'] },
  // Bicycle traffic is traffic flow (TrafficFlowObserved counts bicycles as a vehicleType).
  'bike-counters': { deviceCategory: ['sensor'], controlledProperty: ['trafficFlow'] },
  'air-quality-stations': { deviceCategory: ['sensor'], controlledProperty: ['airPollution'] },
  // ZTL gates are fixed plate-reading cameras: their purpose is ANPR/LPR. Gemello keeps no plates or
  // images, and the entity has no attribute for either; the usage states what the asset is.
  'ztl-cameras': { cameraType: 'FIXED', cameraUsage: 'ANPR/LPR' },
}

/**
 * The NGSI-LD key-values entity of a census feature, or null when its collection has no FIWARE type.
 * Attributes with no value (null, absent) are left out; `dateModified` is the feature's last change.
 */
export function toFiwareEntity(feature: FiwareSourceFeature, opts: FiwareViewOptions = {}): Record<string, unknown> | null {
  const type = assetType(feature.collection)
  if (!type?.fiware) return null
  // The SDM Streetlight's required status speaks of faults of a light in service (ok, defectiveLamp, …):
  // a planned, out-of-service or decommissioned light has none, so it is not published as one.
  if (type.fiware === 'Streetlight' && feature.properties.status !== 'functional') return null
  const ctx: Ctx = { urnPrefix: opts.urnPrefix ?? DEFAULT_URN_PREFIX }
  const mapping = FIWARE_MAPPING[type.id] ?? {}
  const entity: Fragment = {
    id: fiwareEntityId(type.id, feature.id, ctx.urnPrefix),
    type: type.fiware satisfies FiwareType,
    location: { type: feature.geometry.type, coordinates: feature.geometry.coordinates },
    address: { addressLocality: opts.city ?? DEFAULT_CITY },
    ...FIWARE_CLASS_FACTS[type.id],
  }
  for (const { name } of visibleAttributes(type, opts.full === true)) {
    const v = feature.properties[name]
    const m = mapping[name]
    if (v === null || v === undefined || v === '' || !m?.emit) continue
    merge(entity, m.emit(v, ctx))
  }
  if (type.fiware === 'StreetlightControlCabinet') {
    entity.refStreetlightGroup = [cabinetGroupId(feature.id, ctx.urnPrefix)]
    if (entity.workingMode === undefined && opts.cabinetWorkingMode) entity.workingMode = opts.cabinetWorkingMode
  }
  entity.dateModified = new Date(feature.updatedAtMs).toISOString()
  entity.source = opts.baseUrl ? `${opts.baseUrl.replace(/\/+$/, '')}/collections/${type.id}/items/${feature.id}` : DEFAULT_SOURCE
  entity.dataProvider = DATA_PROVIDER
  return entity
}

/** Shallow merge, one level deeper for objects (address, cameraOrientation) and lists (seeAlso). */
function merge(into: Fragment, add: Fragment): void {
  for (const [k, v] of Object.entries(add)) {
    const cur = into[k]
    if (Array.isArray(cur) && Array.isArray(v)) into[k] = [...new Set([...cur, ...v])]
    else if (isObject(cur) && isObject(v)) into[k] = { ...cur, ...v }
    else into[k] = v
  }
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
