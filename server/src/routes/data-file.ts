/**
 * A data file of the repository (a scene, a wall layout): JSON validated against its contract, with
 * the `$schema` hint editors use left aside. A problem is a message naming the field, so that the
 * catalog can leave the file out and say why while the other files still serve.
 */
import { readFileSync } from 'node:fs'
import type { z } from 'zod'

export type DataFileResult<T> = { ok: true; value: T } | { ok: false; problem: string }

export function readDataFile<S extends z.ZodType>(file: string, schema: S): DataFileResult<z.output<S>> {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    return { ok: false, problem: `not valid JSON: ${(err as Error).message}` }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, problem: '(root): the file holds a JSON object' }
  const { $schema: _schema, ...body } = json as Record<string, unknown>
  void _schema
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    return { ok: false, problem: `${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}` }
  }
  return { ok: true, value: parsed.data }
}
