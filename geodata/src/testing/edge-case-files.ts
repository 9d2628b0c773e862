/**
 * Writes small source files for tests, deterministically: a loop registry or counts CSV, a gate
 * CSV, a GeoJSON FeatureCollection, an ARPAE series directory. Each row starts from a valid
 * default and takes partial overrides, so a test states only the edge case it is about.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { HOUR_COLUMNS } from '../readers/loop-counts'

const tempDirs: string[] = []

/** A fresh temporary directory; `removeTempDirs` (in an afterAll) deletes them all. */
export function makeTempDir(prefix = 'gemello-geodata-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  tempDirs.push(dir)
  return dir
}

export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true })
}

type Row = Record<string, string>

function quote(cell: string, delimiter: string): string {
  return cell.includes(delimiter) || cell.includes('"') || cell.includes('\n') ? `"${cell.replace(/"/g, '""')}"` : cell
}

/** Writes a CSV with `header`; each row lists cells by column name (missing = ''), or raw lines as strings. */
export function writeCsv(file: string, header: readonly string[], rows: ReadonlyArray<Row | string>, delimiter = ';'): string {
  mkdirSync(path.dirname(file), { recursive: true })
  const lines = [header.map((h) => quote(h, delimiter)).join(delimiter)]
  for (const r of rows) lines.push(typeof r === 'string' ? r : header.map((h) => quote(r[h] ?? '', delimiter)).join(delimiter))
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

export const LOOP_REGISTRY_HEADER = [
  'codice spira', 'id_uni', 'Livello', 'tipologia', 'codice', 'codice arco', 'codice via', 'Nome via', 'Nodo da', 'Nodo a', 'ordinanza',
  'stato', 'codimpsem', 'direzione', 'angolo', 'longitudine', 'latitudine', 'geopoint', 'ID_univoco_stazione_spira', 'sensor_key',
] as const

/** A valid registry row for loop `n` near Piazza Maggiore; override any cell. */
export function loopRegistryRow(n: number, overrides: Row = {}): Row {
  const lon = (11.34 + n * 0.001).toFixed(7)
  const lat = (44.49 + n * 0.0005).toFixed(7)
  return {
    'codice spira': `9.${n} 9.${n + 1} 1 1`,
    id_uni: String(9000 + n),
    Livello: '1',
    tipologia: 'spira',
    codice: String(n),
    'codice arco': String(100 + n),
    'codice via': '12345',
    'Nome via': `VIA DI PROVA ${n}`,
    'Nodo da': '1',
    'Nodo a': '2',
    ordinanza: '4000/343434',
    stato: 'A',
    codimpsem: '7',
    direzione: 'N',
    angolo: '10',
    longitudine: lon,
    latitudine: lat,
    geopoint: `${lat}, ${lon}`,
    ID_univoco_stazione_spira: String(n),
    sensor_key: `${9000 + n}_x`,
    ...overrides,
  }
}

export const LOOP_COUNTS_HEADER = [
  'data', 'codice_spira', ...HOUR_COLUMNS, 'id_uni', 'Livello', 'tipologia', 'codice', 'codice arco', 'codice via', 'Nome via', 'Nodo da', 'Nodo a',
  'ordinanza', 'stato', 'codimpsem', 'direzione', 'angolo', 'longitudine', 'latitudine', 'geopoint', 'ID_univoco_stazione_spira', 'giorno settimana',
] as const

/** "11.3282993665462" → "113.282.993.665.462": the thousands-separator corruption of the 2024 counts export. */
export function corruptLikeCountsExport(decimal: string): string {
  const digits = decimal.replace('.', '')
  const groups: string[] = []
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end))
  return groups.join('.')
}

/** A valid counts row for loop `idUni` on `date` (dd/mm/yyyy); hour h counts 10 + h unless overridden. */
export function loopCountsRow(idUni: string, date: string, overrides: Row = {}): Row {
  const lon = '11.3282993665462'
  const lat = '44.4937079783006'
  const hours: Row = Object.fromEntries(HOUR_COLUMNS.map((c, h) => [c, String(10 + h)]))
  return {
    data: date,
    codice_spira: `0.1 ${idUni} 1 1`,
    ...hours,
    id_uni: idUni,
    Livello: '1',
    tipologia: 'spira',
    'Nome via': 'VIA DI PROVA',
    longitudine: corruptLikeCountsExport(lon),
    latitudine: corruptLikeCountsExport(lat),
    geopoint: `${lat}, ${lon}`,
    ...overrides,
  }
}

export const ZTL_GATES_HEADER = ['varco', 'nome', 'descrizione', 'direzione', 'lon', 'lat', 'quartiere', 'zona', 'via', 'distanza_m'] as const

export function ztlGateRow(n: number, overrides: Row = {}): Row {
  return {
    varco: `varco-t-${n}`,
    nome: `Prova ${n}`,
    descrizione: `via di Prova ${n}`,
    direzione: 'centro',
    lon: String(11.34 + n * 0.001),
    lat: String(44.49 + n * 0.001),
    quartiere: 'Santo Stefano',
    zona: 'Galvani',
    via: 'VIA DI PROVA',
    distanza_m: '1.0',
    ...overrides,
  }
}

export interface TestFeature {
  properties: Record<string, unknown>
  geometry: unknown
}

/** Writes a FeatureCollection; `extra` adds top-level members (e.g. a `crs`). */
export function writeFeatureCollection(file: string, features: readonly TestFeature[], extra: Record<string, unknown> = {}): string {
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', ...extra, features: features.map((f) => ({ type: 'Feature', ...f })) }))
  return file
}

/** A closed square ring of `sizeDeg` at (lon, lat). */
export function square(lon: number, lat: number, sizeDeg = 0.001): number[][] {
  return [
    [lon, lat],
    [lon + sizeDeg, lat],
    [lon + sizeDeg, lat + sizeDeg],
    [lon, lat + sizeDeg],
    [lon, lat],
  ]
}

/** A self-intersecting "bow-tie" ring: structurally fine, invalid for PostGIS. */
export function bowTie(lon: number, lat: number, sizeDeg = 0.001): number[][] {
  return [
    [lon, lat],
    [lon + sizeDeg, lat + sizeDeg],
    [lon + sizeDeg, lat],
    [lon, lat + sizeDeg],
    [lon, lat],
  ]
}
