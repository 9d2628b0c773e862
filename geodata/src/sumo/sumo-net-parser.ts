/**
 * Parses any SUMO .net.xml that carries a `<location … projParameter=…>` (not only Bologna's):
 * edges (internal ones too, marked `func = 'internal'`: connections' `via` names their lanes),
 * lanes with their shapes, junctions with their `<request>` foe/response matrices, connections,
 * the default signal programs, roundabouts and prohibitions. Pure: text in, values out.
 *
 * An element that cannot be used (a lane without a speed, a connection without lanes) is refused
 * with its line; a file without georeferencing is refused as a whole, since every position in it
 * would be a guess.
 */
import { ProblemLog, DatasetFileError, type ReadResult, type RowProblem } from '../readers/read-result'
import { readTlLogic } from './sumo-additional-parser'
import type { NetXy, SumoConnection, SumoEdge, SumoJunction, SumoLane, SumoLocation, SumoNet, SumoRequest } from './sumo-net'
import { attr, children, elementLines, idList, numberAttr, otherAttributes, parseShape, parseXml, type XmlElement } from './sumo-xml'

export interface SumoNetParse {
  net: SumoNet
  problems: RowProblem[]
  /** Elements read (edges, lanes, junctions, connections, signal programs). */
  elements: number
  rejected: number
}

const TAGS = ['edge', 'lane', 'junction', 'connection', 'tlLogic'] as const

export function parseSumoNet(xml: string, file: string): SumoNetParse {
  const root = parseXml(xml, file).net as XmlElement | undefined
  if (typeof root !== 'object' || root === null) throw new DatasetFileError(`${file} is not a SUMO network: it has no <net> root element.`, file)
  const location = readLocation(root, file)
  const lines = elementLines(xml, TAGS)
  const lineOf = (tag: (typeof TAGS)[number], i: number) => lines.get(tag)?.[i] ?? 0
  const log = new ProblemLog()
  let laneCount = 0

  const edges: SumoEdge[] = []
  children(root, 'edge').forEach((el, i) => {
    const line = lineOf('edge', i)
    const laneEls = children(el, 'lane')
    const firstLane = laneCount
    laneCount += laneEls.length
    const edge = readEdge(el, line, log)
    if (!edge) return
    laneEls.forEach((l, j) => {
      const lane = readLane(l, lineOf('lane', firstLane + j), edge.id, log)
      if (lane) edge.lanes.push(lane)
    })
    if (edge.lanes.length === 0) log.reject(line, edge.id, `edge ${edge.id} has no usable lane`)
    else edges.push(edge)
  })

  const junctions: SumoJunction[] = []
  children(root, 'junction').forEach((el, i) => {
    const j = readJunction(el, lineOf('junction', i), log)
    if (j) junctions.push(j)
  })

  const connections: SumoConnection[] = []
  children(root, 'connection').forEach((el, i) => {
    const c = readConnection(el, lineOf('connection', i), log)
    if (c) connections.push(c)
  })

  const base = file.split(/[\\/]/).pop() ?? file
  const tlLogics = children(root, 'tlLogic').flatMap((el, i) => readTlLogic(el, lineOf('tlLogic', i), base, 'net', log) ?? [])

  const net: SumoNet = {
    file: base,
    version: attr(root, 'version') ?? null,
    location,
    edges,
    junctions,
    connections,
    tlLogics,
    roundabouts: children(root, 'roundabout').map((r) => ({ nodes: idList(attr(r, 'nodes')), edges: idList(attr(r, 'edges')) })),
    prohibitions: children(root, 'prohibition').map((p) => ({ prohibitor: attr(p, 'prohibitor') ?? '', prohibited: attr(p, 'prohibited') ?? '' })),
  }
  const result: ReadResult<never> = log.result([], 0)
  const elements = children(root, 'edge').length + laneCount + children(root, 'junction').length + children(root, 'connection').length + children(root, 'tlLogic').length
  return { net, problems: result.problems, elements, rejected: result.rejected }
}

function readLocation(root: XmlElement, file: string): SumoLocation {
  const [loc] = children(root, 'location')
  if (!loc) throw new DatasetFileError(`${file} has no <location> element: the network is not georeferenced, so it cannot be placed on the map.`, file)
  const proj = attr(loc, 'projParameter')?.trim()
  if (!proj || proj === '!') {
    throw new DatasetFileError(
      `${file}: <location projParameter="${proj ?? ''}"> gives no projection: the network is not georeferenced. Rebuild it with netconvert --proj.utm (or --proj "<PROJ string>").`,
      file,
    )
  }
  const offset = numberList(attr(loc, 'netOffset'))
  const conv = numberList(attr(loc, 'convBoundary'))
  if (!offset || offset.length !== 2) throw new DatasetFileError(`${file}: <location netOffset="${attr(loc, 'netOffset') ?? ''}"> is not "x,y".`, file)
  if (!conv || conv.length !== 4) throw new DatasetFileError(`${file}: <location convBoundary="${attr(loc, 'convBoundary') ?? ''}"> is not "xmin,ymin,xmax,ymax".`, file)
  return {
    netOffset: [offset[0] as number, offset[1] as number],
    convBoundary: conv as [number, number, number, number],
    origBoundary: numberList(attr(loc, 'origBoundary')),
    projParameter: proj,
  }
}

function numberList(raw: string | undefined): number[] | null {
  if (raw === undefined) return null
  const n = raw.split(',').map((s) => Number(s))
  return n.every((v) => Number.isFinite(v)) ? n : null
}

function shapeOrProblem(el: XmlElement, min: number): NetXy[] | null | string {
  const raw = attr(el, 'shape')
  if (raw === undefined || raw.trim() === '') return null
  const s = parseShape(raw)
  if (typeof s === 'string') return s
  return s.length < min ? `shape has ${s.length} position(s), needs ${min}` : s
}

function readEdge(el: XmlElement, line: number, log: ProblemLog): SumoEdge | null {
  const id = attr(el, 'id')
  if (!id) {
    log.reject(line, undefined, 'edge without id')
    return null
  }
  const shape = shapeOrProblem(el, 2)
  if (typeof shape === 'string') log.note(line, id, `edge ${id}: ${shape}; its middle lane's shape is used instead`)
  const priority = numberAttr(el, 'priority', false)
  return {
    line,
    id,
    from: attr(el, 'from') ?? null,
    to: attr(el, 'to') ?? null,
    name: attr(el, 'name') ?? null,
    type: attr(el, 'type') ?? null,
    priority: typeof priority === 'number' ? priority : null,
    func: attr(el, 'function') ?? 'normal',
    shape: typeof shape === 'string' ? null : shape,
    lanes: [],
    attrs: otherAttributes(el, ['id', 'from', 'to', 'name', 'type', 'priority', 'function', 'shape']),
  }
}

function readLane(el: XmlElement, line: number, edgeId: string, log: ProblemLog): SumoLane | null {
  const id = attr(el, 'id')
  if (!id) {
    log.reject(line, undefined, `lane of edge ${edgeId} without id`)
    return null
  }
  const index = numberAttr(el, 'index', true)
  const speed = numberAttr(el, 'speed', true)
  const length = numberAttr(el, 'length', true)
  const width = numberAttr(el, 'width', false)
  const shape = shapeOrProblem(el, 2)
  const bad = [index, speed, length, width].find((v) => typeof v === 'string') ?? (typeof shape === 'string' ? shape : shape === null ? 'shape is missing' : undefined)
  if (typeof bad === 'string') {
    log.reject(line, id, `lane ${id}: ${bad}`)
    return null
  }
  return {
    line,
    id,
    index: index as number,
    speedMs: speed as number,
    lengthM: length as number,
    widthM: width as number | null,
    allow: attr(el, 'allow') ?? null,
    disallow: attr(el, 'disallow') ?? null,
    shape: shape as NetXy[],
    attrs: otherAttributes(el, ['id', 'index', 'speed', 'length', 'width', 'allow', 'disallow', 'shape']),
  }
}

function readJunction(el: XmlElement, line: number, log: ProblemLog): SumoJunction | null {
  const id = attr(el, 'id')
  if (!id) {
    log.reject(line, undefined, 'junction without id')
    return null
  }
  const x = numberAttr(el, 'x', true)
  const y = numberAttr(el, 'y', true)
  const bad = [x, y].find((v) => typeof v === 'string')
  if (typeof bad === 'string') {
    log.reject(line, id, `junction ${id}: ${bad}`)
    return null
  }
  const shape = shapeOrProblem(el, 1)
  if (typeof shape === 'string') log.note(line, id, `junction ${id}: ${shape}; stored without a shape polygon`)
  const requests: SumoRequest[] = []
  for (const r of children(el, 'request')) {
    const index = numberAttr(r, 'index', true)
    if (typeof index === 'string') {
      log.note(line, id, `junction ${id}: a <request> has ${index}; that request is not stored`)
      continue
    }
    requests.push({ index, response: attr(r, 'response') ?? '', foes: attr(r, 'foes') ?? '', cont: attr(r, 'cont') === '1' })
  }
  return {
    line,
    id,
    type: attr(el, 'type') ?? 'unknown',
    x: x as number,
    y: y as number,
    incLanes: idList(attr(el, 'incLanes')),
    intLanes: idList(attr(el, 'intLanes')),
    shape: typeof shape === 'string' ? null : shape,
    requests,
    attrs: otherAttributes(el, ['id', 'type', 'x', 'y', 'incLanes', 'intLanes', 'shape']),
  }
}

function readConnection(el: XmlElement, line: number, log: ProblemLog): SumoConnection | null {
  const from = attr(el, 'from')
  const to = attr(el, 'to')
  const fromLane = numberAttr(el, 'fromLane', true)
  const toLane = numberAttr(el, 'toLane', true)
  const linkIndex = numberAttr(el, 'linkIndex', false)
  const label = `${from ?? '?'}_${typeof fromLane === 'number' ? fromLane : '?'}->${to ?? '?'}_${typeof toLane === 'number' ? toLane : '?'}`
  const bad = !from ? 'attribute from is missing' : !to ? 'attribute to is missing' : [fromLane, toLane, linkIndex].find((v) => typeof v === 'string')
  if (typeof bad === 'string') {
    log.reject(line, label, `connection ${label}: ${bad}`)
    return null
  }
  return {
    line,
    from: from as string,
    to: to as string,
    fromLane: fromLane as number,
    toLane: toLane as number,
    via: attr(el, 'via') ?? null,
    tl: attr(el, 'tl') ?? null,
    linkIndex: linkIndex as number | null,
    dir: attr(el, 'dir') ?? null,
    state: attr(el, 'state') ?? null,
    attrs: otherAttributes(el, ['from', 'to', 'fromLane', 'toLane', 'via', 'tl', 'linkIndex', 'dir', 'state']),
  }
}
