/**
 * Drawing and editing one census geometry on the MapLibre map with terra-draw: draw a point, a line
 * (click the last vertex again or press Enter to finish) or a polygon (click the first vertex or press
 * Enter), then move it or reshape it — drag the feature, drag a vertex, drag a midpoint to insert a
 * vertex, right-click a vertex to delete it. Snapping is off. One geometry at a time; every finished
 * gesture reports the geometry. No React here; census-map-sync.ts drives it from the census map state.
 */
import type { Map as MapLibreMap } from 'maplibre-gl'
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawPointMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  type GeoJSONStoreFeatures,
} from 'terra-draw'
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter'
import type { CensusGeometryType } from '../../../contracts/schemas/census'
import type { EditableGeometry, Position } from '../state/census-map'
import { PALETTE } from './palette'

export type DrawState = 'idle' | 'draw' | 'edit'

export interface CensusDrawCallbacks {
  /** A gesture finished: the geometry as it is now. */
  onGeometry(geometry: EditableGeometry): void
  onState(state: DrawState): void
}

const MODE_OF: Record<CensusGeometryType, string> = { Point: 'point', LineString: 'linestring', Polygon: 'polygon' }
/** terra-draw refuses coordinates with more decimals than its precision (9): a server's 15 are rounded (below 1 mm). */
const PRECISION = 1e9

function rounded(g: EditableGeometry): EditableGeometry {
  const r = (p: Position): Position => [Math.round(p[0] * PRECISION) / PRECISION, Math.round(p[1] * PRECISION) / PRECISION]
  if (g.type === 'Point') return { type: 'Point', coordinates: r(g.coordinates) }
  if (g.type === 'LineString') return { type: 'LineString', coordinates: g.coordinates.map(r) }
  return { type: 'Polygon', coordinates: g.coordinates.map((ring) => ring.map(r)) }
}

function geometryOf(f: GeoJSONStoreFeatures | undefined): EditableGeometry | null {
  const g = f?.geometry
  if (!g) return null
  if (g.type === 'Point') return { type: 'Point', coordinates: g.coordinates as Position }
  if (g.type === 'LineString') return { type: 'LineString', coordinates: g.coordinates as Position[] }
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates as Position[][] }
  return null
}

const sameGeometry = (a: EditableGeometry | null, b: EditableGeometry | null) => !!a && !!b && JSON.stringify(rounded(a)) === JSON.stringify(rounded(b))

const EDIT_FLAGS = { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } }

function createDraw(map: MapLibreMap): TerraDraw {
  const white = PALETTE.selection as `#${string}`
  const grey = PALETTE.neutral as `#${string}`
  const dark = PALETTE.neutralOutline as `#${string}`
  return new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map, prefixId: 'census-draw' }),
    modes: [
      new TerraDrawPointMode({ styles: { pointColor: white, pointWidth: 7, pointOutlineColor: dark, pointOutlineWidth: 2 } }),
      new TerraDrawLineStringMode({ styles: { lineStringColor: white, lineStringWidth: 3, closingPointColor: white, closingPointWidth: 5, closingPointOutlineColor: dark, closingPointOutlineWidth: 1 } }),
      new TerraDrawPolygonMode({ styles: { fillColor: grey, fillOpacity: 0.2, outlineColor: white, outlineWidth: 3, closingPointColor: white, closingPointWidth: 5, closingPointOutlineColor: dark, closingPointOutlineWidth: 1 } }),
      new TerraDrawSelectMode({
        allowManualDeselection: false,
        keyEvents: { deselect: null, delete: null, rotate: null, scale: null },
        flags: { point: { feature: { draggable: true } }, linestring: { feature: EDIT_FLAGS }, polygon: { feature: EDIT_FLAGS } },
        styles: {
          selectedPointColor: white,
          selectedPointWidth: 8,
          selectedPointOutlineColor: dark,
          selectedPointOutlineWidth: 2,
          selectedLineStringColor: white,
          selectedLineStringWidth: 4,
          selectedPolygonColor: grey,
          selectedPolygonFillOpacity: 0.25,
          selectedPolygonOutlineColor: white,
          selectedPolygonOutlineWidth: 3,
          selectionPointColor: white,
          selectionPointWidth: 6,
          selectionPointOutlineColor: dark,
          selectionPointOutlineWidth: 2,
          midPointColor: grey,
          midPointWidth: 4,
          midPointOutlineColor: dark,
          midPointOutlineWidth: 1,
        },
      }),
    ],
  })
}

export class CensusDraw {
  private draw: TerraDraw | null = null
  private state: DrawState = 'idle'
  /** What to start again after a theme switch replaced the style (terra-draw's layers go with it). */
  private last: { kind: 'draw'; type: CensusGeometryType } | { kind: 'edit'; geometry: EditableGeometry } | null = null
  private readonly onStyle = () => this.restart()

  constructor(
    private readonly map: MapLibreMap,
    private readonly callbacks: CensusDrawCallbacks,
  ) {
    map.on('style.load', this.onStyle)
  }

  get current(): DrawState {
    return this.state
  }

  /** Starts drawing a new geometry of the type; a click (point) or the finishing click (line, polygon) ends it. */
  startDrawing(type: CensusGeometryType): void {
    this.last = { kind: 'draw', type }
    const draw = this.fresh()
    draw.setMode(MODE_OF[type])
    this.setState('draw')
  }

  /**
   * Loads a geometry to move or reshape it (selected, with its vertices draggable). Returns false when
   * terra-draw cannot take it (e.g. an unclosed ring): the editor then offers typing or drawing again.
   */
  startEditing(geometry: EditableGeometry): boolean {
    if (this.state === 'edit' && this.draw && sameGeometry(this.selectedGeometry(), geometry)) return true
    this.last = { kind: 'edit', geometry }
    const draw = this.fresh()
    const [result] = draw.addFeatures([{ type: 'Feature', geometry: rounded(geometry), properties: { mode: MODE_OF[geometry.type] } } as GeoJSONStoreFeatures])
    if (!result?.valid || result.id === undefined) {
      this.stop()
      return false
    }
    draw.setMode('select')
    draw.selectFeature(result.id)
    this.setState('edit')
    return true
  }

  stop(): void {
    this.last = null
    this.teardown()
    this.setState('idle')
  }

  destroy(): void {
    this.map.off('style.load', this.onStyle)
    this.teardown()
  }

  private selectedGeometry(): EditableGeometry | null {
    return geometryOf(this.draw?.getSnapshot()[0])
  }

  private fresh(): TerraDraw {
    this.teardown()
    const draw = createDraw(this.map)
    draw.start()
    draw.on('finish', (id, context) => {
      const feature = draw.getSnapshotFeature(id)
      const geometry = geometryOf(feature)
      if (!geometry) return
      if (context.action === 'draw') {
        // One geometry at a time: keep the one just drawn, selected for moving and reshaping.
        const others = draw.getSnapshot().filter((f) => f.id !== id).map((f) => f.id!)
        if (others.length > 0) draw.removeFeatures(others)
        draw.setMode('select')
        draw.selectFeature(id)
        this.last = { kind: 'edit', geometry }
        this.setState('edit')
      } else if (this.last?.kind === 'edit') this.last = { kind: 'edit', geometry }
      this.callbacks.onGeometry(geometry)
    })
    this.draw = draw
    return draw
  }

  private teardown(): void {
    const draw = this.draw
    this.draw = null
    if (!draw) return
    try {
      draw.stop()
    } catch {
      // The style that held terra-draw's layers is gone already (theme switch, map removed).
    }
  }

  private restart(): void {
    const last = this.last
    this.teardown()
    if (!last) return
    if (last.kind === 'draw') this.startDrawing(last.type)
    else this.startEditing(last.geometry)
  }

  private setState(state: DrawState): void {
    if (state === this.state) return
    this.state = state
    this.callbacks.onState(state)
  }
}
