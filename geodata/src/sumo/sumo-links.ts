/**
 * Links a SUMO network to the open data, after its rows are written (same transaction):
 *  - each detector to its traffic-loop device: the loop code its id encodes equals the device's
 *    `props.codiceSpira`, or one of its `props.aliases` (loop 296 has two codes); else `match_note`
 *    says why;
 *  - each loop so matched to its street arc (`props.codiceArco` → street_arc.id);
 *  - each signal program already carries its intersection code (bologna-codes.ts).
 * What did not match becomes `kept:` problems of the import, and `sumoLinkSummary` gives the same
 * picture (plus the detector ↔ open-data loop distances) to the CLI and the tests.
 */
import type { Queryable } from '../../../server/src/db/adapter'
import type { ProblemLog } from '../readers/read-result'

export const NOTE_NO_CODE = 'the detector id does not encode a loop code ("<a>_<b>_<c>_<d>__l<lane>")'
export const NOTE_NO_REGISTRY = 'no traffic-loop device in the database (import bologna-loops before the SUMO networks)'
export const noteNotInRegistry = (code: string) => `no traffic-loop device has codice spira "${code}" (nor as an alias): the code is not in the loop registry`

export async function linkSumoNetwork(tx: Queryable, networkId: string, log: ProblemLog, lineOf: (detectorId: string) => number): Promise<void> {
  // Codes (main and aliases) as rows first, so the match is a plain hash join on text.
  await tx.query(
    `WITH codes AS (
       SELECT dev.id AS device_id, dev.props->>'codiceSpira' AS code, 0 AS alias FROM device dev WHERE dev.kind = 'traffic-loop'
       UNION ALL
       SELECT dev.id, a->>'codiceSpira', 1 FROM device dev
       CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(dev.props->'aliases') = 'array' THEN dev.props->'aliases' ELSE '[]'::jsonb END) a
       WHERE dev.kind = 'traffic-loop'
     ), m AS (
       SELECT DISTINCT ON (s.id) s.id, c.device_id
       FROM sumo_detector s JOIN codes c ON c.code = s.loop_code
       WHERE s.network_id = $1
       ORDER BY s.id, c.alias, c.device_id
     )
     UPDATE sumo_detector d SET device_id = m.device_id, match_note = NULL FROM m WHERE d.network_id = $1 AND d.id = m.id`,
    [networkId],
  )
  const loops = (await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM device WHERE kind = 'traffic-loop'")).rows[0]?.n ?? 0
  await tx.query(
    `UPDATE sumo_detector SET match_note = CASE WHEN loop_code IS NULL THEN $2::text WHEN $3::boolean THEN $4::text ELSE format($5::text, loop_code) END
     WHERE network_id = $1 AND device_id IS NULL`,
    [networkId, NOTE_NO_CODE, loops === 0, NOTE_NO_REGISTRY, noteNotInRegistry('%s')],
  )
  const unmatched = await tx.query<{ id: string; match_note: string }>(
    'SELECT id, match_note FROM sumo_detector WHERE network_id = $1 AND device_id IS NULL ORDER BY id',
    [networkId],
  )
  for (const d of unmatched.rows) log.note(lineOf(d.id), d.id, `detector ${d.id} not linked to an open-data loop: ${d.match_note}`)

  const s = await sumoLinkSummary(tx, networkId)
  for (const l of s.loopsWithoutArc) log.note(0, l.deviceId, `loop ${l.deviceId} (codice spira "${l.loopCode}", detector(s) of ${networkId}) has codice arco ${l.codiceArco ?? '(none)'}, which is not in the street graph (street_arc)`)
  for (const p of s.programsWithoutCode) log.note(0, p, `tlLogic ${p}: the id is not a 3-digit Bologna intersection code; intersection_code left empty`)
  const d = s.distanceM
  log.note(
    0,
    undefined,
    `${s.matched} of ${s.detectors} detectors linked to open-data loops` +
      (d ? `; distance to the loop's open-data position: median ${d.median.toFixed(1)} m, max ${d.max.toFixed(1)} m (${d.maxDetector})` : ''),
  )
}

export interface SumoLinkSummary {
  networkId: string
  detectors: number
  matched: number
  unmatched: Array<{ id: string; loopCode: string | null; note: string }>
  /** Distinct loop devices the detectors matched. */
  loops: number
  loopsWithoutArc: Array<{ deviceId: string; loopCode: string; codiceArco: string | null }>
  programs: number
  /** "tlsId/programId" of programs without an intersection code. */
  programsWithoutCode: string[]
  /** Per intersection code of the network's programs: how many registry loops name it. */
  intersections: Array<{ tlsId: string; intersectionCode: string; registryLoops: number }>
  /** Detector ↔ matched loop device, metres on the WGS 84 ellipsoid; null when none matched. */
  distanceM: { median: number; max: number; maxDetector: string } | null
}

export async function sumoLinkSummary(q: Queryable, networkId: string): Promise<SumoLinkSummary> {
  const dets = await q.query<{ id: string; loop_code: string | null; device_id: string | null; match_note: string | null; dist: number | null }>(
    `SELECT d.id, d.loop_code, d.device_id, d.match_note, ST_Distance(d.geom::geography, dev.geom::geography) AS dist
     FROM sumo_detector d LEFT JOIN device dev ON dev.id = d.device_id
     WHERE d.network_id = $1 ORDER BY d.id`,
    [networkId],
  )
  const arcs = await q.query<{ device_id: string; loop_code: string; arc: string | null }>(
    `SELECT DISTINCT ON (dev.id) dev.id AS device_id, dev.props->>'codiceSpira' AS loop_code, dev.props->>'codiceArco' AS arc
     FROM sumo_detector d JOIN device dev ON dev.id = d.device_id
     WHERE d.network_id = $1 AND NOT EXISTS (SELECT 1 FROM street_arc a WHERE a.id = dev.props->>'codiceArco')
     ORDER BY dev.id`,
    [networkId],
  )
  const programs = await q.query<{ tls_id: string; program_id: string; code: string | null; loops: number }>(
    `SELECT p.tls_id, p.program_id, p.intersection_code AS code,
       (SELECT count(*)::int FROM device dev WHERE dev.kind = 'traffic-loop' AND p.intersection_code IS NOT NULL
          AND p.intersection_code = ANY((string_to_array(dev.props->>'codiceSpira', ' '))[1:2])) AS loops
     FROM sumo_tls_program p WHERE p.network_id = $1 ORDER BY p.tls_id, p.program_id`,
    [networkId],
  )
  const matched = dets.rows.filter((d) => d.device_id !== null)
  const dist = matched.map((d) => ({ id: d.id, m: Number(d.dist) })).sort((a, b) => a.m - b.m)
  const far = dist[dist.length - 1]
  const median = dist.length === 0 ? 0 : dist.length % 2 ? (dist[(dist.length - 1) / 2]?.m ?? 0) : ((dist[dist.length / 2 - 1]?.m ?? 0) + (dist[dist.length / 2]?.m ?? 0)) / 2
  const intersections = new Map<string, { tlsId: string; intersectionCode: string; registryLoops: number }>()
  for (const p of programs.rows) if (p.code !== null) intersections.set(p.tls_id, { tlsId: p.tls_id, intersectionCode: p.code, registryLoops: p.loops })
  return {
    networkId,
    detectors: dets.rows.length,
    matched: matched.length,
    unmatched: dets.rows.filter((d) => d.device_id === null).map((d) => ({ id: d.id, loopCode: d.loop_code, note: d.match_note ?? '' })),
    loops: new Set(matched.map((d) => d.device_id)).size,
    loopsWithoutArc: arcs.rows.map((a) => ({ deviceId: a.device_id, loopCode: a.loop_code, codiceArco: a.arc })),
    programs: programs.rows.length,
    programsWithoutCode: programs.rows.filter((p) => p.code === null).map((p) => `${p.tls_id}/${p.program_id}`),
    intersections: [...intersections.values()],
    distanceM: far ? { median, max: far.m, maxDetector: far.id } : null,
  }
}

/** The summary as lines for a terminal. */
export function formatSumoLinkSummary(s: SumoLinkSummary): string[] {
  const lines = [`${s.networkId}: ${s.matched} of ${s.detectors} detectors linked to ${s.loops} open-data loops`]
  if (s.distanceM) lines.push(`  detector ↔ open-data loop position: median ${s.distanceM.median.toFixed(1)} m, max ${s.distanceM.max.toFixed(1)} m (${s.distanceM.maxDetector})`)
  for (const u of s.unmatched) lines.push(`  unmatched ${u.id}: ${u.note}`)
  for (const l of s.loopsWithoutArc) lines.push(`  loop ${l.deviceId} ("${l.loopCode}"): codice arco ${l.codiceArco ?? '(none)'} not in the street graph`)
  lines.push(`  ${s.programs} signal programs; intersections: ${s.intersections.map((i) => `${i.tlsId}→${i.intersectionCode} (${i.registryLoops} loops)`).join(', ')}`)
  for (const p of s.programsWithoutCode) lines.push(`  program ${p}: no intersection code`)
  return lines
}
