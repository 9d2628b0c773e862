/**
 * Writes scenes/scene.schema.json, the JSON Schema of a scene file, from the zod contract
 * (contracts/schemas/scene.ts), so editors validate and complete scene files. A test fails when
 * the file is out of date: run `npm run scenes:schema` after changing the contract.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sceneJsonSchemaText } from '../contracts/schemas/scene-json-schema'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const file = path.join(ROOT, 'scenes/scene.schema.json')
writeFileSync(file, sceneJsonSchemaText())
console.log(`wrote ${path.relative(ROOT, file)}`)
