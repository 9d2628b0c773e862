/**
 * Reads the registry of traffic loops (`spire_anagrafica_2024.csv`): one record per loop, keyed
 * by `id_uni`. The registry has one id_uni on two rows (296: codes "0.127 2.30 6 1" and
 * "2.30 2.30 6 1", same place, same arc, two counting stations): one physical loop known under two
 * codes. It becomes one device; `pickPerIdUni` chooses the main code and the other is kept in
 * `props.aliases`, so every one of the 864 codes still resolves (SUMO detectors, counts files).
 */
import type { LonLat } from '../../../contracts/schemas/device'
import { readCsvTable, type CsvRow } from './csv-table'
import { loopPosition } from './loop-position'
import { ProblemLog, type ReadResult } from './read-result'
import { BOLOGNA_ENVELOPE, parseDecimal, type Envelope } from './row-checks'

/** Props of a traffic-loop device. Other modules rely on these exact keys. */
export interface LoopProps {
  codiceSpira: string
  idUni: string
  /** ID_univoco_stazione_spira: the counting station the loop belongs to. */
  stationId: string
  street: string
  codiceVia: string
  /** Joins street_arc.id (stradario codarco). */
  codiceArco: string
  nodoDa: string
  nodoA: string
  /** Compass direction of travel (N, NE, E, …), '' when not given. */
  direction: string
  /** Direction of travel in degrees, null when not given. */
  angle: number | null
  /** Signal plant (impianto semaforico) the loop belongs to. */
  codimpsem: string
  livello: number | null
  tipologia: string
  stato: string
  /** Other registry rows with the same id_uni: the same loop under another code / station. */
  aliases: Array<{ codiceSpira: string; stationId: string; livello: number | null }>
}

export interface LoopRecord {
  row: number
  idUni: string
  name: string
  position: LonLat
  props: LoopProps
}

export const LOOP_REGISTRY_COLUMNS = [
  'codice spira',
  'id_uni',
  'Livello',
  'tipologia',
  'codice arco',
  'codice via',
  'Nome via',
  'Nodo da',
  'Nodo a',
  'stato',
  'codimpsem',
  'direzione',
  'angolo',
  'longitudine',
  'latitudine',
  'geopoint',
  'ID_univoco_stazione_spira',
] as const

/** Loop device name: "<Nome via> (<codice spira>)". */
export function loopName(street: string, codiceSpira: string): string {
  return `${street} (${codiceSpira})`
}

function optionalNumber(text: string): number | null {
  const n = parseDecimal(text)
  return Number.isFinite(n) ? n : null
}

/**
 * Several rows with one id_uni: the row with the lowest `Livello` is the loop (level 1 is the
 * main level, 814 of 864 loops); on a tie the first row in the file. Returns the chosen line per id.
 */
export function pickPerIdUni(rows: Array<{ line: number; idUni: string; livello: number | null }>): Map<string, number> {
  const best = new Map<string, { line: number; livello: number }>()
  for (const r of rows) {
    const livello = r.livello ?? Number.POSITIVE_INFINITY
    const cur = best.get(r.idUni)
    if (!cur || livello < cur.livello) best.set(r.idUni, { line: r.line, livello })
  }
  return new Map([...best].map(([id, b]) => [id, b.line]))
}

export function readLoopRegistry(file: string, opts: { envelope?: Envelope } = {}): ReadResult<LoopRecord> {
  const env = opts.envelope ?? BOLOGNA_ENVELOPE
  const table = readCsvTable(file, LOOP_REGISTRY_COLUMNS)
  const log = new ProblemLog()
  for (const r of table.refused) log.reject(r.line, undefined, r.reason)

  const candidates: LoopRecord[] = []
  for (const row of table.rows) {
    const rec = toRecord(row, env, log)
    if (rec) candidates.push(rec)
  }
  const chosen = pickPerIdUni(candidates.map((c) => ({ line: c.row, idUni: c.idUni, livello: c.props.livello })))
  const byLine = new Map(candidates.map((c) => [c.row, c]))
  const records: LoopRecord[] = []
  for (const c of candidates) {
    const keptLine = chosen.get(c.idUni)
    if (keptLine === c.row) {
      records.push(c)
      continue
    }
    const kept = byLine.get(keptLine ?? -1)
    if (kept && samePlace(kept, c)) {
      kept.props.aliases.push({ codiceSpira: c.props.codiceSpira, stationId: c.props.stationId, livello: c.props.livello })
      log.note(
        c.row,
        c.idUni,
        `id_uni ${c.idUni} is also on line ${keptLine} at the same place: one loop with two codes; loop-${c.idUni} has codice spira "${kept.props.codiceSpira}" (Livello ${kept.props.livello ?? '–'}) and this row's "${c.props.codiceSpira}" (Livello ${c.props.livello ?? '–'}, station ${c.props.stationId}) as an alias`,
      )
      continue
    }
    log.reject(
      c.row,
      c.idUni,
      `duplicate id_uni ${c.idUni} at another place than line ${keptLine} (codice spira "${kept?.props.codiceSpira}"): two loops cannot share an id; this row (codice spira "${c.props.codiceSpira}") is not imported`,
    )
  }
  return log.result(records, table.dataRows)
}

/** Two registry rows describe one physical loop when they sit on the same point of the same arc. */
function samePlace(a: LoopRecord, b: LoopRecord): boolean {
  return a.props.codiceArco === b.props.codiceArco && Math.abs(a.position[0] - b.position[0]) < 1e-7 && Math.abs(a.position[1] - b.position[1]) < 1e-7
}

function toRecord(row: CsvRow, env: Envelope, log: ProblemLog): LoopRecord | null {
  const idUni = row.get('id_uni')
  const codiceSpira = row.get('codice spira')
  const street = row.get('Nome via')
  if (idUni === '') {
    log.reject(row.line, undefined, 'no id_uni')
    return null
  }
  if (!/^[A-Za-z0-9._-]{1,75}$/.test(idUni)) {
    log.reject(row.line, idUni, `id_uni "${idUni}" cannot make a device id (letters, digits, ".", "-", "_"; at most 75)`)
    return null
  }
  if (street === '') {
    log.reject(row.line, idUni, 'no street name ("Nome via")')
    return null
  }
  if (codiceSpira === '') {
    log.reject(row.line, idUni, 'no "codice spira"')
    return null
  }
  const pos = loopPosition(row.get('longitudine'), row.get('latitudine'), row.get('geopoint'), env)
  if (!pos.position) {
    log.reject(row.line, idUni, pos.problem ?? 'no position')
    return null
  }
  if (pos.note) log.note(row.line, idUni, pos.note)
  return {
    row: row.line,
    idUni,
    name: loopName(street, codiceSpira),
    position: pos.position,
    props: {
      codiceSpira,
      idUni,
      stationId: row.get('ID_univoco_stazione_spira'),
      street,
      codiceVia: row.get('codice via'),
      codiceArco: row.get('codice arco'),
      nodoDa: row.get('Nodo da'),
      nodoA: row.get('Nodo a'),
      direction: row.get('direzione'),
      angle: optionalNumber(row.get('angolo')),
      codimpsem: row.get('codimpsem'),
      livello: optionalNumber(row.get('Livello')),
      tipologia: row.get('tipologia'),
      stato: row.get('stato'),
      aliases: [],
    },
  }
}
