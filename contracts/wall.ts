/**
 * The video wall (ADR 0006): layouts of tiles for /wall?layout=<id>, and "push to wall" — an
 * operator's selection sent to every wall screen through the live socket.
 */
import { z } from 'zod'
import { LonLatSchema } from './schemas/device'

export const WallTileTypeSchema = z.enum(['map', 'globe', 'alarms', 'kpis', 'districts', 'incidents', 'connectivity', 'air-quality', 'mobility', 'shift-log'])
export type WallTileType = z.infer<typeof WallTileTypeSchema>

export const WallTileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    type: WallTileTypeSchema,
    title: z.string().max(80).optional(),
    /** Grid position, 1-based, and span in cells. */
    col: z.number().int().min(1).max(12),
    row: z.number().int().min(1).max(8),
    colSpan: z.number().int().min(1).max(12).default(1),
    rowSpan: z.number().int().min(1).max(8).default(1),
    /** Tile-specific settings, e.g. { scene: 'centro' } for a map, { hours: 24 } for a chart. */
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
export type WallTile = z.infer<typeof WallTileSchema>

export const WallLayoutSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    name: z.string().min(1).max(80),
    columns: z.number().int().min(1).max(12),
    rows: z.number().int().min(1).max(8),
    tiles: z.array(WallTileSchema).min(1).max(48),
  })
  .strict()
  .superRefine((l, ctx) => {
    const taken = new Set<string>()
    for (const [i, t] of l.tiles.entries()) {
      if (t.col + t.colSpan - 1 > l.columns || t.row + t.rowSpan - 1 > l.rows) ctx.addIssue({ code: 'custom', path: ['tiles', i], message: `tile ${t.id} does not fit the ${l.columns}×${l.rows} grid` })
      for (let c = t.col; c < t.col + t.colSpan; c++)
        for (let r = t.row; r < t.row + t.rowSpan; r++) {
          if (taken.has(`${c},${r}`)) ctx.addIssue({ code: 'custom', path: ['tiles', i], message: `tile ${t.id} overlaps another tile at column ${c}, row ${r}` })
          taken.add(`${c},${r}`)
        }
    }
  })
export type WallLayout = z.infer<typeof WallLayoutSchema>

/** What an operator pushes to the wall: a device, an alarm or an incident, and where to look. */
export const WallPushSchema = z
  .object({
    target: z.object({ type: z.enum(['device', 'alarm', 'incident']), id: z.string().min(1).max(80) }),
    center: LonLatSchema.optional(),
    zoom: z.number().min(0).max(22).optional(),
    label: z.string().max(120).optional(),
  })
  .strict()
export type WallPush = z.infer<typeof WallPushSchema>

/** Sent to every screen (walls act on it): who pushed what, when. */
export const WallFocusSchema = WallPushSchema.extend({ by: z.string(), atMs: z.number() })
export type WallFocus = z.infer<typeof WallFocusSchema>

export type WallPushAck = { ok: true } | { ok: false; error: { code: string; message: string } }
