import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { MapPose } from '../globe3d/camera-pose'
import { compareSides, setSwipe, type ScenarioMapState, type ScenarioMapStore } from '../state/scenario-map'
import { useStore } from '../state/store'
import { CompareMaps, type CompareSide } from './compare-maps'
import { ScenarioLayers, sideLayerOptions } from './layers/scenario-links/scenario-links-layer'
import { mapPreferences } from './map-preferences'

export interface ScenarioCompareMapProps {
  channel: ScenarioMapStore
  /** Where the maps look at start: the live map's camera. */
  pose: MapPose
  /** The attributions, shown once over both maps. */
  attribution: string
  tooltip(side: CompareSide, layerId: string, object: unknown): string[] | null
  /** The maps, for the test API (null when unmounted). */
  onMaps?(maps: CompareMaps | null): void
}

const selectMode = (s: ScenarioMapState) => s.mode
const selectSwipe = (s: ScenarioMapState) => s.swipe
const selectCover = (s: ScenarioMapState) => s.coverRightPx
const selectLoading = (s: ScenarioMapState) => s.loading
const selectData = (s: ScenarioMapState) => s.data
const selectSumo = (s: ScenarioMapState) => s.sumo

/** Arrow keys move the divider by 2 %, Page keys by 10 %. */
const STEP = 0.02
const PAGE = 0.1

/**
 * The split map (left and right side by side, cameras in step) and the swipe map (the two stacked,
 * a draggable divider revealing the left side — the base — on its left and the right side — the
 * scenario — on its right), over the map area left of the explorer's sheet. While a finished SUMO
 * run is shown, the left side is the estimate's scenario flows and the right side the simulated ones
 * (state/scenario-map.ts `compareSides`). The divider is a slider: arrow keys, Page Up/Down, Home and
 * End move it.
 */
export function ScenarioCompareMap({ channel, pose, attribution, tooltip, onMaps }: ScenarioCompareMapProps) {
  const { t } = useTranslation()
  const leftRef = useRef<HTMLDivElement>(null)
  const rightRef = useRef<HTMLDivElement>(null)
  const rootRef = useRef<HTMLDivElement>(null)
  const mapsRef = useRef<CompareMaps | null>(null)
  const propsRef = useRef({ tooltip, onMaps })
  propsRef.current = { tooltip, onMaps }
  const mode = useStore(channel, selectMode)
  const swipe = useStore(channel, selectSwipe)
  const cover = useStore(channel, selectCover)
  const loading = useStore(channel, selectLoading)
  const data = useStore(channel, selectData)
  const sumo = useStore(channel, selectSumo)
  const [ready, setReady] = useState(false)
  const [sources, setSources] = useState<string[]>([])
  const [width, setWidth] = useState(0)
  const swiping = mode === 'swipe'

  useEffect(() => {
    const left = leftRef.current
    const right = rightRef.current
    if (!left || !right) return
    let disposed = false
    let maps: CompareMaps | null = null
    let unsubscribe = () => {}
    // Made in a task of their own: the click that asked for them returns first (two WebGL maps are slow to make on a software GPU).
    const timer = setTimeout(() => {
      if (disposed) return
      const m = new CompareMaps({ left, right, pose, preferences: mapPreferences().get(), tooltip: (side, id, o) => propsRef.current.tooltip(side, id, o) })
      maps = m
      mapsRef.current = m
      const layers = { left: new ScenarioLayers(), right: new ScenarioLayers() }
      let drawn: ScenarioMapState | null = null
      const draw = () => {
        const s = channel.get()
        if (drawn && s.data === drawn.data && s.sumo === drawn.sumo && s.highlighted === drawn.highlighted && s.points === drawn.points) return
        drawn = s
        const sides = compareSides(s)
        m.setLayers('left', layers.left.build(s.data, sideLayerOptions(s, sides.left.shows)))
        m.setLayers('right', layers.right.build(s.data, sideLayerOptions(s, sides.right.shows)))
      }
      draw()
      unsubscribe = channel.subscribe(draw)
      void m.loaded.then(() => {
        if (disposed) return
        setReady(true)
        setSources(m.sourceAttributions())
        propsRef.current.onMaps?.(m)
      })
    }, 0)
    return () => {
      disposed = true
      clearTimeout(timer)
      unsubscribe()
      if (maps) {
        propsRef.current.onMaps?.(null)
        mapsRef.current = null
        maps.destroy()
      }
    }
    // The maps are made once; the pose is where they start.
  }, [channel])

  // The maps follow their containers' size (split ↔ swipe, the sheet's width).
  useEffect(() => {
    const root = rootRef.current
    if (!root) return
    const observer = new ResizeObserver(() => {
      setWidth(root.clientWidth)
      mapsRef.current?.resize()
    })
    observer.observe(root)
    return () => observer.disconnect()
  }, [])
  useEffect(() => mapsRef.current?.resize(), [mode])

  const dividerX = Math.round(swipe * width)
  const moveTo = (clientX: number) => {
    const r = rootRef.current?.getBoundingClientRect()
    if (r && r.width > 0) channel.set((s) => setSwipe(s, (clientX - r.left) / r.width))
  }
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId)
    moveTo(e.clientX)
  }
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (e.currentTarget.hasPointerCapture(e.pointerId)) moveTo(e.clientX)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const to: Record<string, number> = { ArrowLeft: swipe - STEP, ArrowDown: swipe - STEP, ArrowRight: swipe + STEP, ArrowUp: swipe + STEP, PageDown: swipe - PAGE, PageUp: swipe + PAGE, Home: 0, End: 1 }
    const next = to[e.key]
    if (next === undefined) return
    e.preventDefault()
    channel.set((s) => setSwipe(s, next))
  }

  const sides = compareSides({ data, sumo })
  const leftLabel = sides.left.label ?? t('scenarios.map.left')
  const rightLabel = sides.right.label ?? t('scenarios.map.right')
  return (
    <div
      ref={rootRef}
      className={`scenario-compare-map mode-${mode}`}
      style={{ right: cover }}
      data-testid="scenario-compare-map"
      data-mode={mode}
      data-ready={(ready && (data !== null || sumo !== null)) || undefined}
      data-revision={data?.revision}
      data-sumo-run={sumo?.runId}
      role="region"
      aria-label={t('scenarios.map.compareLabel', { left: leftLabel, right: rightLabel })}
    >
      <div ref={leftRef} className="compare-side compare-left" data-testid="scenario-compare-left" />
      <div ref={rightRef} className="compare-side compare-right" data-testid="scenario-compare-right" style={swiping ? { clipPath: `inset(0 0 0 ${dividerX}px)` } : undefined} />
      <p className="compare-label compare-label-left" style={swiping ? { right: `calc(100% - ${dividerX}px + 1.5rem)` } : undefined} data-testid="scenario-compare-left-label">
        ◀ {leftLabel}
      </p>
      <p className="compare-label compare-label-right" style={swiping ? { left: dividerX + 24 } : undefined} data-testid="scenario-compare-right-label">
        {rightLabel} ▶
      </p>
      {swiping && (
        <div
          className="swipe-divider"
          style={{ left: dividerX }}
          role="slider"
          tabIndex={0}
          aria-label={t('scenarios.map.divider')}
          aria-orientation="horizontal"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(swipe * 100)}
          aria-valuetext={t('scenarios.map.dividerText', { left: leftLabel, percent: Math.round(swipe * 100) })}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onKeyDown={onKeyDown}
          data-testid="scenario-swipe-divider"
        >
          <span className="swipe-handle" aria-hidden="true">
            ◀▶
          </span>
        </div>
      )}
      {loading && (
        <p className="compare-loading" role="status">
          <span className="spinner" aria-hidden="true" /> {t('scenarios.bar.computing')}
        </p>
      )}
      <p className="compare-attribution">{[...new Set([...sources, ...attribution.split(' · ')])].filter(Boolean).join(' · ')}</p>
    </div>
  )
}
