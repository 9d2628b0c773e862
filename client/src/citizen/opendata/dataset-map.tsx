/**
 * A dataset's preview on a map: the base map of report-map.tsx (the server's own style and tiles, the
 * MapLibre worker from our origin, so the Content-Security-Policy holds), fitted to the dataset's
 * bounding box, its features drawn by geometry — points as circles, lines, polygons filled — or, when
 * the file is too big to load, the bounding box alone. The text alternative is the caller's, named by
 * `describedBy`; the container says data-state="ready" once the features are drawn.
 */
import { useEffect, useRef, useState } from 'react'
import { Map as MapLibreMap, NavigationControl, setWorkerUrl, type FilterSpecification, type GeoJSONSourceSpecification } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import 'maplibre-gl/dist/maplibre-gl.css'
import { baseMapStyleUrl } from '../../map2d/base-map-style'

setWorkerUrl(workerUrl)

const PA_BLUE = '#0066cc'
const CITY_CENTRE: [number, number] = [11.3426, 44.4949]
const POLYGONS = ['Polygon', 'MultiPolygon']
/** Features whose geometry is one of `types` (MapLibre names Multi* by their own type). */
const ofType = (types: string[]): FilterSpecification => ['in', ['geometry-type'], ['literal', types]]
const AREAS = ofType(POLYGONS)
const LINES = ofType(['LineString', 'MultiLineString', ...POLYGONS])
const POINTS = ofType(['Point', 'MultiPoint'])

type Bbox = readonly [number, number, number, number]

/** The bounding box as a GeoJSON polygon (what the map shows when the features are not loaded). */
export function bboxPolygon(b: Bbox): GeoJSON.FeatureCollection {
  const [w, s, e, n] = b
  return { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } }] }
}

export function DatasetMap({ data, bbox, label, describedBy, outline = false }: { data: GeoJSON.FeatureCollection; bbox: Bbox | null; label: string; describedBy: string; outline?: boolean }) {
  const box = useRef<HTMLDivElement>(null)
  const [ready, setReady] = useState(false)
  useEffect(() => {
    if (!box.current) return
    const map = new MapLibreMap({
      container: box.current,
      style: baseMapStyleUrl('light'),
      ...(bbox ? { bounds: [bbox[0], bbox[1], bbox[2], bbox[3]] as [number, number, number, number], fitBoundsOptions: { padding: 40, maxZoom: 16 } } : { center: CITY_CENTRE, zoom: 12 }),
      maxZoom: 19,
      attributionControl: { compact: false },
      keyboard: true,
    })
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right')
    // The canvas is MapLibre's "region": named, and described by the text alternative beside the map.
    map.getCanvas().setAttribute('aria-label', label)
    map.getCanvas().setAttribute('aria-describedby', describedBy)
    map.on('load', () => {
      map.addSource('dataset', { type: 'geojson', data } satisfies GeoJSONSourceSpecification)
      map.addLayer({ id: 'dataset-fill', type: 'fill', source: 'dataset', filter: AREAS, paint: { 'fill-color': PA_BLUE, 'fill-opacity': outline ? 0.08 : 0.25 } })
      map.addLayer({
        id: 'dataset-line',
        type: 'line',
        source: 'dataset',
        filter: LINES,
        paint: { 'line-color': PA_BLUE, 'line-width': 2, ...(outline ? { 'line-dasharray': [3, 2] } : {}) },
      })
      map.addLayer({ id: 'dataset-points', type: 'circle', source: 'dataset', filter: POINTS, paint: { 'circle-radius': 5, 'circle-color': PA_BLUE, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 } })
      map.once('idle', () => setReady(true))
    })
    ;(window as unknown as { __datasetMap?: MapLibreMap }).__datasetMap = map
    return () => map.remove()
    // The map is made once per dataset page (the parent keys it by dataset); its label follows the language at the next visit.
  }, []) // eslint-disable-line react-hooks/exhaustive-deps
  return <div ref={box} className="opendata-map" data-testid="dataset-map" data-state={ready ? 'ready' : 'loading'} />
}
