/**
 * The services and offices Gemello starts with (issue 10): what Bologna's citizens report most — road
 * surface, street lights, traffic signals, signs, abandoned waste, trees — and one request with a fee and
 * a legal notice (a driveway permit), so the whole cycle (pagoPA, SEND) has a case to run on. Seeded
 * into the database at start (server/src/cases/case-seed.ts) where no service of that code exists;
 * offices change them there. Value keys are numbers (FIWARE IssueTracking types them so).
 */
import { CaseOfficeSchema, CaseServiceSchema, type CaseOffice, type CaseService } from '../schemas/case'

export const DEFAULT_OFFICES: readonly CaseOffice[] = [
  { id: 'urp', name: { it: 'Ufficio Relazioni con il Pubblico', en: 'Public relations office' } },
  { id: 'strade', name: { it: 'Manutenzione strade', en: 'Road maintenance' } },
  { id: 'illuminazione', name: { it: 'Illuminazione pubblica', en: 'Street lighting' } },
  { id: 'mobilita', name: { it: 'Mobilità e semafori', en: 'Mobility and traffic signals' } },
  { id: 'verde', name: { it: 'Verde pubblico', en: 'Parks and trees' } },
  { id: 'ambiente', name: { it: 'Ambiente e igiene urbana', en: 'Environment and street cleaning' } },
  { id: 'permessi', name: { it: 'Permessi e concessioni', en: 'Permits' } },
].map((o) => CaseOfficeSchema.parse(o))

const yesNo = [
  { key: 1, name: { it: 'Sì', en: 'Yes' } },
  { key: 2, name: { it: 'No', en: 'No' } },
]

export const DEFAULT_SERVICES: readonly CaseService[] = [
  {
    code: 'buca-stradale',
    group: { it: 'Strade e marciapiedi', en: 'Roads and pavements' },
    name: { it: 'Buca nella strada', en: 'Pothole' },
    description: { it: 'Una buca o un cedimento della carreggiata, della pista ciclabile o del marciapiede', en: 'A pothole or subsidence in the road, cycle lane or pavement' },
    keywords: ['buca', 'asfalto', 'pothole'],
    type: 'realtime',
    attributes: [
      { code: 'dimensione', variable: true, datatype: 'singlevaluelist', required: true, description: { it: 'Quanto è grande?', en: 'How big is it?' }, datatypeDescription: null, values: [{ key: 1, name: { it: 'Piccola (meno di 30 cm)', en: 'Small (under 30 cm)' } }, { key: 2, name: { it: 'Media (30 cm – 1 m)', en: 'Medium (30 cm – 1 m)' } }, { key: 3, name: { it: 'Grande (oltre 1 m)', en: 'Large (over 1 m)' } }] },
      { code: 'pericolo', variable: true, datatype: 'singlevaluelist', required: false, description: { it: 'È un pericolo immediato per chi passa?', en: 'Is it an immediate danger to road users?' }, datatypeDescription: null, values: yesNo },
    ],
    office: 'strade',
    slaHours: 72,
  },
  {
    code: 'lampione-spento',
    group: { it: 'Illuminazione', en: 'Lighting' },
    name: { it: 'Lampione spento o guasto', en: 'Street light out or faulty' },
    description: { it: 'Un punto luce spento, che lampeggia o acceso di giorno', en: 'A street light that is out, flickering or on by day' },
    keywords: ['lampione', 'luce', 'street light'],
    type: 'realtime',
    attributes: [{ code: 'sintomo', variable: true, datatype: 'singlevaluelist', required: true, description: { it: 'Che cosa succede?', en: 'What is wrong?' }, datatypeDescription: null, values: [{ key: 1, name: { it: 'Spento', en: 'Out' } }, { key: 2, name: { it: 'Lampeggia', en: 'Flickering' } }, { key: 3, name: { it: 'Acceso di giorno', en: 'On by day' } }] }],
    assetCollections: ['street-lights', 'poles'],
    office: 'illuminazione',
    slaHours: 120,
  },
  {
    code: 'semaforo-guasto',
    group: { it: 'Traffico', en: 'Traffic' },
    name: { it: 'Semaforo guasto', en: 'Traffic signal fault' },
    description: { it: 'Un semaforo spento, sempre rosso o lampeggiante giallo', en: 'A traffic signal that is dark, stuck on red or flashing amber' },
    keywords: ['semaforo', 'traffic light'],
    type: 'realtime',
    attributes: [],
    assetCollections: ['traffic-signals'],
    office: 'mobilita',
    slaHours: 4,
  },
  {
    code: 'segnaletica',
    group: { it: 'Traffico', en: 'Traffic' },
    name: { it: 'Segnale stradale danneggiato', en: 'Damaged road sign' },
    description: { it: 'Un cartello abbattuto, girato, illeggibile o mancante', en: 'A road sign knocked down, turned, unreadable or missing' },
    keywords: ['cartello', 'segnale', 'sign'],
    type: 'realtime',
    attributes: [],
    assetCollections: ['road-signs', 'poles'],
    office: 'mobilita',
    slaHours: 168,
  },
  {
    code: 'rifiuti-abbandonati',
    group: { it: 'Ambiente', en: 'Environment' },
    name: { it: 'Rifiuti abbandonati', en: 'Abandoned waste' },
    description: { it: 'Sacchi, ingombranti o rifiuti lasciati fuori dai contenitori', en: 'Bags, bulky items or waste left outside the bins' },
    keywords: ['rifiuti', 'ingombranti', 'waste'],
    type: 'realtime',
    attributes: [{ code: 'ingombranti', variable: true, datatype: 'singlevaluelist', required: false, description: { it: 'Ci sono mobili o elettrodomestici?', en: 'Is there furniture or appliances?' }, datatypeDescription: null, values: yesNo }],
    office: 'ambiente',
    slaHours: 48,
  },
  {
    code: 'alberi-verde',
    group: { it: 'Verde', en: 'Parks and trees' },
    name: { it: 'Albero o ramo pericolante', en: 'Unsafe tree or branch' },
    description: { it: 'Un albero inclinato, un ramo rotto o caduto su strada o marciapiede', en: 'A leaning tree, a broken branch or one fallen on the road or pavement' },
    keywords: ['albero', 'ramo', 'tree'],
    type: 'realtime',
    attributes: [],
    office: 'verde',
    slaHours: 72,
  },
  {
    code: 'passo-carrabile',
    group: { it: 'Permessi', en: 'Permits' },
    name: { it: 'Richiesta di passo carrabile', en: 'Driveway permit request' },
    description: { it: 'Richiesta di concessione di un passo carrabile: diritti di istruttoria con pagoPA, esito notificato con SEND', en: 'A request for a driveway permit: the processing fee paid with pagoPA, the outcome notified through SEND' },
    keywords: ['passo carrabile', 'permesso', 'driveway'],
    type: 'batch',
    attributes: [{ code: 'larghezza_m', variable: true, datatype: 'number', required: true, description: { it: 'Larghezza dell’accesso in metri', en: 'Width of the access in metres' }, datatypeDescription: { it: 'Un numero, ad esempio 3.5', en: 'A number, for example 3.5' }, values: [] }],
    office: 'permessi',
    slaHours: 720,
    feeCents: 5000,
    legalNotice: true,
  },
].map((s) => CaseServiceSchema.parse(s))
