import { describe, expect, it } from 'vitest'
import { SceneSchema, type Scene } from '../../../contracts/schemas/scene'
import { DEFAULT_MAP_PREFERENCES } from '../map2d/map-preferences'
import { initialAppState } from '../state/app-state'
import { sceneGroups, scenePose, sceneUrl, withScene } from './scene-apply'

const scene = (over: Partial<Scene> = {}): Scene =>
  SceneSchema.parse({
    id: 'piazza-maggiore',
    title: { it: 'Piazza Maggiore', en: 'Piazza Maggiore' },
    description: { it: 'centro', en: 'centre' },
    view: '2d',
    camera: { target: [11.3426, 44.4939], zoom: 16.5, bearingDeg: -17, pitchDeg: 45 },
    layers: { groups: ['buildings'], devices: ['ztl-gate', 'traffic-loop'] },
    time: { mode: 'live' },
    ...over,
  })

describe('opening a scene', () => {
  it('shows exactly its device kinds, keeps its annotations and drops the selection', () => {
    const before = { ...initialAppState(0), selection: 'loop-450' }
    const after = withScene(before, scene())
    expect(after.visibleLayers).toEqual(['ztl-gate', 'traffic-loop'])
    expect(after.selection).toBeNull()
    expect(after.scene?.id).toBe('piazza-maggiore')
  })

  it('switches the base-map groups to the scene’s and keeps the operator’s theme', () => {
    const prefs = { theme: 'light' as const, groups: { buildings: false, network: true, signals: true } }
    expect(sceneGroups(prefs, scene())).toEqual({ theme: 'light', groups: { buildings: true, network: false, signals: false } })
    expect(sceneGroups(DEFAULT_MAP_PREFERENCES, scene({ layers: { groups: ['network', 'signals'], devices: [] } })).groups).toEqual({ buildings: false, network: true, signals: true })
  })

  it('gives both views the same pose: target, zoom, bearing and pitch', () => {
    expect(scenePose(scene())).toEqual({ center: [11.3426, 44.4939], zoom: 16.5, bearing: -17, pitch: 45 })
  })

  it('puts the scene in the address, with ?view=3d only for a 3D scene', () => {
    expect(sceneUrl('http://h/?view=3d&lang=it', scene())).toBe('http://h/?lang=it&scene=piazza-maggiore')
    expect(sceneUrl('http://h/', scene({ id: 'milan-centre', view: '3d' }))).toBe('http://h/?scene=milan-centre&view=3d')
  })
})
