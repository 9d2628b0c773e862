/**
 * The scenario explorer's part of the test API on `window.__gemello` (docs/ui.md, "Test API"): what the
 * maps were given, and what deck.gl draws at a pixel — the delta layer on the live map, each side of
 * the split and swipe maps — so a browser test can tell a drawn layer from an empty one.
 */
import { SCENARIO_LAYER_IDS } from '../map2d/layers/scenario-links/scenario-links-layer'
import { midpoint } from '../map2d/layers/scenario-links/link-style'
import type { CompareMaps, CompareSide } from '../map2d/compare-maps'
import type { MapController } from '../map2d/map-controller'
import type { ScenarioWalls } from '../globe3d/scenario-walls'
import type { ScenarioLinkDatum, ScenarioMapStore } from '../state/scenario-map'

export interface ScenarioTestView {
  open: boolean
  mode: string
  loading: boolean
  hour: number | null
  revision: number | null
  links: number
  loops: number
  closed: number
  highlighted: readonly string[]
  pick: string
  /** The SUMO run drawn on the maps ("Show on map"), and its edges drawn; null: none. */
  sumo: { runId: number; edges: number } | null
}

/** A link drawn at a page pixel. */
export interface PickedLink {
  edgeId: string
  deltaVehH: number
  closed: boolean
}

export interface GemelloScenarioTestApi {
  scenario(): ScenarioTestView
  /** The middle of a link of the estimate, [lon, lat] (null: not in the data). */
  scenarioLinkMiddle(edgeId: string): [number, number] | null
  /** Page pixel of the middle of a link of the estimate on the live map (null: not in the data). */
  scenarioLinkAt(edgeId: string): [number, number] | null
  /** The link the live map's delta layer draws at a page pixel. */
  scenarioPick(x: number, y: number): PickedLink | null
  /** The split or swipe maps have drawn their style and got the estimate. */
  compareReady(): boolean
  /** Page pixel of a coordinate on one side of the compare maps (null: not shown). */
  compareProject(side: CompareSide, lon: number, lat: number): [number, number] | null
  /** The link one side of the compare maps draws at a page pixel, with that side's flow. */
  comparePick(side: CompareSide, x: number, y: number): (PickedLink & { flowVehH: number }) | null
  /** Walls of the scenario's flows in the 3D view (null: no 3D view). */
  scenarioWalls(): { count: number } | null
}

declare module './test-hook' {
  interface GemelloTestApi extends Partial<GemelloScenarioTestApi> {}
}

export interface ScenarioTestHookSources {
  channel: ScenarioMapStore
  map(): MapController | null
  compare(): CompareMaps | null
  walls(): ScenarioWalls | null
}

const picked = (l: ScenarioLinkDatum): PickedLink => ({ edgeId: l.edgeId, deltaVehH: l.deltaVehH, closed: l.left.closed || l.right.closed })

export function installScenarioTestHook(s: ScenarioTestHookSources): void {
  const api = window.__gemello as Partial<GemelloScenarioTestApi> | undefined
  if (!api) return
  Object.assign(api, {
    scenario: () => {
      const st = s.channel.get()
      return {
        open: st.active,
        mode: st.mode,
        loading: st.loading,
        hour: st.data?.hour ?? null,
        revision: st.data?.revision ?? null,
        links: st.data?.links.length ?? 0,
        loops: st.data?.loops.length ?? 0,
        closed: st.data?.links.filter((l) => l.right.closed).length ?? 0,
        highlighted: st.highlighted,
        pick: st.pick,
        sumo: st.sumo ? { runId: st.sumo.runId, edges: st.sumo.edges.length } : null,
      }
    },
    scenarioLinkMiddle: (edgeId: string) => {
      const link = s.channel.get().data?.links.find((l) => l.edgeId === edgeId)
      return link ? midpoint(link.path) : null
    },
    scenarioLinkAt: (edgeId: string) => {
      const link = s.channel.get().data?.links.find((l) => l.edgeId === edgeId)
      const m = link ? midpoint(link.path) : null
      const c = s.map()
      return m && c ? c.project(m[0], m[1]) : null
    },
    scenarioPick: (x: number, y: number) => {
      const c = s.map()
      if (!c) return null
      const r = c.map.getContainer().getBoundingClientRect()
      const info = c.pickObjects(x - r.left, y - r.top, [SCENARIO_LAYER_IDS.links], 3)[0]
      return info?.object ? picked(info.object as ScenarioLinkDatum) : null
    },
    compareReady: () => {
      const el = document.querySelector('[data-testid="scenario-compare-map"]')
      return !!s.compare() && el?.getAttribute('data-ready') === 'true'
    },
    compareProject: (side: CompareSide, lon: number, lat: number) => {
      const maps = s.compare()
      if (!maps) return null
      const m = maps.map(side)
      const p = m.project([lon, lat])
      const r = m.getContainer().getBoundingClientRect()
      return [r.left + p.x, r.top + p.y] as [number, number]
    },
    comparePick: (side: CompareSide, x: number, y: number) => {
      const maps = s.compare()
      if (!maps) return null
      const r = maps.map(side).getContainer().getBoundingClientRect()
      const info = maps.pick(side, x - r.left, y - r.top, [SCENARIO_LAYER_IDS.links])
      const l = info?.object as ScenarioLinkDatum | undefined
      return l ? { ...picked(l), flowVehH: side === 'left' ? l.left.flowVehH : l.right.flowVehH } : null
    },
    scenarioWalls: () => {
      const w = s.walls()
      return w ? { count: w.count } : null
    },
  } satisfies GemelloScenarioTestApi)
}
