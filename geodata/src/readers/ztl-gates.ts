/** Reads the ZTL enforcement camera gates (`varchi_ztl_telecamere.csv`, `,`-separated). */
import type { LonLat } from '../../../contracts/schemas/device'
import { readCsvTable } from './csv-table'
import { ProblemLog, type ReadResult } from './read-result'
import { BOLOGNA_ENVELOPE, checkLonLat, type Envelope } from './row-checks'

/** Props of a ztl-gate device. Other modules rely on these exact keys. */
export interface ZtlGateProps {
  varco: string
  nome: string
  descrizione: string
  /** Where the gate's traffic goes ("centro", "periferia", a street…). */
  direzione: string
  quartiere: string
  zona: string
  via: string
}

export interface ZtlGateRecord {
  row: number
  /** `ztl-<varco>`; the varco already reads `varco-n-78`. */
  deviceId: string
  name: string
  position: LonLat
  props: ZtlGateProps
}

const COLUMNS = ['varco', 'nome', 'descrizione', 'direzione', 'lon', 'lat', 'quartiere', 'zona', 'via'] as const
const ID_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,75}$/

/** Gate name: its `nome` and `descrizione` ("Santo Stefano — via Farini via Santo Stefano"). */
export function gateName(nome: string, descrizione: string): string {
  return descrizione === '' || descrizione === nome ? nome : `${nome} — ${descrizione}`
}

export function readZtlGates(file: string, opts: { envelope?: Envelope } = {}): ReadResult<ZtlGateRecord> {
  const env = opts.envelope ?? BOLOGNA_ENVELOPE
  const table = readCsvTable(file, COLUMNS)
  const log = new ProblemLog()
  for (const r of table.refused) log.reject(r.line, undefined, r.reason)
  const records: ZtlGateRecord[] = []
  const seen = new Map<string, number>()
  for (const row of table.rows) {
    const varco = row.get('varco')
    const nome = row.get('nome')
    if (varco === '') {
      log.reject(row.line, undefined, 'no varco (gate id)')
      continue
    }
    if (!ID_PART.test(varco)) {
      log.reject(row.line, varco, `varco "${varco}" cannot make a device id (letters, digits, ".", "-", "_"; at most 76)`)
      continue
    }
    const earlier = seen.get(varco)
    if (earlier !== undefined) {
      log.reject(row.line, varco, `duplicate varco (first at line ${earlier})`)
      continue
    }
    seen.set(varco, row.line)
    if (nome === '') {
      log.reject(row.line, varco, 'no name ("nome")')
      continue
    }
    const pos = checkLonLat(row.get('lon'), row.get('lat'), env)
    if ('problem' in pos) {
      log.reject(row.line, varco, pos.problem)
      continue
    }
    const descrizione = row.get('descrizione')
    records.push({
      row: row.line,
      deviceId: `ztl-${varco}`,
      name: gateName(nome, descrizione),
      position: pos.position,
      props: { varco, nome, descrizione, direzione: row.get('direzione'), quartiere: row.get('quartiere'), zona: row.get('zona'), via: row.get('via') },
    })
  }
  return log.result(records, table.dataRows)
}
