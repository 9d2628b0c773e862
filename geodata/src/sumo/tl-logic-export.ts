/**
 * Exports stored signal programs as a SUMO additional file (`<additional><tlLogic …><phase …/>`),
 * faithful to what was imported: type, offset, every phase with duration, state, minDur, maxDur,
 * name and any other phase attribute, and the params. Loading it with the network
 * (`sumo -n net.xml --additional-files exported.add.xml`) gives SUMO the same programs.
 *
 * A program that came from the network itself (source 'net', e.g. programID "0") clashes with the
 * network's own copy when loaded with it: pick the additional ones with `programIds`.
 */
import type { Queryable } from '../../../server/src/db/adapter'
import type { SumoPhase } from './sumo-net'

export interface StoredProgram {
  tlsId: string
  programId: string
  type: string
  offsetS: number
  phases: SumoPhase[]
  params: Record<string, string>
}

export async function exportTlLogic(q: Queryable, networkId: string, opts: { programIds?: readonly string[] } = {}): Promise<string> {
  const net = await q.query('SELECT 1 FROM sumo_network WHERE id = $1', [networkId])
  if (net.rows.length === 0) throw new Error(`SUMO network "${networkId}" is not imported`)
  const r = await q.query<StoredProgram>(
    `SELECT tls_id AS "tlsId", program_id AS "programId", program_type AS type, offset_s AS "offsetS", phases, params
     FROM sumo_tls_program WHERE network_id = $1 AND ($2::text[] IS NULL OR program_id = ANY($2::text[]))
     ORDER BY tls_id, program_id`,
    [networkId, opts.programIds ?? null],
  )
  const missing = (opts.programIds ?? []).filter((p) => !r.rows.some((row) => row.programId === p))
  if (missing.length > 0) {
    const all = await q.query<{ p: string }>('SELECT DISTINCT program_id AS p FROM sumo_tls_program WHERE network_id = $1 ORDER BY 1', [networkId])
    throw new Error(`SUMO network "${networkId}" has no signal program with programID ${missing.map((m) => `"${m}"`).join(', ')} (it has: ${all.rows.map((a) => a.p).join(', ') || 'none'})`)
  }
  return tlLogicXml(r.rows)
}

const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const attrs = (pairs: Array<[string, string | number | undefined]>) =>
  pairs.filter((p): p is [string, string | number] => p[1] !== undefined).map(([k, v]) => ` ${k}="${esc(String(v))}"`).join('')

/** The additional-file XML of these programs, in the given order. */
export function tlLogicXml(programs: readonly StoredProgram[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<additional>']
  for (const p of programs) {
    out.push(`    <tlLogic${attrs([['id', p.tlsId], ['type', p.type], ['programID', p.programId], ['offset', p.offsetS]])}>`)
    for (const ph of p.phases) {
      const extra = Object.entries(ph.attrs ?? {})
      out.push(`        <phase${attrs([['duration', ph.duration], ['state', ph.state], ['minDur', ph.minDur], ['maxDur', ph.maxDur], ['name', ph.name], ...extra])}/>`)
    }
    for (const [key, value] of Object.entries(p.params)) out.push(`        <param${attrs([['key', key], ['value', value]])}/>`)
    out.push('    </tlLogic>')
  }
  out.push('</additional>', '')
  return out.join('\n')
}
