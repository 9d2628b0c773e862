/**
 * ZTL accesses as open data (docs/opendata.md "Datasets"): the vehicles counted in each hour by each
 * camera gate of the limited-traffic zones over the last OPENDATA_HISTORY_DAYS days — the same hourly
 * sums the dashboards chart, raw readings and 1-hour rollups merged (server/src/db/dashboards.ts,
 * gateHoursByGroup). Only the gates of the Comune's registry: generated devices are not the city's data.
 *
 * Not published: the gates' unauthorized transits (vehicles without a permit). They are enforcement
 * data — what fines are issued from — not an open figure; they are never read here. The gates send no plates
 * nor images at all (contracts/schemas/reading.ts, GateValuesSchema).
 */
import { gateHoursByGroup } from '../../db/dashboards'
import { col, HOUR_START, historyWindow, hoursCovered, isoHour, publishedDevices, SOURCE_COMUNE, SOURCE_TWIN, type DatasetDefinition } from './dataset-definition'

export const ztlAccessesDataset: DatasetDefinition = {
  id: 'accessi-ztl-orario',
  title: { it: 'Accessi orari ai varchi ZTL', en: 'Hourly accesses through the ZTL gates' },
  description: {
    it: 'Veicoli transitati in ogni ora da ciascun varco elettronico della zona a traffico limitato (ZTL), negli ultimi giorni. Ore in UTC (inizio dell’ora); le posizioni dei varchi sono nel dataset "sensori". Non contiene targhe, immagini né i transiti non autorizzati.',
    en: 'Vehicles counted in each hour by each camera gate of the limited-traffic zone (ZTL) over the last days. Hours are UTC (start of the hour); the gates’ positions are in the "sensori" dataset. No plates, no images and no unauthorized-transit counts.',
  },
  keywords: ['ZTL', 'zona a traffico limitato', 'varchi', 'accessi', 'mobilità'],
  themes: ['TRAN'],
  frequency: 'HOURLY',
  licence: 'CC-BY-4.0',
  sources: [SOURCE_COMUNE, SOURCE_TWIN],
  geometry: null,
  columns: [
    col('device_id', 'string', 'Gate identifier (see the "sensori" dataset)', 'Identificativo del varco (vedi il dataset "sensori")'),
    HOUR_START,
    col('vehicles', 'integer', 'Vehicles counted through the gate in the hour', 'Veicoli transitati dal varco nell’ora'),
    col('readings', 'integer', 'Readings in the hour', 'Misure nell’ora'),
  ],
  async read(q, ctx) {
    const gates = (await publishedDevices(q, ['ztl-gate'])).map((g) => g.id)
    const { fromMs, toMs } = historyWindow(ctx)
    const hours = (await gateHoursByGroup(q, gates.map((id) => ({ deviceId: id, group: id })), fromMs, toMs, ctx.nowMs)).filter((h) => h.readings > 0)
    return {
      rows: hours.map((h) => ({ geometry: null, properties: { device_id: h.group, hour_start: isoHour(h.tMs), vehicles: Math.round(h.vehicles), readings: h.readings } })),
      temporal: hoursCovered(hours.map((h) => h.tMs)),
    }
  },
}
