/**
 * The 3D twin: a Cesium globe with no imagery, terrain or ion services (everything comes from this
 * server), our ground lines, the buildings tileset and the live devices. No React here: the
 * wrapper in app/ mounts it and feeds it data, as the 2D map's controller is fed.
 */
import './cesium-base-url'
import {
  Cartesian2,
  Cartesian3,
  Cesium3DTileFeature,
  Cesium3DTileset,
  CesiumWidget,
  Color,
  DirectionalLight,
  HeadingPitchRange,
  Math as CesiumMath,
  Matrix4,
  PerspectiveFrustum,
  SceneTransforms,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  Transforms,
} from 'cesium'
import 'cesium/Build/Cesium/Widgets/CesiumWidget/CesiumWidget.css'
import type { Bbox } from '../../../contracts/events'
import { PALETTE } from '../map2d/palette'
import { globePoseFromMap, mapPoseFromGlobe, type MapPose } from './camera-pose'
import { isDevicePickId } from './device-points'

export type GlobePick = { kind: 'building'; id: string; heightM: number | null; estimated: boolean } | { kind: 'device'; id: string } | null

export type BuildingsState = 'loading' | 'ready' | 'none' | 'error'

export interface GlobeControllerOptions {
  container: HTMLElement
  tilesetUrl: string
  pose: MapPose
  interactive: boolean
  onPick(pick: GlobePick): void
  onViewportChange(bbox: Bbox): void
}

const SELECTED_BUILDING = Color.fromCssColorString('#9fd3ff')

export class GlobeController {
  readonly widget: CesiumWidget
  private readonly handler: ScreenSpaceEventHandler
  private tileset: Cesium3DTileset | null = null
  private selectedFeature: Cesium3DTileFeature | null = null
  private destroyed = false
  private loadedTiles = 0
  buildings: BuildingsState = 'loading'
  /** performance.now() when the tileset was requested and when its tiles were first all loaded. */
  readonly timings: { tilesetRequestedMs: number | null; tilesLoadedMs: number | null } = { tilesetRequestedMs: null, tilesLoadedMs: null }
  /** Resolves when the building tileset is loaded and drawn (or known to be absent). */
  readonly buildingsSettled: Promise<BuildingsState>

  constructor(private readonly options: GlobeControllerOptions) {
    this.widget = new CesiumWidget(options.container, {
      baseLayer: false,
      skyBox: false,
      skyAtmosphere: false,
      scene3DOnly: true,
      requestRenderMode: true,
      maximumRenderTimeChange: Number.POSITIVE_INFINITY,
      msaaSamples: 1,
      shouldAnimate: false,
    })
    const scene = this.widget.scene
    scene.backgroundColor = Color.fromCssColorString(PALETTE.mapBackground)
    scene.globe.baseColor = Color.fromCssColorString(PALETTE.districtFill)
    scene.globe.showGroundAtmosphere = false
    scene.fog.enabled = false
    if (scene.sun) scene.sun.show = false
    if (scene.moon) scene.moon.show = false
    scene.screenSpaceCameraController.enableInputs = options.interactive
    this.setLight(options.pose.center)
    this.setPose(options.pose)

    this.handler = new ScreenSpaceEventHandler(scene.canvas)
    this.handler.setInputAction((e: { position: Cartesian2 }) => {
      const pick = this.pickAt(e.position.x, e.position.y)
      this.highlightBuilding(pick?.kind === 'building' ? this.featureAt(e.position.x, e.position.y) : null)
      options.onPick(pick)
    }, ScreenSpaceEventType.LEFT_CLICK)
    scene.camera.moveEnd.addEventListener(() => options.onViewportChange(this.viewportBbox()))
    this.buildingsSettled = this.loadBuildings()
  }

  get scene() {
    return this.widget.scene
  }

  /** Sunlight from the south-west, fixed: façades read the same at any hour. */
  private setLight([lon, lat]: [number, number]): void {
    const enu = Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(lon, lat))
    const local = new Cartesian3(0.45, 0.6, -0.66)
    const direction = Matrix4.multiplyByPointAsVector(enu, local, new Cartesian3())
    this.scene.light = new DirectionalLight({ direction: Cartesian3.normalize(direction, direction), intensity: 2.2 })
  }

  private async loadBuildings(): Promise<BuildingsState> {
    this.timings.tilesetRequestedMs = performance.now()
    try {
      const tileset = await Cesium3DTileset.fromUrl(this.options.tilesetUrl, { maximumScreenSpaceError: 16 })
      if (this.destroyed) return 'none'
      this.tileset = tileset
      tileset.tileLoad.addEventListener(() => this.loadedTiles++)
      tileset.tileUnload.addEventListener(() => this.loadedTiles--)
      this.scene.primitives.add(tileset)
      // allTilesLoaded only fires after some loading: idle() also settles when nothing is in view.
      await this.idle()
      this.timings.tilesLoadedMs = performance.now()
      this.buildings = 'ready'
    } catch (err) {
      // A 404 means no buildings are imported: the view works without them.
      const status = (err as { statusCode?: number }).statusCode
      this.buildings = status === 404 ? 'none' : 'error'
      if (this.buildings === 'error') console.warn('building tileset not loaded', err)
    }
    return this.buildings
  }

  /** Resolves after the next rendered frame. */
  nextFrame(): Promise<void> {
    return new Promise((resolve) => {
      const off = this.scene.postRender.addEventListener(() => {
        off()
        resolve()
      })
      this.scene.requestRender()
    })
  }

  /** Resolves once the visible building tiles are loaded and drawn. */
  async idle(): Promise<void> {
    await this.nextFrame()
    const tileset = this.tileset
    if (tileset && !tileset.tilesLoaded) {
      await new Promise<void>((resolve) => {
        const off = tileset.allTilesLoaded.addEventListener(() => {
          off()
          resolve()
        })
        this.scene.requestRender()
      })
      await this.nextFrame()
    }
  }

  private fovy(): number {
    const f = this.scene.camera.frustum as PerspectiveFrustum
    return f.fovy ?? CesiumMath.PI_OVER_THREE
  }

  private heightPx(): number {
    return this.scene.canvas.clientHeight || 1
  }

  setPose(pose: MapPose): void {
    const g = globePoseFromMap(pose, this.heightPx(), this.fovy())
    const camera = this.scene.camera
    camera.lookAt(Cartesian3.fromDegrees(g.target[0], g.target[1], 0), new HeadingPitchRange(g.headingRad, g.pitchRad, g.rangeM))
    camera.lookAtTransform(Matrix4.IDENTITY)
    this.scene.requestRender()
  }

  /** The camera as the 2D map would show it: the ground point at the centre of the view, and the range to it. */
  pose(): MapPose {
    const camera = this.scene.camera
    const canvas = this.scene.canvas
    const centre = camera.pickEllipsoid(new Cartesian2(canvas.clientWidth / 2, canvas.clientHeight / 2))
    let target: [number, number]
    let rangeM: number
    if (centre) {
      const c = this.scene.globe.ellipsoid.cartesianToCartographic(centre)
      target = [CesiumMath.toDegrees(c.longitude), CesiumMath.toDegrees(c.latitude)]
      rangeM = Cartesian3.distance(camera.positionWC, centre)
    } else {
      const c = camera.positionCartographic
      target = [CesiumMath.toDegrees(c.longitude), CesiumMath.toDegrees(c.latitude)]
      rangeM = c.height
    }
    return mapPoseFromGlobe({ target, rangeM, headingRad: camera.heading, pitchRad: camera.pitch }, this.heightPx(), this.fovy())
  }

  viewportBbox(): Bbox {
    const r = this.scene.camera.computeViewRectangle()
    if (!r) {
      const [lon, lat] = this.pose().center
      return [lon - 0.05, lat - 0.05, lon + 0.05, lat + 0.05]
    }
    return [CesiumMath.toDegrees(r.west), CesiumMath.toDegrees(r.south), CesiumMath.toDegrees(r.east), CesiumMath.toDegrees(r.north)]
  }

  /** What is drawn at a canvas position (CSS px): a building of the tileset or a device. */
  pickAt(x: number, y: number): GlobePick {
    const picked: unknown = this.scene.pick(new Cartesian2(x, y))
    if (picked instanceof Cesium3DTileFeature) {
      const height = picked.getProperty('height') as number | undefined
      return { kind: 'building', id: String(picked.getProperty('id')), heightM: typeof height === 'number' ? height : null, estimated: picked.getProperty('estimated') === true }
    }
    const id = (picked as { id?: unknown } | undefined)?.id
    if (isDevicePickId(id)) return { kind: 'device', id: id.deviceId }
    return null
  }

  /** Tints a picked building (null clears the tint). */
  highlightBuilding(feature: Cesium3DTileFeature | null): void {
    if (this.selectedFeature) this.selectedFeature.color = Color.WHITE
    this.selectedFeature = feature
    if (feature) feature.color = SELECTED_BUILDING
    this.scene.requestRender()
  }

  /** The tile feature drawn at a canvas position, if any (for highlighting after a pick). */
  featureAt(x: number, y: number): Cesium3DTileFeature | null {
    const picked: unknown = this.scene.pick(new Cartesian2(x, y))
    return picked instanceof Cesium3DTileFeature ? picked : null
  }

  /** Canvas position (CSS px) of a coordinate, or null when it is behind the globe. */
  project(lon: number, lat: number, heightM = 0): [number, number] | null {
    const p = SceneTransforms.worldToWindowCoordinates(this.scene, Cartesian3.fromDegrees(lon, lat, heightM))
    return p ? [p.x, p.y] : null
  }

  /** Number of building tiles with loaded content. */
  loadedBuildingTiles(): number {
    return this.loadedTiles
  }

  destroy(): void {
    this.destroyed = true
    this.handler.destroy()
    this.widget.destroy()
  }
}
