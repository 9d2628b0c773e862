/**
 * Parses SUMO additional files for what Gemello stores of them: signal programs (`<tlLogic>`, e.g.
 * Bologna's UTOPIA plans) and e1 detectors (`<e1Detector>` / its alias `<inductionLoop>`). Other
 * elements (bus stops, vTypes, …) are ignored. The root may be `<additional>` or `<add>`. Pure.
 */
import { ProblemLog, DatasetFileError, type RowProblem } from '../readers/read-result'
import type { SumoAdditional, SumoDetector, SumoPhase, SumoTlLogic } from './sumo-net'
import { attr, children, elementLines, numberAttr, otherAttributes, parseXml, type XmlElement } from './sumo-xml'

export interface SumoAdditionalParse {
  additional: SumoAdditional
  problems: RowProblem[]
  elements: number
  rejected: number
}

const ROOTS = ['additional', 'add'] as const
const DETECTOR_TAGS = ['e1Detector', 'inductionLoop'] as const

export function parseSumoAdditional(xml: string, file: string): SumoAdditionalParse {
  const doc = parseXml(xml, file)
  const root = ROOTS.map((r) => doc[r]).find((r): r is XmlElement => typeof r === 'object' && r !== null)
  const empty = ROOTS.some((r) => doc[r] === '')
  const base = file.split(/[\\/]/).pop() ?? file
  if (!root && !empty) throw new DatasetFileError(`${file} is not a SUMO additional file: its root element is not <additional>.`, file)
  const lines = elementLines(xml, ['tlLogic', ...DETECTOR_TAGS])
  const log = new ProblemLog()
  const tlEls = children(root, 'tlLogic')
  const tlLogics = tlEls.flatMap((el, i) => readTlLogic(el, lines.get('tlLogic')?.[i] ?? 0, base, 'additional', log) ?? [])
  const detectors: SumoDetector[] = []
  let detectorCount = 0
  for (const tag of DETECTOR_TAGS) {
    children(root, tag).forEach((el, i) => {
      detectorCount++
      const d = readDetector(el, lines.get(tag)?.[i] ?? 0, base, tag, log)
      if (d) detectors.push(d)
    })
  }
  detectors.sort((a, b) => a.line - b.line)
  return { additional: { file: base, tlLogics, detectors }, problems: log.problems, elements: tlEls.length + detectorCount, rejected: log.rejected }
}

/** One `<tlLogic>` with its phases and params; null (and a problem) when it cannot be used. */
export function readTlLogic(el: XmlElement, line: number, file: string, source: 'net' | 'additional', log: ProblemLog): SumoTlLogic | null {
  const id = attr(el, 'id')
  const programId = attr(el, 'programID')
  if (!id || programId === undefined) {
    log.reject(line, id, `tlLogic ${id ?? '(no id)'} in ${file}: attribute ${id ? 'programID' : 'id'} is missing`)
    return null
  }
  const label = `${id}/${programId}`
  const offset = numberAttr(el, 'offset', false)
  if (typeof offset === 'string') {
    log.reject(line, label, `tlLogic ${label}: ${offset}`)
    return null
  }
  const phases: SumoPhase[] = []
  for (const [i, p] of children(el, 'phase').entries()) {
    const phase = readPhase(p)
    if (typeof phase === 'string') {
      log.reject(line, label, `tlLogic ${label}: phase ${i + 1} ${phase}`)
      return null
    }
    phases.push(phase)
  }
  if (phases.length === 0) {
    log.reject(line, label, `tlLogic ${label} has no phase`)
    return null
  }
  const params: Record<string, string> = {}
  for (const p of children(el, 'param')) {
    const key = attr(p, 'key')
    if (key !== undefined) params[key] = attr(p, 'value') ?? ''
  }
  const unstored = Object.keys(el).filter((k) => typeof el[k] !== 'string' && k !== 'phase' && k !== 'param')
  if (unstored.length > 0) log.note(line, label, `tlLogic ${label}: <${unstored.join('>, <')}> elements are not stored (only phases and params are)`)
  return { line, file, source, id, type: attr(el, 'type') ?? 'static', programId, offsetS: offset ?? 0, phases, params }
}

function readPhase(p: XmlElement): SumoPhase | string {
  const duration = numberAttr(p, 'duration', true)
  if (typeof duration === 'string') return duration
  const state = attr(p, 'state')
  if (state === undefined || !/^[rygGsuoO]+$/.test(state)) return `has no valid state ("${state ?? ''}")`
  const phase: SumoPhase = { duration, state }
  for (const k of ['minDur', 'maxDur'] as const) {
    const v = numberAttr(p, k, false)
    if (typeof v === 'string') return v
    if (v !== null) phase[k] = v
  }
  const name = attr(p, 'name')
  if (name !== undefined) phase.name = name
  const rest = otherAttributes(p, ['duration', 'state', 'minDur', 'maxDur', 'name'])
  if (Object.keys(rest).length > 0) phase.attrs = rest
  return phase
}

function readDetector(el: XmlElement, line: number, file: string, tag: string, log: ProblemLog): SumoDetector | null {
  const id = attr(el, 'id')
  const lane = attr(el, 'lane')
  const pos = numberAttr(el, 'pos', true)
  // `period` replaced `freq` in SUMO 1.x; either is accepted.
  const freq = attr(el, 'period') !== undefined ? numberAttr(el, 'period', false) : numberAttr(el, 'freq', false)
  const bad = !id ? 'attribute id is missing' : !lane ? 'attribute lane is missing' : [pos, freq].find((v) => typeof v === 'string')
  if (typeof bad === 'string') {
    log.reject(line, id, `${tag} ${id ?? ''} in ${file}: ${bad}`)
    return null
  }
  return {
    line,
    file,
    id: id as string,
    laneId: lane as string,
    posM: pos as number,
    freqS: freq as number | null,
    outputFile: attr(el, 'file') ?? '',
    attrs: otherAttributes(el, ['id', 'lane', 'pos', 'freq', 'period', 'file']),
  }
}
