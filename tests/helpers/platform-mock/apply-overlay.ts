/**
 * OpenAPI Overlay Specification 1.0.0 documents (overlay, info, extends, actions with target, update,
 * remove) applied to a published document the tests read, so a fix the published file needs lives in
 * a versioned file of ours while the published one stays as fetched (overlays/*.overlay.yaml).
 *
 * Pinned: the overlay's info.version ends in `+sha256.<hex>`, the sha256 of the exact bytes its actions
 * were checked against; any other bytes are refused — a re-fetched document is re-checked deliberately
 * (`strictValidatorBlockers` lists what a strict validator would refuse in it).
 *
 * Only what our overlays use is implemented, and anything else throws:
 * - targets: `$` then names, dotted (`.components.schemas.Problem`) or bracketed (`['/delivery/v2.6/requests']`);
 *   no wildcards, filters, recursive descent or array indexes; a target must select exactly one object;
 * - `update`: merged into the target: objects recursively, anything else (strings, numbers, arrays) replaced;
 * - `remove`: not supported.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import yaml from 'js-yaml'
import { z } from 'zod'

type Json = Record<string, unknown>

export const OverlaySchema = z.object({
  overlay: z.literal('1.0.0'),
  info: z.object({ title: z.string().min(1), version: z.string().min(1) }),
  extends: z.string().optional(),
  actions: z
    .array(
      z.object({
        target: z.string().startsWith('$'),
        description: z.string().optional(),
        update: z.record(z.string(), z.unknown()).optional(),
        remove: z.boolean().optional(),
      }),
    )
    .min(1),
})
export type Overlay = z.infer<typeof OverlaySchema>

export function readOverlay(file: string): Overlay {
  return OverlaySchema.parse(yaml.load(readFileSync(file, 'utf8')))
}

/** `$.a.b['c/d']` → ['a', 'b', 'c/d']; anything beyond names throws. */
export function parseJsonPath(target: string): string[] {
  if (!target.startsWith('$')) throw new Error(`JSONPath "${target}" must start with $`)
  const names: string[] = []
  const token = /\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y
  token.lastIndex = 1
  while (token.lastIndex < target.length) {
    const at = token.lastIndex
    const m = token.exec(target)
    if (!m) throw new Error(`JSONPath "${target}": only $.name and $['name'] segments are supported (at character ${at})`)
    names.push(m[1] ?? (m[2] ?? m[3]!).replace(/\\(.)/g, '$1'))
  }
  return names
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)

function merge(into: Json, update: Json): void {
  for (const [k, v] of Object.entries(update)) {
    const cur = into[k]
    if (isObject(cur) && isObject(v)) merge(cur, v)
    else into[k] = structuredClone(v)
  }
}

/** The sha256 (hex) an overlay was written for, from its info.version (`…+sha256.<hex>`). */
export function overlaySourceSha256(o: Overlay): string {
  const m = /\+sha256\.([0-9a-f]{64})$/.exec(o.info.version)
  if (!m) throw new Error(`overlay "${o.info.title}": info.version "${o.info.version}" does not end in +sha256.<hex of the document it fixes>`)
  return m[1]!
}

/**
 * The document in `sourceText` (YAML or JSON) with the overlay's actions applied; throws when the text
 * is not the one the overlay was written for, or an action's target does not select one object.
 */
export function applyOverlay(sourceText: string | Buffer, o: Overlay): Json {
  const want = overlaySourceSha256(o)
  const have = createHash('sha256').update(sourceText).digest('hex')
  if (have !== want)
    throw new Error(
      `overlay "${o.info.title}" (${o.info.version}) was checked against a document with sha256 ${want}, this one has ${have}: ` +
        're-check the new document (strictValidatorBlockers), then write a new overlay version for it',
    )
  const doc = yaml.load(typeof sourceText === 'string' ? sourceText : sourceText.toString('utf8')) as Json
  for (const [i, a] of o.actions.entries()) {
    if (a.remove) throw new Error(`overlay action ${i} (${a.target}): remove is not supported by this applier`)
    if (!a.update) throw new Error(`overlay action ${i} (${a.target}): neither update nor remove`)
    let node: unknown = doc
    for (const name of parseJsonPath(a.target)) node = isObject(node) && Object.hasOwn(node, name) ? node[name] : undefined
    if (!isObject(node)) throw new Error(`overlay action ${i}: ${a.target} selects no object in the document`)
    merge(node, a.update)
  }
  return doc
}

export interface StrictBlocker {
  /** Where, as an overlay target. */
  target: string
  problem: 'pattern-not-unicode' | 'nullable-without-type'
  detail: string
}

const pathOf = (names: readonly string[]) => '$' + names.map((n) => (/^[A-Za-z_$][\w$-]*$/.test(n) ? `.${n}` : `['${n.replace(/[\\']/g, '\\$&')}']`)).join('')

/**
 * What a strict validator (Ajv's defaults: unicode regular expressions, OpenAPI `nullable` read by Ajv)
 * refuses to compile in an OpenAPI 3.0 document, wherever it is: a `pattern` that is not a valid
 * unicode-mode regular expression, and `nullable` (true or false) beside no `type`.
 */
export function strictValidatorBlockers(doc: unknown): StrictBlocker[] {
  const found: StrictBlocker[] = []
  const walk = (v: unknown, names: string[]) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...names, String(i)]))
    if (!isObject(v)) return
    if (typeof v.pattern === 'string') {
      try {
        new RegExp(v.pattern, 'u')
      } catch (e) {
        found.push({ target: pathOf(names), problem: 'pattern-not-unicode', detail: `${v.pattern}: ${(e as Error).message}` })
      }
    }
    if (typeof v.nullable === 'boolean' && v.type === undefined) found.push({ target: pathOf(names), problem: 'nullable-without-type', detail: `nullable: ${v.nullable}` })
    for (const [k, x] of Object.entries(v)) walk(x, [...names, k])
  }
  walk(doc, [])
  return found
}
