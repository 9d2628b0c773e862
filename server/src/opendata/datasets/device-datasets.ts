/**
 * Datasets from the field devices (docs/opendata.md "Datasets"): the registry of the sensors, and the
 * hourly history of traffic loops, bicycle counters and air-quality stations over the last
 * OPENDATA_HISTORY_DAYS days — each loop and station on its own (the same hourly means the dashboards
 * chart, raw readings and 1-hour rollups merged). Generated devices (the demo district, synthetic
 * connectivity devices) are never published: they are not the city's data.
 */
import { PollutantSchema } from '../../../../contracts/dashboard-api'
import type { DeviceKind } from '../../../../contracts/schemas/device'
import { airQualityHourly, bikeHoursByGroup, trafficHoursByGroup } from '../../db/dashboards'
import { col, HOUR_START, historyWindow, hoursCovered, isoHour, publishedDevices, SOURCE_ARPAE, SOURCE_COMUNE, SOURCE_TWIN, type DatasetDefinition, type DatasetRow } from './dataset-definition'

// Not signal controllers: their positions come from the DLR SUMO scenarios (EPL-2.0), see census-datasets.ts.
const PUBLISHED_KINDS: DeviceKind[] = ['traffic-loop', 'air-quality', 'ztl-gate', 'bike-counter']

const round = (x: number | null, digits: number) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits)

export const sensorsDataset: DatasetDefinition = {
  id: 'sensori',
  title: { it: 'Sensori del gemello digitale', en: 'Sensors of the digital twin' },
  description: {
    it: 'Anagrafica dei dispositivi in campo collegati al gemello digitale: spire di conteggio del traffico, centraline della qualità dell’aria, varchi ZTL e contabici, con tipo, nome e posizione.',
    en: 'Registry of the field devices connected to the digital twin: traffic-counting loops, air-quality stations, ZTL gates and bicycle counters, with kind, name and position.',
  },
  keywords: ['sensori', 'spire', 'qualità dell’aria', 'ZTL', 'contabici'],
  themes: ['TRAN', 'ENVI'],
  frequency: 'DAILY',
  licence: 'CC-BY-4.0',
  sources: [SOURCE_COMUNE, SOURCE_ARPAE],
  geometry: 'Point',
  columns: [
    col('id', 'string', 'Device identifier in Gemello (MQTT topic level)', 'Identificativo del dispositivo in Gemello'),
    col('kind', 'string', 'Kind: traffic-loop, air-quality, ztl-gate, bike-counter', 'Tipo: traffic-loop, air-quality, ztl-gate, bike-counter'),
    col('name', 'string', 'Name', 'Nome'),
    col('source_dataset', 'string', 'The open dataset the device was registered from', 'Dataset aperto di origine'),
  ],
  async read(q) {
    const devices = await publishedDevices(q, PUBLISHED_KINDS)
    return {
      temporal: null,
      rows: devices.map((d) => ({ properties: { id: d.id, kind: d.kind, name: d.name, source_dataset: d.dataset }, geometry: { type: 'Point', coordinates: [d.lon, d.lat] } })),
    }
  },
}

export const trafficCountsDataset: DatasetDefinition = {
  id: 'traffico-spire-orario',
  title: { it: 'Flussi di traffico orari per spira', en: 'Hourly traffic flows by loop' },
  description: {
    it: 'Medie orarie di flusso (veicoli/ora), occupazione (%) e velocità (km/h) misurate da ciascuna spira di conteggio, negli ultimi giorni. Le ore sono in UTC (inizio dell’ora); le posizioni delle spire sono nel dataset "sensori".',
    en: 'Hourly means of flow (vehicles/hour), occupancy (%) and speed (km/h) measured by each counting loop over the last days. Hours are UTC (start of the hour); the loops’ positions are in the "sensori" dataset.',
  },
  keywords: ['traffico', 'spire', 'flussi', 'mobilità'],
  themes: ['TRAN'],
  frequency: 'HOURLY',
  licence: 'CC-BY-4.0',
  sources: [SOURCE_COMUNE, SOURCE_TWIN],
  geometry: null,
  columns: [
    col('device_id', 'string', 'Loop identifier (see the "sensori" dataset)', 'Identificativo della spira (vedi il dataset "sensori")'),
    HOUR_START,
    col('flow_veh_h', 'number', 'Mean flow', 'Flusso medio', 'veh/h'),
    col('occupancy_pct', 'number', 'Mean occupancy', 'Occupazione media', '%'),
    col('speed_kmh', 'number', 'Mean speed (empty for loops that do not measure it)', 'Velocità media (vuota per le spire che non la misurano)', 'km/h'),
    col('readings', 'integer', 'Readings in the hour', 'Misure nell’ora'),
  ],
  async read(q, ctx) {
    const loops = await publishedDevices(q, ['traffic-loop'])
    const { fromMs, toMs } = historyWindow(ctx)
    const hours = await trafficHoursByGroup(q, loops.map((l) => ({ deviceId: l.id, group: l.id })), fromMs, toMs, ctx.nowMs)
    const rows: DatasetRow[] = hours
      .filter((h) => h.readings > 0)
      .map((h) => ({
        geometry: null,
        properties: { device_id: h.group, hour_start: isoHour(h.tMs), flow_veh_h: round(h.flowVehH, 1), occupancy_pct: round(h.occupancyPct, 2), speed_kmh: round(h.speedKmh, 1), readings: h.readings },
      }))
    return { rows, temporal: hoursCovered(hours.filter((h) => h.readings > 0).map((h) => h.tMs)) }
  },
}

export const bikeCountsDataset: DatasetDefinition = {
  id: 'biciclette-contabici-orario',
  title: { it: 'Passaggi orari di biciclette per contabici', en: 'Hourly bicycle counts by counter' },
  description: {
    it: 'Biciclette contate in ogni ora da ciascun contabici, negli ultimi giorni. Ore in UTC (inizio dell’ora).',
    en: 'Bicycles counted in each hour by each counter over the last days. Hours are UTC (start of the hour).',
  },
  keywords: ['biciclette', 'contabici', 'mobilità sostenibile'],
  themes: ['TRAN'],
  frequency: 'HOURLY',
  licence: 'CC-BY-4.0',
  sources: [SOURCE_COMUNE, SOURCE_TWIN],
  geometry: null,
  columns: [
    col('device_id', 'string', 'Counter identifier (see the "sensori" dataset)', 'Identificativo del contabici (vedi il dataset "sensori")'),
    HOUR_START,
    col('bicycles', 'integer', 'Bicycles counted', 'Biciclette contate'),
  ],
  async read(q, ctx) {
    const counters = await publishedDevices(q, ['bike-counter'])
    const { fromMs, toMs } = historyWindow(ctx)
    const hours = (await bikeHoursByGroup(q, counters.map((c) => ({ deviceId: c.id, group: c.id })), fromMs, toMs, ctx.nowMs)).filter((h) => h.counters > 0)
    return {
      rows: hours.map((h) => ({ geometry: null, properties: { device_id: h.group, hour_start: isoHour(h.tMs), bicycles: Math.round(h.bikes) } })),
      temporal: hoursCovered(hours.map((h) => h.tMs)),
    }
  },
}


export const airQualityDataset: DatasetDefinition = {
  id: 'qualita-aria-orario',
  title: { it: 'Qualità dell’aria: medie orarie per stazione', en: 'Air quality: hourly means by station' },
  description: {
    it: 'Concentrazioni medie orarie degli inquinanti (µg/m³) misurate dalle stazioni di monitoraggio, con la validità del dato, negli ultimi giorni. Ore in UTC (inizio dell’ora). I valori limite sono quelli del D.Lgs. 155/2010.',
    en: 'Hourly mean concentrations of pollutants (µg/m³) measured by the monitoring stations, with the data validity, over the last days. Hours are UTC (start of the hour). Limit values are those of D.Lgs. 155/2010.',
  },
  keywords: ['qualità dell’aria', 'inquinamento', 'NO2', 'PM10', 'ambiente'],
  themes: ['ENVI', 'HEAL'],
  frequency: 'HOURLY',
  licence: 'CC-BY-4.0',
  sources: [SOURCE_ARPAE, SOURCE_TWIN],
  geometry: null,
  columns: [
    col('device_id', 'string', 'Station identifier (see the "sensori" dataset)', 'Identificativo della stazione (vedi il dataset "sensori")'),
    col('pollutant', 'string', 'Pollutant (stream name, e.g. no2, pm10)', 'Inquinante (es. no2, pm10)'),
    HOUR_START,
    col('mean_ug_m3', 'number', 'Hourly mean', 'Media oraria', 'µg/m³'),
    col('readings', 'integer', 'Readings in the hour', 'Misure nell’ora'),
    col('validity', 'string', 'Validity of the hour’s latest reading as the station gave it', 'Validità dell’ultima misura dell’ora, come data dalla stazione'),
  ],
  async read(q, ctx) {
    const stations = await publishedDevices(q, ['air-quality'])
    const { fromMs, toMs } = historyWindow(ctx)
    const hours = await airQualityHourly(q, stations.map((s) => s.id), PollutantSchema.options, fromMs, toMs, ctx.nowMs)
    return {
      rows: hours.map((h) => ({ geometry: null, properties: { device_id: h.deviceId, pollutant: h.stream, hour_start: isoHour(h.tMs), mean_ug_m3: round(h.meanUg, 2), readings: h.n, validity: h.validity } })),
      temporal: hoursCovered(hours.map((h) => h.tMs)),
    }
  },
}
