/**
 * A scene's annotations on the 2D map: a label over a ring at each position, as MapLibre markers
 * (DOM elements that follow the map). Text in the page language (html lang), Italian or English.
 */
import { Marker, type Map as MapLibreMap } from 'maplibre-gl'
import type { Annotation } from '../../../contracts/schemas/scene'

export function annotationText(a: Annotation, lang: string): string {
  return lang.startsWith('it') ? a.label.it : a.label.en
}

export class AnnotationMarkers {
  private markers: Marker[] = []
  private shown: readonly Annotation[] | null = null

  constructor(private readonly map: MapLibreMap) {}

  set(annotations: readonly Annotation[], lang: string): void {
    if (annotations === this.shown) return
    this.clear()
    this.shown = annotations
    for (const a of annotations) {
      const el = document.createElement('div')
      el.className = 'annotation-marker'
      el.dataset.annotation = a.id
      el.textContent = annotationText(a, lang)
      const note = a.note ? (lang.startsWith('it') ? a.note.it : a.note.en) : null
      if (note) el.title = note
      this.markers.push(new Marker({ element: el, anchor: 'bottom' }).setLngLat(a.position).addTo(this.map))
    }
  }

  clear(): void {
    for (const m of this.markers) m.remove()
    this.markers = []
    this.shown = null
  }
}
