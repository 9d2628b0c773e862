/**
 * JSON.parse with the two guards a hostile GeoJSON needs (reliability-security.md §4.4 item 9):
 * the nesting depth is measured by a scan of the text before parsing, so a 10,000-deep array is
 * refused in one pass without building it; and a number too large for a double (`1e400`, which
 * JSON.parse silently turns into Infinity) is refused after parsing, with its path. Both → 400.
 */
import { ApiError } from '../../http/api-error'

const OPEN_OBJECT = 0x7b
const OPEN_ARRAY = 0x5b
const CLOSE_OBJECT = 0x7d
const CLOSE_ARRAY = 0x5d
const QUOTE = 0x22
const BACKSLASH = 0x5c

/** Throws VALIDATION_FAILED when arrays and objects nest deeper than `maxDepth`. Strings are skipped. */
export function checkJsonDepth(text: string, maxDepth: number): void {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
    } else if (c === QUOTE) {
      inString = true
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > maxDepth) {
        throw new ApiError('VALIDATION_FAILED', `The JSON nests arrays and objects more than ${maxDepth} deep (at character ${i + 1}); GeoJSON needs fewer than 10 levels.`)
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--
    }
  }
}

/** Where the first non-finite number in a parsed JSON value is ('features[3].geometry.coordinates[0]'), or null. */
export function findNonFiniteNumber(value: unknown, path = ''): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path || '(the whole document)'
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNonFiniteNumber(value[i], `${path}[${i}]`)
      if (found !== null) return found
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const found = findNonFiniteNumber(v, /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`)
      if (found !== null) return found
    }
  }
  return null
}

/** The parsed document; VALIDATION_FAILED for malformed JSON, too deep a nesting or a non-finite number. */
export function parseJsonGuarded(text: string, maxDepth: number): unknown {
  checkJsonDepth(text, maxDepth)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new ApiError('VALIDATION_FAILED', `The file is not valid JSON: ${(err as Error).message}.`)
  }
  const at = findNonFiniteNumber(value)
  if (at !== null) {
    const message = 'a number too large to represent (like 1e400); every number must be finite'
    throw new ApiError('VALIDATION_FAILED', `The JSON holds ${message}, at ${at}.`, [{ path: at, message }])
  }
  return value
}
