import { z } from 'zod'
import { DeviceKindSchema } from './device'

/**
 * A scene: a saved view of the twin as data (scenes/<id>/scene.json) — where the camera is, which
 * layers show, which moment, and what is annotated. It opens by URL (`/?scene=<id>`) in the 2D map
 * or the 3D view. The JSON Schema in scenes/scene.schema.json is generated from this file
 * (`npm run scenes:schema`).
 */

/** A text in Italian (the administration's language) and English. */
export const LocalizedTextSchema = z.object({ it: z.string().min(1).max(500), en: z.string().min(1).max(500) }).strict()

const lon = z.number().min(-180).max(180)
const lat = z.number().min(-85).max(85)

export const SceneIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a scene id is lowercase words joined by "-", e.g. piazza-maggiore')
  .max(60)

/**
 * The camera, as a map view: what it looks at (target), how close (zoom, MapLibre's scale), which
 * way (bearing, degrees clockwise from north) and how tilted (pitch, 0 = straight down). The 3D view
 * derives its camera from the same pose, so a scene looks the same in 2D and 3D.
 */
export const CameraPoseSchema = z
  .object({
    target: z.tuple([lon, lat]),
    zoom: z.number().min(0).max(22),
    bearingDeg: z.number().min(-360).max(360).default(0),
    pitchDeg: z.number().min(0).max(85).default(0),
  })
  .strict()
export type CameraPose = z.infer<typeof CameraPoseSchema>

/**
 * Base-map layer groups a scene (and the layer panel) can switch on or off; the rest of the base map
 * (districts, ZTL, land use, roads, street names) always shows. Device kinds are layers too.
 */
export const MapLayerGroupSchema = z.enum(['buildings', 'network', 'signals'])
export type MapLayerGroup = z.infer<typeof MapLayerGroupSchema>

export const SceneLayersSchema = z
  .object({
    /** Layer groups shown (buildings; network = SUMO lanes, junctions, detectors; signals); the others are hidden. */
    groups: z.array(MapLayerGroupSchema).max(20),
    /** Live device kinds shown. */
    devices: z.array(DeviceKindSchema).max(10),
  })
  .strict()

/** Live (now), or a fixed moment of the history. */
export const SceneTimeSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('live') }).strict(),
  z.object({ mode: z.literal('at'), at: z.iso.datetime({ offset: true }) }).strict(),
])

export const AnnotationSchema = z
  .object({
    id: SceneIdSchema,
    position: z.tuple([lon, lat]),
    /** Height above the ground in the 3D view, m. */
    heightM: z.number().min(0).max(1000).default(0),
    label: LocalizedTextSchema,
    note: LocalizedTextSchema.optional(),
  })
  .strict()
export type Annotation = z.infer<typeof AnnotationSchema>

export const SceneSchema = z
  .object({
    id: SceneIdSchema,
    title: LocalizedTextSchema,
    description: LocalizedTextSchema,
    /** Which view opens: the 2D map or the 3D city. */
    view: z.enum(['2d', '3d']),
    camera: CameraPoseSchema,
    layers: SceneLayersSchema,
    time: SceneTimeSchema,
    annotations: z.array(AnnotationSchema).max(50).default([]),
    /** 3D content loaded in the 3D view (tilesets Gemello generates). */
    content3d: z.array(z.enum(['buildings'])).max(5).default([]),
    /** Dataset ids the scene needs to make sense (the About page explains them). */
    datasets: z.array(z.string().min(1).max(80)).max(20).default([]),
  })
  .strict()
export type Scene = z.infer<typeof SceneSchema>

/** What the scene list returns: enough to show a picker. */
export const SceneSummarySchema = SceneSchema.pick({ id: true, title: true, description: true, view: true })
export type SceneSummary = z.infer<typeof SceneSummarySchema>
