/**
 * The settings a wall layout may give a tile (`options` of contracts/wall.ts), read leniently: a
 * setting of the wrong shape is ignored (and said in the console), the tile keeps its defaults.
 */
import { z } from 'zod'
import { LonLatSchema } from '../../../contracts/schemas/device'

const ViewOptionsSchema = z.object({
  /** A saved scene whose camera the tile starts from (docs/scenes.md). */
  scene: z.string().min(1).max(64).optional(),
  center: LonLatSchema.optional(),
  zoom: z.number().min(0).max(22).optional(),
  pitch: z.number().min(0).max(85).optional(),
  bearing: z.number().min(-360).max(360).optional(),
})
export type ViewOptions = z.infer<typeof ViewOptionsSchema>

const ChartOptionsSchema = z.object({
  hours: z.number().int().min(1).max(168).optional(),
  days: z.number().int().min(1).max(31).optional(),
  /** Air quality: ids of the legal values to compare with (contracts/dashboard-api.ts AIR_QUALITY_STANDARDS). */
  standards: z.array(z.string().min(1).max(40)).min(1).max(8).optional(),
})
export type ChartOptions = z.infer<typeof ChartOptionsSchema>

function lenient<S extends z.ZodObject<z.ZodRawShape>>(schema: S, options: Record<string, unknown>, tileId: string): z.infer<S> {
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(schema.shape)) {
    if (!(key in options)) continue
    const parsed = (field as z.ZodType).safeParse(options[key])
    if (parsed.success) out[key] = parsed.data
    else console.warn(`wall tile ${tileId}: option ${key} ignored (${parsed.error.issues[0]?.message ?? 'invalid'})`)
  }
  return out as z.infer<S>
}

export const viewOptions = (options: Record<string, unknown>, tileId: string): ViewOptions => lenient(ViewOptionsSchema, options, tileId)
export const chartOptions = (options: Record<string, unknown>, tileId: string): ChartOptions => lenient(ChartOptionsSchema, options, tileId)
