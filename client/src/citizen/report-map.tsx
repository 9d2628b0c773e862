import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Map as MapLibreMap, NavigationControl, setWorkerUrl } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import 'maplibre-gl/dist/maplibre-gl.css'
import { baseMapStyleUrl } from '../map2d/base-map-style'

setWorkerUrl(workerUrl)

/**
 * Where the problem is: the centre of the map, marked by a fixed crosshair. The map moves with the
 * mouse, a finger, or — once focused — the arrow keys (MapLibre's keyboard handler), so the choice
 * needs no pointer (WCAG 2.1.1); the chosen point is written out in words below the map.
 */
export function ReportMap({ center, onChange }: { center: [number, number]; onChange(at: [number, number]): void }) {
  const { t } = useTranslation()
  const box = useRef<HTMLDivElement>(null)
  const [at, setAt] = useState(center)
  const onChangeRef = useRef(onChange)
  onChangeRef.current = onChange
  useEffect(() => {
    if (!box.current) return
    const map = new MapLibreMap({ container: box.current, style: baseMapStyleUrl('light'), center, zoom: 16, minZoom: 11, maxZoom: 19, attributionControl: { compact: false }, keyboard: true })
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right')
    map.getCanvas().setAttribute('aria-label', t('report.mapLabel'))
    const report = () => {
      const c = map.getCenter()
      const next: [number, number] = [Number(c.lng.toFixed(6)), Number(c.lat.toFixed(6))]
      setAt(next)
      onChangeRef.current(next)
    }
    map.on('moveend', report)
    ;(window as unknown as { __citizenMap?: MapLibreMap }).__citizenMap = map
    return () => map.remove()
    // The map is made once; its label follows the language at the next visit.
  }, []) // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div>
      <p id="map-help">{t('report.mapHelp')}</p>
      <div className="citizen-map" aria-describedby="map-help">
        <div ref={box} className="citizen-map-canvas" data-testid="report-map" />
        <div className="citizen-crosshair" aria-hidden="true" />
      </div>
      <p aria-live="polite" data-testid="report-position">
        {t('report.position', { lat: at[1].toFixed(5), lon: at[0].toFixed(5) })}
      </p>
    </div>
  )
}
