/**
 * XML plumbing shared by the SUMO parsers: a validating parse that keeps every attribute as a
 * string, the source line of each element (fast-xml-parser gives none, and a problem report that
 * says "line 812" is what lets a person fix their file), and strict attribute readers.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { DatasetFileError } from '../readers/read-result'

/** An element as fast-xml-parser returns it with `attributeNamePrefix: ''`: attributes and child arrays. */
export type XmlElement = Record<string, unknown>

/** Elements that may repeat: always arrays, even when the file has one. */
const REPEATED = new Set(['edge', 'lane', 'junction', 'request', 'connection', 'tlLogic', 'phase', 'param', 'e1Detector', 'inductionLoop', 'roundabout', 'prohibition'])

/** A parser of SUMO's XML as Gemello reads it: attributes as strings, the `repeated` elements always arrays. */
export function sumoXmlParser(repeated: Iterable<string>): XMLParser {
  const many = new Set(repeated)
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (name, _path, _leaf, isAttribute) => !isAttribute && many.has(name),
  })
}

const parser = sumoXmlParser(REPEATED)

/** Parses `xml` (the content of `file`); a file that is not well-formed XML is a DatasetFileError with the line. */
export function parseXml(xml: string, file: string): XmlElement {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new DatasetFileError(`${file} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg}).`, file)
  return parser.parse(xml) as XmlElement
}

/** The child elements named `tag` (an empty array when there are none). */
export function children(el: XmlElement | undefined, tag: string): XmlElement[] {
  const v = el?.[tag]
  if (Array.isArray(v)) return v.filter((c): c is XmlElement => typeof c === 'object' && c !== null)
  return typeof v === 'object' && v !== null ? [v as XmlElement] : []
}

/** A string attribute, or undefined when absent. */
export function attr(el: XmlElement, name: string): string | undefined {
  const v = el[name]
  return typeof v === 'string' ? v : undefined
}

/** The attributes of an element other than `known` (kept in props so nothing of the source is lost). */
export function otherAttributes(el: XmlElement, known: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(el)) if (typeof v === 'string' && !known.includes(k)) out[k] = v
  return out
}

/** A finite number, or an error message naming the attribute. */
export function numberAttr(el: XmlElement, name: string, required: true): number | string
export function numberAttr(el: XmlElement, name: string, required: false): number | null | string
export function numberAttr(el: XmlElement, name: string, required: boolean): number | null | string {
  const raw = attr(el, name)
  if (raw === undefined || raw.trim() === '') return required ? `attribute ${name} is missing` : null
  const n = Number(raw)
  return Number.isFinite(n) ? n : `attribute ${name}="${raw}" is not a number`
}

/** A SUMO shape "x,y[,z] x,y[,z] …" as [x, y] pairs (z dropped), or an error message. */
export function parseShape(raw: string): Array<[number, number]> | string {
  const out: Array<[number, number]> = []
  for (const token of raw.trim().split(/\s+/)) {
    if (token === '') continue
    const parts = token.split(',')
    const x = Number(parts[0])
    const y = Number(parts[1])
    if (parts.length < 2 || parts.length > 3 || !Number.isFinite(x) || !Number.isFinite(y)) return `shape position "${token}" is not "x,y" or "x,y,z"`
    out.push([x, y])
  }
  return out
}

/** Space-separated ids ("a_0 b_1"); empty attribute → []. */
export function idList(raw: string | undefined): string[] {
  return raw === undefined ? [] : raw.split(/\s+/).filter((s) => s !== '')
}

/**
 * The 1-based line of every opening tag `<tag` outside comments, in document order, keyed by tag.
 * fast-xml-parser keeps document order within a tag, so the n-th element of a tag is at lines[n].
 */
export function elementLines(xml: string, tags: readonly string[]): Map<string, number[]> {
  // Comments are blanked (newlines kept) so that commented-out elements do not shift the count.
  const text = xml.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '))
  const out = new Map<string, number[]>(tags.map((t) => [t, []]))
  const re = new RegExp(`<(${tags.join('|')})(?=[\\s/>])`, 'g')
  let line = 1
  let last = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++
    last = m.index
    out.get(m[1] as string)?.push(line)
  }
  return out
}
