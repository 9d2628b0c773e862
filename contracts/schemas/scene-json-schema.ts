import { z } from 'zod'
import { SceneSchema } from './scene'

/** The JSON Schema (draft 2020-12) of a scene file, as written to scenes/scene.schema.json. */
export function sceneJsonSchemaText(): string {
  const schema = z.toJSONSchema(SceneSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>
  const props = (schema.properties ?? {}) as Record<string, unknown>
  // Scene files point at this schema; the contract itself has no such field.
  const withRef = { ...schema, title: 'Gemello scene', properties: { $schema: { type: 'string' }, ...props } }
  return `${JSON.stringify(withRef, null, 2)}\n`
}
