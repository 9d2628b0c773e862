/**
 * The infrastructure census's asset model (ADR 0008, docs/census.md): the asset types GIS staff keep —
 * one OGC API Features collection each — with their geometry type, attributes, code lists and
 * relations. The model is data: the server validates writes with it, the OpenAPI document, the
 * queryables and the web editor's forms are generated from it, the FIWARE views map it.
 *
 * Every type shares the lifecycle status (INSPIRE ConditionOfFacility), a name, the source's own
 * identifier and free notes. Relations are attributes of kind `ref`: to another census feature (a
 * light on a pole, on a cabinet circuit), to a device of the live twin, or to a SUMO lane (a loop
 * on its lane). Attributes marked `public: false` are left out for readers without `census:read`.
 */
import { z } from 'zod'

/** Storage CRS of every census collection: RDN2008 / UTM zone 32N, E-N (ADR 0008, D3). */
export const CENSUS_STORAGE_SRID = 7791

export interface Label {
  en: string
  it: string
}

export interface CodeValue {
  code: string
  label: Label
}

export type AttributeKind = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'code' | 'ref'
/** What a `ref` attribute points at: census features of some collections, a twin device, a SUMO lane. */
export type RefTarget = { kind: 'feature'; collections: readonly CollectionId[] } | { kind: 'device' } | { kind: 'lane' }

export interface AttributeDef {
  name: string
  kind: AttributeKind
  label: Label
  required?: boolean
  /** Default true; false = only readers with census:read see it (public readers get the rest). */
  public?: boolean
  codes?: readonly CodeValue[]
  min?: number
  max?: number
  maxLength?: number
  unit?: string
  ref?: RefTarget
}

export const GEOMETRY_TYPES = ['Point', 'LineString', 'Polygon'] as const
export type CensusGeometryType = (typeof GEOMETRY_TYPES)[number]

export const COLLECTION_IDS = [
  'street-lights',
  'poles',
  'lighting-cabinets',
  'traffic-signals',
  'ztl-cameras',
  'access-points',
  'traffic-loops',
  'bike-counters',
  'air-quality-stations',
  'road-signs',
  'ducts',
  'service-areas',
] as const
export const CollectionIdSchema = z.enum(COLLECTION_IDS)
export type CollectionId = z.infer<typeof CollectionIdSchema>

/** The FIWARE Smart Data Models entity type a collection is also published as. */
export type FiwareType = 'Streetlight' | 'StreetlightControlCabinet' | 'Device' | 'Camera'

export interface AssetType {
  id: CollectionId
  title: Label
  description: Label
  geometryType: CensusGeometryType
  attributes: readonly AttributeDef[]
  /**
   * D1 (reliability-security.md §8): `qgis` accepts a change without If-Match (comparing
   * `properties._version` when sent, else last writer wins, flagged in the audit); `strict` answers
   * 428 without If-Match.
   */
  editMode: 'qgis' | 'strict'
  fiware: FiwareType | null
  /** Seeded from the live twin's devices of this kind (real Bologna registries). */
  seededFrom: 'traffic-loop' | 'ztl-gate' | 'bike-counter' | 'signal-controller' | 'air-quality' | null
}

const L = (en: string, it: string): Label => ({ en, it })
const codes = (...xs: Array<[string, string, string]>): CodeValue[] => xs.map(([code, en, it]) => ({ code, label: L(en, it) }))

/** INSPIRE ConditionOfFacility: the lifecycle of every asset. */
export const LIFECYCLE = codes(
  ['projected', 'Planned', 'In progetto'],
  ['underConstruction', 'Under construction', 'In costruzione'],
  ['functional', 'In service', 'In esercizio'],
  ['disused', 'Out of service', 'Fuori servizio'],
  ['decommissioned', 'Decommissioned', 'Dismesso'],
)

const common = (): AttributeDef[] => [
  { name: 'name', kind: 'string', label: L('Name', 'Nome'), maxLength: 200 },
  { name: 'status', kind: 'code', label: L('Lifecycle status', 'Stato'), required: true, codes: LIFECYCLE },
  { name: 'externalId', kind: 'string', label: L('Source identifier', 'Codice di origine'), maxLength: 80 },
  { name: 'installedOn', kind: 'date', label: L('Installed on', 'Data di installazione') },
  { name: 'owner', kind: 'string', label: L('Owner', 'Proprietario'), maxLength: 120 },
  { name: 'notes', kind: 'string', label: L('Internal notes', 'Note interne'), maxLength: 2000, public: false },
]
const onPole: AttributeDef = { name: 'poleId', kind: 'ref', label: L('On pole', 'Sul palo'), ref: { kind: 'feature', collections: ['poles'] } }
const device: AttributeDef = { name: 'deviceId', kind: 'ref', label: L('Live twin device', 'Dispositivo del gemello'), ref: { kind: 'device' }, maxLength: 80 }
const street: AttributeDef = { name: 'streetName', kind: 'string', label: L('Street', 'Via'), maxLength: 200 }
const direction: AttributeDef = { name: 'direction', kind: 'string', label: L('Direction', 'Direzione'), maxLength: 120 }
const ip: AttributeDef = { name: 'ipAddress', kind: 'string', label: L('IP address', 'Indirizzo IP'), maxLength: 45, public: false }

export const ASSET_TYPES: readonly AssetType[] = [
  {
    id: 'street-lights',
    title: L('Street lights', 'Punti luce'),
    description: L('Luminaires of the public lighting network, on their pole and cabinet circuit.', 'Apparecchi della pubblica illuminazione, con palo e circuito del quadro.'),
    geometryType: 'Point',
    editMode: 'qgis',
    fiware: 'Streetlight',
    seededFrom: null,
    attributes: [
      ...common(),
      { name: 'lampType', kind: 'code', label: L('Lamp', 'Sorgente'), codes: codes(['LED', 'LED', 'LED'], ['HPS', 'High-pressure sodium', 'Sodio alta pressione'], ['MH', 'Metal halide', 'Ioduri metallici'], ['HPM', 'Mercury vapour', 'Vapori di mercurio'], ['FL', 'Fluorescent', 'Fluorescente']) },
      { name: 'powerW', kind: 'number', label: L('Power', 'Potenza'), min: 0, max: 2000, unit: 'W' },
      { name: 'colorTemperatureK', kind: 'integer', label: L('Colour temperature', 'Temperatura di colore'), min: 1500, max: 8000, unit: 'K' },
      { name: 'dimmable', kind: 'boolean', label: L('Dimmable', 'Regolabile') },
      onPole,
      { name: 'cabinetId', kind: 'ref', label: L('Cabinet', 'Quadro'), ref: { kind: 'feature', collections: ['lighting-cabinets'] } },
      { name: 'circuit', kind: 'string', label: L('Circuit', 'Circuito'), maxLength: 40 },
    ],
  },
  {
    id: 'poles',
    title: L('Poles', 'Pali'),
    description: L('Poles carrying lights, cameras, signs or antennas.', 'Pali che portano apparecchi, telecamere, segnali o antenne.'),
    geometryType: 'Point',
    editMode: 'qgis',
    fiware: null,
    seededFrom: null,
    attributes: [
      ...common(),
      { name: 'material', kind: 'code', label: L('Material', 'Materiale'), codes: codes(['steel', 'Steel', 'Acciaio'], ['aluminium', 'Aluminium', 'Alluminio'], ['concrete', 'Concrete', 'Cemento'], ['castIron', 'Cast iron', 'Ghisa'], ['wood', 'Wood', 'Legno']) },
      { name: 'heightM', kind: 'number', label: L('Height', 'Altezza'), min: 0, max: 40, unit: 'm' },
      { name: 'armCount', kind: 'integer', label: L('Arms', 'Sbracci'), min: 0, max: 8 },
    ],
  },
  {
    id: 'lighting-cabinets',
    title: L('Lighting cabinets', 'Quadri di illuminazione'),
    description: L('Control cabinets feeding the lighting circuits.', 'Quadri elettrici che alimentano i circuiti di illuminazione.'),
    geometryType: 'Point',
    editMode: 'qgis',
    fiware: 'StreetlightControlCabinet',
    seededFrom: null,
    attributes: [
      ...common(),
      { name: 'circuits', kind: 'integer', label: L('Circuits', 'Circuiti'), min: 0, max: 64 },
      { name: 'contractedPowerKw', kind: 'number', label: L('Contracted power', 'Potenza impegnata'), min: 0, max: 1000, unit: 'kW' },
      { name: 'supplyPointCode', kind: 'string', label: L('Supply point (POD)', 'Codice POD'), maxLength: 20, public: false },
      { name: 'workingMode', kind: 'code', label: L('Switching', 'Accensione'), codes: codes(['automatic', 'Automatic (astronomical clock or sensor)', 'Automatica (orologio astronomico o sensore)'], ['semiautomatic', 'Automatic, manual override allowed', 'Automatica, con comando manuale'], ['manual', 'Manual', 'Manuale']) },
    ],
  },
  {
    id: 'traffic-signals',
    title: L('Signal controllers', 'Impianti semaforici'),
    description: L('Traffic signal controllers, one per signalised intersection (Bologna intersection code).', 'Regolatori semaforici, uno per incrocio (codice incrocio di Bologna).'),
    geometryType: 'Point',
    editMode: 'qgis',
    fiware: 'Device',
    seededFrom: 'signal-controller',
    attributes: [...common(), device, { name: 'intersectionCode', kind: 'string', label: L('Intersection code', 'Codice incrocio'), maxLength: 20 }, { name: 'manufacturer', kind: 'string', label: L('Manufacturer', 'Costruttore'), maxLength: 80 }, { name: 'model', kind: 'string', label: L('Model', 'Modello'), maxLength: 80 }, ip],
  },
  {
    id: 'ztl-cameras',
    title: L('ZTL cameras', 'Varchi ZTL'),
    description: L('Limited-traffic-zone enforcement cameras (gates).', 'Telecamere dei varchi della zona a traffico limitato.'),
    geometryType: 'Point',
    editMode: 'qgis',
    fiware: 'Camera',
    seededFrom: 'ztl-gate',
    attributes: [...common(), device, street, direction, { name: 'zone', kind: 'string', label: L('Zone', 'Zona'), maxLength: 80 }, onPole, ip],
  },
  {
    id: 'access-points',
    title: L('Access points', 'Punti di accesso'),
    description: L('Public Wi-Fi, LoRaWAN gateways and small cells.', 'Wi-Fi pubblico, gateway LoRaWAN e small cell.'),
    geometryType: 'Point',
    editMode: 'qgis',
    fiware: 'Device',
    seededFrom: null,
    attributes: [
      ...common(),
      device,
      { name: 'technology', kind: 'code', label: L('Technology', 'Tecnologia'), required: true, codes: codes(['wifi', 'Wi-Fi', 'Wi-Fi'], ['lorawan', 'LoRaWAN gateway', 'Gateway LoRaWAN'], ['smallCell', '5G small cell', 'Small cell 5G']) },
      onPole,
      ip,
    ],
  },
  {
    id: 'traffic-loops',
    title: L('Traffic loops', 'Spire'),
    description: L('Inductive loops counting vehicles, on their lane (Bologna loop registry).', 'Spire induttive di conteggio, sulla loro corsia (anagrafica spire del Comune).'),
    geometryType: 'Point',
    editMode: 'qgis',
    fiware: 'Device',
    seededFrom: 'traffic-loop',
    attributes: [
      ...common(),
      device,
      street,
      direction,
      { name: 'arcCode', kind: 'string', label: L('Street arc', 'Arco stradale'), maxLength: 20 },
      { name: 'laneId', kind: 'ref', label: L('SUMO lane', 'Corsia SUMO'), ref: { kind: 'lane' }, maxLength: 120 },
    ],
  },
  {
    id: 'bike-counters',
    title: L('Bicycle counters', 'Contabici'),
    description: L('Bicycle counting stations.', 'Colonnine conta-biciclette.'),
    geometryType: 'Point',
    editMode: 'qgis',
    fiware: 'Device',
    seededFrom: 'bike-counter',
    attributes: [...common(), device, street],
  },
  {
    id: 'air-quality-stations',
    title: L('Air-quality stations', 'Stazioni di qualità dell’aria'),
    description: L('ARPAE monitoring stations in the comune.', 'Stazioni di monitoraggio ARPAE nel comune.'),
    geometryType: 'Point',
    editMode: 'strict',
    fiware: 'Device',
    seededFrom: 'air-quality',
    attributes: [...common(), device, { name: 'stationType', kind: 'code', label: L('Station type', 'Tipo di stazione'), codes: codes(['traffic', 'Traffic', 'Traffico'], ['background', 'Background', 'Fondo'], ['industrial', 'Industrial', 'Industriale']) }],
  },
  {
    id: 'road-signs',
    title: L('Road signs', 'Segnaletica verticale'),
    description: L('Vertical road signs (Codice della Strada figures).', 'Segnali verticali (figure del Codice della Strada).'),
    geometryType: 'Point',
    editMode: 'qgis',
    fiware: null,
    seededFrom: null,
    attributes: [
      ...common(),
      { name: 'signClass', kind: 'code', label: L('Class', 'Classe'), required: true, codes: codes(['danger', 'Danger', 'Pericolo'], ['priority', 'Priority', 'Precedenza'], ['prohibition', 'Prohibition', 'Divieto'], ['mandatory', 'Mandatory', 'Obbligo'], ['information', 'Information', 'Indicazione'], ['supplementary', 'Supplementary panel', 'Pannello integrativo']) },
      { name: 'figure', kind: 'string', label: L('Figure (CdS)', 'Figura (CdS)'), maxLength: 20 },
      { name: 'facingDeg', kind: 'number', label: L('Facing', 'Orientamento'), min: 0, max: 360, unit: '°' },
      onPole,
    ],
  },
  {
    id: 'ducts',
    title: L('Ducts', 'Cavidotti'),
    description: L('Underground ducts for fibre, power, lighting and signal cables.', 'Cavidotti interrati per fibra, energia, illuminazione e semafori.'),
    geometryType: 'LineString',
    editMode: 'qgis',
    fiware: null,
    seededFrom: null,
    attributes: [
      ...common(),
      { name: 'usage', kind: 'code', label: L('Use', 'Uso'), required: true, codes: codes(['fibre', 'Fibre', 'Fibra ottica'], ['power', 'Power', 'Energia'], ['lighting', 'Lighting', 'Illuminazione'], ['signals', 'Traffic signals', 'Semafori']) },
      { name: 'diameterMm', kind: 'integer', label: L('Diameter', 'Diametro'), min: 10, max: 2000, unit: 'mm' },
      { name: 'depthM', kind: 'number', label: L('Depth', 'Profondità'), min: 0, max: 20, unit: 'm', public: false },
    ],
  },
  {
    id: 'service-areas',
    title: L('Maintenance areas', 'Aree di manutenzione'),
    description: L('Areas of the maintenance contracts (one contractor each).', 'Aree dei contratti di manutenzione (un appaltatore ciascuna).'),
    geometryType: 'Polygon',
    editMode: 'strict',
    fiware: null,
    seededFrom: null,
    attributes: [...common(), { name: 'contractor', kind: 'string', label: L('Contractor', 'Appaltatore'), maxLength: 200 }, { name: 'contractCode', kind: 'string', label: L('Contract', 'Contratto'), maxLength: 40 }],
  },
]

export function assetType(id: string): AssetType | undefined {
  return ASSET_TYPES.find((t) => t.id === id)
}

/** A census feature as read: the attribute values of the reader's view (null when unset), geometry in the output CRS. */
export interface CensusFeatureRecord {
  id: number
  collection: CollectionId
  version: number
  properties: Record<string, PropertyValue>
  geometry: { type: string; coordinates: unknown }
  updatedAtMs: number
}

/** Properties every feature carries besides its attributes: the version it is at (D1: QGIS sends it back). */
export const VERSION_PROPERTY = '_version'

export type PropertyValue = string | number | boolean | null
export interface PropertyProblem {
  /** `properties.<name>` */
  path: string
  message: string
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * Checks a feature's properties against its asset type. `partial` (PATCH) checks only what is sent
 * and does not require required attributes. Unknown properties are refused (a misspelt field must
 * not be dropped silently); `_version` is read by the caller and ignored here; null clears an
 * optional attribute. Returns the clean attribute values or every problem found.
 */
export function checkProperties(
  type: AssetType,
  props: Record<string, unknown>,
  opts: { partial: boolean },
): { ok: true; values: Record<string, PropertyValue> } | { ok: false; problems: PropertyProblem[] } {
  const problems: PropertyProblem[] = []
  const values: Record<string, PropertyValue> = {}
  const byName = new Map(type.attributes.map((a) => [a.name, a]))
  for (const key of Object.keys(props)) {
    if (key === VERSION_PROPERTY) continue
    if (!byName.has(key)) problems.push({ path: `properties.${key}`, message: `"${key}" is not an attribute of ${type.id}; its attributes are ${type.attributes.map((a) => a.name).join(', ')}` })
  }
  for (const a of type.attributes) {
    const has = Object.prototype.hasOwnProperty.call(props, a.name)
    const v = props[a.name]
    if (!has || v === null || v === undefined || v === '') {
      if (a.required && !(opts.partial && !has)) problems.push({ path: `properties.${a.name}`, message: `${a.label.en} (${a.name}) is required` })
      else if (has) values[a.name] = null
      continue
    }
    const problem = checkValue(a, v)
    if (problem) problems.push({ path: `properties.${a.name}`, message: problem })
    else values[a.name] = normalise(a, v)
  }
  return problems.length ? { ok: false, problems } : { ok: true, values }
}

function normalise(a: AttributeDef, v: unknown): PropertyValue {
  if (a.kind === 'ref' && a.ref?.kind === 'feature') return Number(v)
  if ((a.kind === 'integer' || a.kind === 'number') && typeof v === 'string') return Number(v)
  if (a.kind === 'boolean' && typeof v === 'string') return v === 'true' || v === '1'
  if (a.kind === 'boolean' && typeof v === 'number') return v === 1
  return v as PropertyValue
}

function checkValue(a: AttributeDef, v: unknown): string | null {
  const name = `${a.label.en} (${a.name})`
  switch (a.kind) {
    case 'string':
      if (typeof v !== 'string') return `${name} must be text`
      if (a.maxLength !== undefined && v.length > a.maxLength) return `${name} is ${v.length} characters long; at most ${a.maxLength}`
      return null
    case 'integer':
    case 'number': {
      // QGIS and CSV imports may send numbers as strings; anything else is refused.
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN
      if (!Number.isFinite(n)) return `${name} must be a number`
      if (a.kind === 'integer' && !Number.isInteger(n)) return `${name} must be a whole number`
      if (a.min !== undefined && n < a.min) return `${name} is ${n}${a.unit ? ` ${a.unit}` : ''}; at least ${a.min}`
      if (a.max !== undefined && n > a.max) return `${name} is ${n}${a.unit ? ` ${a.unit}` : ''}; at most ${a.max}`
      return null
    }
    case 'boolean':
      if (typeof v === 'boolean' || v === 0 || v === 1 || v === 'true' || v === 'false' || v === '0' || v === '1') return null
      return `${name} must be true or false`
    case 'date':
      if (typeof v !== 'string' || !DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) return `${name} must be a date YYYY-MM-DD`
      return null
    case 'code':
      if (typeof v !== 'string' || !a.codes?.some((c) => c.code === v)) return `${name} must be one of ${a.codes?.map((c) => c.code).join(', ')}`
      return null
    case 'ref':
      if (a.ref?.kind === 'feature') {
        const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN
        if (!Number.isSafeInteger(n) || n <= 0) return `${name} must be the id of a feature of ${a.ref.collections.join(' or ')}`
        return null
      }
      if (typeof v !== 'string' || v.length > (a.maxLength ?? 120)) return `${name} must be an identifier`
      return null
  }
}

/** The attributes a reader may see: all with census:read, the public ones otherwise. */
export function visibleAttributes(type: AssetType, full: boolean): AttributeDef[] {
  return type.attributes.filter((a) => full || a.public !== false)
}
