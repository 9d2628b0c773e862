/**
 * CQL2 Text (OGC 21-065 §8.2, `cql2.bnf`) → the CQL2 AST: a hand-written tokenizer and a
 * recursive-descent parser. Precedence NOT > AND > OR; keywords are case-insensitive; function-like
 * keywords (DATE, TIMESTAMP, POINT, S_INTERSECTS…) are keywords only before `(`, so a property may be
 * called `date`. Custom functions and arithmetic are not supported and are reported as such.
 */
import {
  Cql2Error, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, SPATIAL_OPS, TEMPORAL_OPS, geometryProblem,
  isDateString, isTimestampString,
} from './cql2-ast'
import type {
  ComparisonOp, Cql2Node, Cql2Value, Geometry, IntervalEnd, Position, SpatialOp, TemporalOp,
} from './cql2-ast'

type TokenType = 'word' | 'qident' | 'string' | 'number' | 'op' | '(' | ')' | ',' | 'eof'
interface Token { type: TokenType; text: string; offset: number }

const NUMBER_RE = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y
const WORD_RE = /[\p{L}_:][\p{L}\p{M}\p{N}_:.\u203F\u2040]*/uy
const OPS = ['<>', '<=', '>=', '=', '<', '>'] as const
/** Words that can never be a property name or a value. */
const RESERVED = new Set(['AND', 'OR', 'NOT', 'LIKE', 'BETWEEN', 'IN', 'IS', 'NULL'])
const GEOMETRY_TYPES: Record<string, Geometry['type']> = {
  POINT: 'Point', LINESTRING: 'LineString', POLYGON: 'Polygon', MULTIPOINT: 'MultiPoint',
  MULTILINESTRING: 'MultiLineString', MULTIPOLYGON: 'MultiPolygon', GEOMETRYCOLLECTION: 'GeometryCollection',
}

function syntaxError(offset: number, message: string): Cql2Error {
  return new Cql2Error(`CQL2 syntax error at ${offset}: ${message}`, 'syntax', offset)
}

/** Splits CQL2 text into tokens; strings lose their quotes and `''` escapes. */
export function tokenizeCql2(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i] as string
    if (/\s/.test(c)) { i++; continue }
    const start = i
    if (c === "'") {
      let value = ''
      i++
      for (;;) {
        if (i >= text.length) throw syntaxError(start, 'unterminated string (a quote inside a string is written as \'\')')
        if (text[i] === "'") {
          if (text[i + 1] === "'") { value += "'"; i += 2; continue }
          i++
          break
        }
        value += text[i]
        i++
      }
      tokens.push({ type: 'string', text: value, offset: start })
      continue
    }
    if (c === '"') {
      const end = text.indexOf('"', i + 1)
      if (end < 0) throw syntaxError(start, 'unterminated quoted property name')
      const name = text.slice(i + 1, end)
      if (name.length === 0) throw syntaxError(start, 'empty quoted property name')
      tokens.push({ type: 'qident', text: name, offset: start })
      i = end + 1
      continue
    }
    if (c === '(' || c === ')' || c === ',') { tokens.push({ type: c, text: c, offset: start }); i++; continue }
    const op = OPS.find((o) => text.startsWith(o, i))
    if (op) { tokens.push({ type: 'op', text: op, offset: start }); i += op.length; continue }
    NUMBER_RE.lastIndex = i
    const num = NUMBER_RE.exec(text)
    if (num) { tokens.push({ type: 'number', text: num[0], offset: start }); i += num[0].length; continue }
    WORD_RE.lastIndex = i
    const word = WORD_RE.exec(text)
    if (word) { tokens.push({ type: 'word', text: word[0], offset: start }); i += word[0].length; continue }
    throw syntaxError(start, `unexpected character ${JSON.stringify(c)}`)
  }
  tokens.push({ type: 'eof', text: '', offset: text.length })
  return tokens
}

function describe(t: Token): string {
  if (t.type === 'eof') return 'end of text'
  if (t.type === 'string') return `string '${t.text.length > 30 ? `${t.text.slice(0, 30)}…` : t.text}'`
  if (t.type === 'qident') return `"${t.text}"`
  return `'${t.text}'`
}

class Parser {
  private pos = 0
  private depth = 0
  constructor(private readonly tokens: Token[]) {}

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)] as Token
  }
  private next(): Token {
    const t = this.peek()
    if (t.type !== 'eof') this.pos++
    return t
  }
  private isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead)
    return t.type === 'word' && t.text.toUpperCase() === word
  }
  private fail(what: string, t: Token = this.peek()): never {
    throw syntaxError(t.offset, `expected ${what} (got ${describe(t)})`)
  }
  private expect(type: TokenType, what: string): Token {
    if (this.peek().type !== type) this.fail(what)
    return this.next()
  }
  private expectWord(word: string, what: string): void {
    if (!this.isWord(word)) this.fail(what)
    this.next()
  }
  private enter(offset: number): void {
    this.depth++
    if (this.depth > MAX_FILTER_DEPTH) {
      throw new Cql2Error(`CQL2 filter nested too deeply at ${offset} (limit ${MAX_FILTER_DEPTH} levels)`, 'too-deep', offset)
    }
  }
  private leave(): void { this.depth-- }

  parseFilter(): Cql2Node {
    if (this.peek().type === 'eof') this.fail('a filter expression')
    const node = this.parseOr()
    if (this.peek().type !== 'eof') this.fail('AND, OR or end of text')
    return node
  }

  private parseOr(): Cql2Node {
    const args = [this.parseAnd()]
    while (this.isWord('OR')) { this.next(); args.push(this.parseAnd()) }
    return args.length === 1 ? (args[0] as Cql2Node) : { kind: 'or', args }
  }

  private parseAnd(): Cql2Node {
    const args = [this.parseNot()]
    while (this.isWord('AND')) { this.next(); args.push(this.parseNot()) }
    return args.length === 1 ? (args[0] as Cql2Node) : { kind: 'and', args }
  }

  private parseNot(): Cql2Node {
    if (!this.isWord('NOT')) return this.parsePrimary()
    this.enter(this.next().offset)
    const arg = this.parseNot()
    this.leave()
    return { kind: 'not', arg }
  }

  private parsePrimary(): Cql2Node {
    const t = this.peek()
    if (t.type === '(') {
      this.enter(this.next().offset)
      const node = this.parseOr()
      this.expect(')', `')' to close the '(' at ${t.offset}`)
      this.leave()
      return node
    }
    if (t.type === 'word' && this.peek(1).type === '(') {
      const name = t.text.toLowerCase()
      if ((SPATIAL_OPS as readonly string[]).includes(name)) {
        const [left, right] = this.parseTwoArgs(t)
        return { kind: 'spatial', op: name as SpatialOp, left, right }
      }
      if ((TEMPORAL_OPS as readonly string[]).includes(name)) {
        const [left, right] = this.parseTwoArgs(t)
        return { kind: 'temporal', op: name as TemporalOp, left, right }
      }
    }
    const value = this.parseValue('a predicate')
    return this.parsePostfix(value, t)
  }

  private parseTwoArgs(fn: Token): [Cql2Value, Cql2Value] {
    const name = fn.text.toUpperCase()
    this.next()
    this.enter(this.next().offset)
    const left = this.parseValue(`a first argument of ${name}`)
    this.expect(',', `',' between the arguments of ${name}`)
    const right = this.parseValue(`a second argument of ${name}`)
    this.expect(')', `')' to close ${name}(`)
    this.leave()
    return [left, right]
  }

  private parsePostfix(value: Cql2Value, first: Token): Cql2Node {
    const t = this.peek()
    if (t.type === 'op') {
      this.next()
      const right = this.parseValue(`a value after '${t.text}'`)
      return { kind: 'comparison', op: t.text as ComparisonOp, left: value, right }
    }
    if (this.isWord('IS')) {
      this.next()
      const negated = this.isWord('NOT')
      if (negated) this.next()
      this.expectWord('NULL', negated ? "NULL after 'IS NOT'" : "NULL or NOT NULL after 'IS'")
      return negated ? { kind: 'not', arg: { kind: 'isNull', value } } : { kind: 'isNull', value }
    }
    const negated = this.isWord('NOT')
    if (negated) this.next()
    let node: Cql2Node
    if (this.isWord('LIKE')) {
      this.next()
      node = { kind: 'like', value, pattern: this.parseValue("a pattern after 'LIKE'") }
    } else if (this.isWord('BETWEEN')) {
      this.next()
      const low = this.parseValue("a lower bound after 'BETWEEN'")
      this.expectWord('AND', "AND between the bounds of 'BETWEEN'")
      node = { kind: 'between', value, low, high: this.parseValue("an upper bound after 'BETWEEN … AND'") }
    } else if (this.isWord('IN')) {
      this.next()
      this.expect('(', "'(' after 'IN'")
      const list = [this.parseValue("a value in the 'IN' list")]
      while (this.peek().type === ',') { this.next(); list.push(this.parseValue("a value after ','")) }
      this.expect(')', "',' or ')' in the 'IN' list")
      node = { kind: 'in', value, list }
    } else if (value.kind === 'boolean' && !negated) {
      return value
    } else {
      this.fail(negated ? "LIKE, BETWEEN or IN after 'NOT'"
        : `a comparison operator (= <> < > <= >=), LIKE, BETWEEN, IN or IS NULL after ${describe(first)}`)
    }
    return negated ? { kind: 'not', arg: node } : node
  }

  private parseValue(what: string): Cql2Value {
    const t = this.peek()
    if (t.type === 'string') { this.next(); return { kind: 'string', value: t.text } }
    if (t.type === 'number') { this.next(); return { kind: 'number', value: Number(t.text) } }
    if (t.type === 'qident') { this.next(); return { kind: 'property', name: t.text } }
    if (t.type !== 'word') this.fail(what)
    const upper = t.text.toUpperCase()
    if (upper === 'TRUE' || upper === 'FALSE') { this.next(); return { kind: 'boolean', value: upper === 'TRUE' } }
    if (RESERVED.has(upper)) this.fail(what)
    const geometryType = GEOMETRY_TYPES[upper]
    if (geometryType && (this.peek(1).type === '(' || this.isWord('Z', 1))) {
      return { kind: 'geometry', geometry: this.parseGeometry() }
    }
    if (this.peek(1).type !== '(') { this.next(); return { kind: 'property', name: t.text } }
    this.next()
    const open = this.next()
    this.enter(open.offset)
    let value: Cql2Value
    if (upper === 'TIMESTAMP' || upper === 'DATE') {
      const s = this.expect('string', `a quoted ${upper === 'DATE' ? 'date' : 'timestamp'} in ${upper}(…)`)
      value = this.instant(s, upper === 'DATE' ? 'date' : 'timestamp')
    } else if (upper === 'INTERVAL') {
      const start = this.parseIntervalEnd('a start instant, \'..\' or a property in INTERVAL(…)')
      this.expect(',', "',' between the ends of INTERVAL(…)")
      value = { kind: 'interval', start, end: this.parseIntervalEnd('an end instant, \'..\' or a property in INTERVAL(…)') }
    } else if (upper === 'CASEI' || upper === 'ACCENTI') {
      value = { kind: upper === 'CASEI' ? 'casei' : 'accenti', arg: this.parseValue(`a value in ${upper}(…)`) }
    } else if (upper === 'BBOX') {
      const bbox = [this.number('a number in BBOX(…)')]
      while (this.peek().type === ',') { this.next(); bbox.push(this.number('a number in BBOX(…)')) }
      if (bbox.length !== 4 && bbox.length !== 6) throw syntaxError(open.offset, `BBOX needs 4 or 6 numbers, got ${bbox.length}`)
      value = { kind: 'bbox', bbox }
    } else {
      throw new Cql2Error(`CQL2 error at ${t.offset}: function '${t.text}' is not supported`, 'unsupported', t.offset)
    }
    this.expect(')', `')' to close ${upper}(`)
    this.leave()
    return value
  }

  private instant(s: Token, kind: 'date' | 'timestamp'): Cql2Value & IntervalEnd {
    if (kind === 'date' ? !isDateString(s.text) : !isTimestampString(s.text)) {
      throw syntaxError(s.offset, kind === 'date' ? `invalid date '${s.text}' (expected YYYY-MM-DD)`
        : `invalid timestamp '${s.text}' (expected YYYY-MM-DDThh:mm:ss[.fff]Z)`)
    }
    return { kind, value: s.text }
  }

  private parseIntervalEnd(what: string): IntervalEnd {
    const t = this.peek()
    if (t.type === 'qident' || (t.type === 'word' && !RESERVED.has(t.text.toUpperCase()) && this.peek(1).type !== '(')) {
      this.next()
      return { kind: 'property', name: t.text }
    }
    if (t.type !== 'string') this.fail(what)
    this.next()
    if (t.text === '..') return { kind: 'open' }
    return this.instant(t, isDateString(t.text) ? 'date' : 'timestamp') as IntervalEnd
  }

  private number(what: string): number {
    return Number(this.expect('number', what).text)
  }

  private position(): Position {
    const p = [this.number('a coordinate'), this.number('a second coordinate')]
    if (this.peek().type === 'number') p.push(this.number('a third coordinate'))
    return p
  }

  /** `( item , item … )` */
  private list<T>(item: () => T, what: string): T[] {
    const open = this.expect('(', `'(' to start ${what}`)
    this.enter(open.offset)
    const items = [item()]
    while (this.peek().type === ',') { this.next(); items.push(item()) }
    this.expect(')', `',' or ')' in ${what}`)
    this.leave()
    return items
  }

  private parseGeometry(): Geometry {
    const t = this.next()
    const type = GEOMETRY_TYPES[t.text.toUpperCase()] as Geometry['type']
    if (this.isWord('Z')) this.next()
    const line = (): Position[] => this.list(() => this.position(), 'a list of positions')
    const polygon = (): Position[][] => this.list(line, 'a polygon')
    let g: Geometry
    switch (type) {
      case 'Point': {
        this.expect('(', "'(' after POINT")
        const p = this.position()
        this.expect(')', "')' after the position of POINT")
        g = { type, coordinates: p }
        break
      }
      case 'LineString': g = { type, coordinates: line() }; break
      case 'Polygon': g = { type, coordinates: polygon() }; break
      case 'MultiPoint':
        g = { type, coordinates: this.list(() => (this.peek().type === '(' ? (line()[0] as Position) : this.position()), 'a multipoint') }
        break
      case 'MultiLineString': g = { type, coordinates: this.list(line, 'a multilinestring') }; break
      case 'MultiPolygon': g = { type, coordinates: this.list(polygon, 'a multipolygon') }; break
      case 'GeometryCollection': {
        const member = (): Geometry => {
          const m = this.peek()
          if (m.type !== 'word' || !GEOMETRY_TYPES[m.text.toUpperCase()]) this.fail('a geometry in GEOMETRYCOLLECTION')
          return this.parseGeometry()
        }
        g = { type, geometries: this.list(member, 'a geometry collection') }
        break
      }
    }
    const problem = geometryProblem(g)
    if (problem) throw syntaxError(t.offset, `invalid ${t.text.toUpperCase()}: ${problem}`)
    return g
  }
}

/** Parses a CQL2 Text filter; throws `Cql2Error` saying where and what was expected. */
export function parseCql2Text(text: string): Cql2Node {
  if (text.length > MAX_FILTER_LENGTH) {
    throw new Cql2Error(`CQL2 filter too long: ${text.length} characters (limit ${MAX_FILTER_LENGTH})`, 'too-long')
  }
  return new Parser(tokenizeCql2(text)).parseFilter()
}
