import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { RepairPreview } from '../api/census-client'
import { errorMessage } from '../panels/action-error'
import { useFormatters } from '../panels/use-formatters'
import { geometryBbox, requestFocus, type CensusMapState, type EditableGeometry } from '../state/census-map'
import { useStore } from '../state/store'
import { editableOf, pointFromText, vertexCount } from './census-geometry'
import { useCensusServices } from './census-services'
import type { ModelType } from './form-model'
import { GeometryGlyph } from './geometry-glyph'

export interface GeometrySectionProps {
  type: ModelType
  geometry: EditableGeometry | null
  changed: boolean
  editable: boolean
  redraw: boolean
  onRedraw(on: boolean): void
  onChange(geometry: EditableGeometry): void
  /** The server's INVALID_GEOMETRY message of the last save. */
  error: string | null
}

const selectDrawing = (s: CensusMapState) => s.drawing
const selectBound = (s: CensusMapState) => s.mapBound

/**
 * The feature's geometry: what terra-draw is doing (draw, move, reshape) with a hint, a point's
 * coordinates to type, redraw, zoom to it; a refused geometry's reason with "Preview repair" (what
 * ST_MakeValid makes of it, shown on the map) and "Use repaired geometry" when the collection takes it.
 */
export function GeometrySection({ type, geometry, changed, editable, redraw, onRedraw, onChange, error }: GeometrySectionProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { client, channel } = useCensusServices()
  const drawing = useStore(channel, selectDrawing)
  const bound = useStore(channel, selectBound)
  const [lon, setLon] = useState('')
  const [lat, setLat] = useState('')
  const [repair, setRepair] = useState<RepairPreview | null>(null)
  const [repairError, setRepairError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (geometry?.type === 'Point') {
      setLon(fmt.number(geometry.coordinates[0], 7).replace(/\s/g, ''))
      setLat(fmt.number(geometry.coordinates[1], 7).replace(/\s/g, ''))
    }
  }, [geometry, fmt])
  // A new geometry (or none) makes an old repair preview meaningless.
  useEffect(() => {
    setRepair(null)
    setRepairError(null)
    channel.set((s) => (s.overlay?.kind === 'repair' ? { ...s, overlay: null } : s))
  }, [channel, geometry])

  const applyPoint = () => {
    const p = pointFromText(lon, lat)
    if (p) onChange(p)
  }
  const previewRepair = () => {
    if (!geometry) return
    setBusy(true)
    client
      .repairPreview(type.id, geometry)
      .then((r) => {
        setRepair(r)
        setRepairError(null)
        channel.set((s) => ({ ...s, overlay: { kind: 'repair', before: geometry, after: r.repaired } }))
      })
      .catch((err: unknown) => setRepairError(errorMessage(err)))
      .finally(() => setBusy(false))
  }
  const repaired = repair?.acceptable ? editableOf(repair.repaired) : null
  const hint = !bound
    ? t('census.geometry.needMap')
    : drawing === 'draw'
      ? t(`census.geometry.drawHint.${type.geometryType}`)
      : drawing === 'edit'
        ? t(`census.geometry.editHint.${type.geometryType}`)
        : null

  return (
    <fieldset className="census-geometry" data-testid="census-geometry" data-drawing={drawing} data-geometry={geometry ? geometry.type : 'none'}>
      <legend>
        <GeometryGlyph type={type.geometryType} /> {t('census.geometry.title')}: {t(`census.geometry.${type.geometryType}`)}
        {changed && <span className="census-dirty-mark"> ✎ {t('census.editor.changed')}</span>}
      </legend>
      {geometry === null && !editable && <p className="muted">{t('census.geometry.none')}</p>}
      {geometry && geometry.type !== 'Point' && <p className="small">{t('census.geometry.vertices', { count: vertexCount(geometry) })}</p>}
      {(geometry?.type === 'Point' || (geometry === null && editable && type.geometryType === 'Point')) && (
        <div className="census-coordinates">
          <label>
            {t('census.geometry.lon')}
            <input value={lon} inputMode="decimal" disabled={!editable} onChange={(e) => setLon(e.target.value)} onBlur={applyPoint} onKeyDown={(e) => e.key === 'Enter' && applyPoint()} data-testid="census-lon" />
          </label>
          <label>
            {t('census.geometry.lat')}
            <input value={lat} inputMode="decimal" disabled={!editable} onChange={(e) => setLat(e.target.value)} onBlur={applyPoint} onKeyDown={(e) => e.key === 'Enter' && applyPoint()} data-testid="census-lat" />
          </label>
        </div>
      )}
      {editable && hint && (
        <p className="census-note small" role="status" data-testid="census-draw-hint">
          {hint}
        </p>
      )}
      <div className="form-actions">
        {editable && geometry && !redraw && (
          <button type="button" className="text-button" onClick={() => onRedraw(true)} disabled={!bound} data-testid="census-redraw">
            {t('census.geometry.redraw')}
          </button>
        )}
        {editable && redraw && geometry && (
          <button type="button" className="text-button" onClick={() => onRedraw(false)}>
            {t('census.geometry.cancelRedraw')}
          </button>
        )}
        {geometry && (
          <button type="button" className="text-button" onClick={() => channel.set((s) => requestFocus(s, geometryBbox(geometry)!))} disabled={!bound}>
            {t('census.geometry.zoomTo')}
          </button>
        )}
      </div>
      {error && (
        <div className="census-geometry-error" role="alert" data-testid="census-geometry-error">
          <p className="error-text">{error}</p>
          {editable && geometry && (
            <button type="button" className="text-button" onClick={previewRepair} disabled={busy} data-testid="census-repair-preview">
              {t('census.repair.preview')}
            </button>
          )}
        </div>
      )}
      {repairError && <p className="error-text">{repairError}</p>}
      {repair && (
        <div className="census-repair" role="status" data-testid="census-repair" data-acceptable={repair.acceptable}>
          <p className="small">
            {repair.valid ? t('census.repair.valid') : t('census.repair.invalid', { reason: repair.reason })} {repair.message}
          </p>
          {repair.repairedType && <p className="small muted">{t('census.repair.result', { type: repair.repairedType })}</p>}
          {repaired ? (
            <button type="button" className="primary-button" onClick={() => onChange(repaired)} data-testid="census-repair-use">
              {t('census.repair.use')}
            </button>
          ) : (
            <p className="small">{t('census.repair.notAcceptable')}</p>
          )}
        </div>
      )}
    </fieldset>
  )
}
