/**
 * The results of the published what-if scenarios as open data (docs/opendata.md "Datasets",
 * docs/scenarios.md): for each scenario the Comune has published, its latest version's fast estimate
 * at every hour one is cached for — the model's KPIs of the scenario and their difference from the
 * base (contracts/scenario-api.ts, ScenarioEstimateDto: `compare`).
 *
 * Drafts and archived scenarios are left out, and so are older versions and estimates computed before
 * the latest city data import (the app computes those again: server/src/db/scenarios.ts,
 * cachedEstimate). Nothing about people: no author, creator, who published it, version note, nor the
 * planner's assumptions (free text, which can carry names) — only the title, the base and the figures.
 */
import { ScenarioEstimateSchema, type KpisDto } from '../../../../contracts/scenario-api'
import type { ScenarioBase } from '../../../../contracts/schemas/scenario'
import type { DatasetColumn } from '../../../../contracts/opendata-api'
import { col, type CellValue, type DatasetDefinition, type DatasetRow } from './dataset-definition'

const DAY_TYPE_IT: Record<Extract<ScenarioBase, { kind: 'typical' }>['dayType'], string> = { weekday: 'feriale', saturday: 'sabato', sunday: 'domenica e festivi' }
const hh = (h: number) => String(h).padStart(2, '0')

/** The base in a few words (Italian, as the catalogue's values): "giorno osservato 2024-03-15, ore 08" or "profilo tipico feriale, ore 08 (2024-01-01 – 2024-03-31)". */
export function describeBase(b: ScenarioBase): string {
  if (b.kind === 'observed') return `giorno osservato ${b.date}, ore ${hh(b.hour)}`
  const period = b.fromDate || b.toDate ? ` (${b.fromDate ?? '…'} – ${b.toDate ?? '…'})` : ''
  return `profilo tipico ${DAY_TYPE_IT[b.dayType]}, ore ${hh(b.hour)}${period}`
}

interface Kpi {
  key: keyof KpisDto
  column: string
  type: 'number' | 'integer'
  digits: number
  unit: string | null
  en: string
  it: string
}

/** The KPIs published, each as the scenario's figure and its difference from the base (`<column>_delta`). */
const KPIS: readonly Kpi[] = [
  { key: 'vehKm', column: 'veh_km', type: 'number', digits: 1, unit: 'veh·km', en: 'Vehicle-kilometres travelled in the hour', it: 'Veicoli·km percorsi nell’ora' },
  { key: 'vehHours', column: 'veh_hours', type: 'number', digits: 1, unit: 'veh·h', en: 'Vehicle-hours travelled in the hour', it: 'Veicoli·ora spesi nell’ora' },
  { key: 'meanSpeedKmh', column: 'mean_speed_kmh', type: 'number', digits: 2, unit: 'km/h', en: 'Mean speed', it: 'Velocità media' },
  { key: 'delayVehHours', column: 'delay_veh_hours', type: 'number', digits: 1, unit: 'veh·h', en: 'Delay: vehicle-hours above free-flow time', it: 'Ritardo: veicoli·ora oltre il tempo a flusso libero' },
  { key: 'unservedVehH', column: 'unserved_veh_h', type: 'number', digits: 1, unit: 'veh/h', en: 'Unserved demand (trips left without a path)', it: 'Domanda non servita (spostamenti rimasti senza percorso)' },
  { key: 'linksOverCapacity', column: 'links_over_capacity', type: 'integer', digits: 0, unit: null, en: 'Road links over capacity', it: 'Archi stradali oltre la capacità' },
  { key: 'co2Kg', column: 'co2_kg', type: 'number', digits: 1, unit: 'kg', en: 'CO2 hot exhaust emissions in the hour', it: 'Emissioni allo scarico di CO2 nell’ora' },
  { key: 'noxKg', column: 'nox_kg', type: 'number', digits: 3, unit: 'kg', en: 'NOx hot exhaust emissions in the hour', it: 'Emissioni allo scarico di NOx nell’ora' },
  { key: 'pm25Kg', column: 'pm25_kg', type: 'number', digits: 4, unit: 'kg', en: 'PM2.5 hot exhaust emissions in the hour', it: 'Emissioni allo scarico di PM2.5 nell’ora' },
]

const kpiColumns = (k: Kpi): DatasetColumn[] => [
  col(k.column, k.type, `${k.en}, scenario`, `${k.it}, scenario`, k.unit),
  col(`${k.column}_delta`, k.type, `${k.en}: scenario minus base`, `${k.it}: scenario meno base`, k.unit),
]

const round = (x: number, digits: number): number | null => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null)
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export const scenarioResultsDataset: DatasetDefinition = {
  id: 'scenari-risultati',
  title: { it: 'Scenari di traffico pubblicati: risultati stimati', en: 'Published traffic scenarios: estimated results' },
  description: {
    it: 'Indicatori stimati dal modello di traffico del gemello digitale per gli scenari "what-if" pubblicati dal Comune (chiusure, cantieri, limiti di velocità, variazioni di domanda): per ogni scenario, l’ultima versione e ogni ora stimata, i veicoli·km, i veicoli·ora, la velocità media, il ritardo, la domanda non servita, gli archi oltre la capacità e le emissioni di CO2, NOx e PM2.5, con la differenza rispetto alla base. L’ora è l’ora locale (Europe/Rome). Sono stime di un modello, non misure.',
    en: 'Indicators estimated by the digital twin’s traffic model for the what-if scenarios the Comune has published (closures, works, speed limits, demand changes): for each scenario’s latest version and each hour estimated, vehicle-km, vehicle-hours, mean speed, delay, unserved demand, links over capacity and CO2, NOx and PM2.5 emissions, with the difference from the base. The hour is local time (Europe/Rome). These are model estimates, not measurements.',
  },
  keywords: ['scenari', 'traffico', 'modello di traffico', 'emissioni', 'pianificazione'],
  themes: ['TRAN', 'ENVI'],
  frequency: 'IRREG',
  licence: 'CC-BY-4.0',
  sources: ['Gemello – stime del modello di traffico del Comune di Bologna'],
  geometry: null,
  columns: [
    col('scenario_id', 'string', 'Scenario identifier', 'Identificativo dello scenario'),
    col('version', 'integer', 'Version of the scenario estimated (its latest)', 'Versione dello scenario stimata (l’ultima)'),
    col('title', 'string', 'Title of the scenario', 'Titolo dello scenario'),
    col('network', 'string', 'Network modelled: city (the city street graph) or a SUMO network', 'Rete modellata: city (il grafo stradale della città) o una rete SUMO'),
    col('base', 'string', 'The base the scenario is compared with: an observed day and hour, or a typical day-type profile', 'La base con cui lo scenario è confrontato: un giorno e un’ora osservati, o il profilo tipico di un tipo di giorno'),
    col('hour', 'integer', 'Hour estimated (0–23, Europe/Rome)', 'Ora stimata (0–23, Europe/Rome)'),
    ...KPIS.flatMap(kpiColumns),
    col('published_at', 'datetime', 'When the scenario was published (UTC)', 'Data di pubblicazione dello scenario (UTC)'),
    col('estimated_at', 'datetime', 'When the estimate was computed (UTC)', 'Data del calcolo della stima (UTC)'),
  ],
  async read(q) {
    // Only the columns named here are read: never created_by, status_changed_by, author or note.
    const r = await q.query<{ id: string; version: number; title: string; network: string | null; base: ScenarioBase; hour: number; estimate: unknown; published_ms: number | null }>(
      `SELECT s.id, s.latest_version AS version, v.document->>'title' AS title, v.document->>'network' AS network, v.document->'base' AS base,
         e.hour, e.estimate, round(extract(epoch FROM s.status_changed_at) * 1000)::float8 AS published_ms
       FROM scenario s
       JOIN scenario_version v ON v.scenario_id = s.id AND v.version = s.latest_version
       JOIN scenario_estimate e ON e.scenario_id = s.id AND e.version = s.latest_version
       WHERE s.status = 'published'
         AND e.computed_at >= coalesce((SELECT max(imported_at) FROM dataset_import), '-infinity'::timestamptz)
       ORDER BY s.id, e.hour`,
    )
    const rows: DatasetRow[] = []
    for (const x of r.rows) {
      // A cache row in an older shape of the DTO is not what the app would show either: left out.
      const parsed = ScenarioEstimateSchema.safeParse(x.estimate)
      if (!parsed.success) continue
      const e = parsed.data
      const properties: Record<string, CellValue> = {
        scenario_id: x.id, version: Number(x.version), title: x.title, network: x.network ?? 'city', base: describeBase(x.base), hour: Number(x.hour),
      }
      for (const k of KPIS) {
        properties[k.column] = round(e.compare[k.key].scenario, k.digits)
        properties[`${k.column}_delta`] = round(e.compare[k.key].delta, k.digits)
      }
      properties.published_at = iso(x.published_ms === null ? null : Number(x.published_ms))
      properties.estimated_at = iso(e.computedAtMs)
      rows.push({ geometry: null, properties })
    }
    return { rows, temporal: null }
  },
}
