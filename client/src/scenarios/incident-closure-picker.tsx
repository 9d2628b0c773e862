import { useCallback, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Incident } from '../../../contracts/incident-api'
import { useServices } from '../app/services'
import { useFetched } from '../panels/use-fetched'
import { useFormatters } from '../panels/use-formatters'
import type { EditForm } from './edit-form'
import { closureFormAtIncident, INCIDENT_RADIUS_M, type RoadLinkFeature } from './incident-closure'

export interface IncidentClosurePickerProps {
  /** The road links the map has (the estimate's links), or null before an estimate came. */
  roads: readonly RoadLinkFeature[] | null
  /** The estimate is being asked for (the roads come with it). */
  roadsLoading: boolean
  /** Why the estimate failed (no roads then). */
  roadsError: string | null
  /** Asks for the estimate, so that the roads come. */
  onNeedRoads(): void
  /** The prefilled close-road form, to check on the map and add. */
  onForm(form: EditForm): void
  onCancel(): void
}

/**
 * "Close roads at an incident": the open incidents (GET /api/incidents, live:read), and on choosing one
 * the close-road form with the roads within 40 m of it, the incident as the source and a note naming
 * it. When no road is that near it says so and adds nothing.
 */
export function IncidentClosurePicker({ roads, roadsLoading, roadsError, onNeedRoads, onForm, onCancel }: IncidentClosurePickerProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { api } = useServices()
  const id = useId()
  const fetchIncidents = useCallback((signal?: AbortSignal) => api.listIncidents({ status: 'open' }, signal), [api])
  const incidents = useFetched<Incident[]>(fetchIncidents)
  const [message, setMessage] = useState<string | null>(null)
  const list = incidents.data

  const choose = (value: string) => {
    const incident = list?.find((i) => String(i.id) === value)
    if (!incident || !roads) return
    const note = t('scenarios.incident.note', { id: incident.id, title: incident.title })
    const form = closureFormAtIncident(incident, roads, note, INCIDENT_RADIUS_M)
    if (form) onForm(form)
    else setMessage(t('scenarios.incident.noRoad', { radius: INCIDENT_RADIUS_M, id: incident.id, title: incident.title }))
  }

  return (
    <fieldset className="cr-form scenario-incident-closure" data-testid="scenario-incident-closure">
      <legend>{t('scenarios.incident.title')}</legend>
      <p className="muted small">{t('scenarios.incident.hint', { radius: INCIDENT_RADIUS_M })}</p>
      {!roads && (
        <p className="muted small" data-testid="scenario-incident-roads">
          {roadsLoading ? (
            t('scenarios.incident.loadingRoads')
          ) : roadsError ? (
            <span className="error-text">{t('scenarios.compare.failed', { message: roadsError })}</span>
          ) : (
            <>
              {t('scenarios.incident.needRoads')}{' '}
              <button type="button" className="text-button" onClick={onNeedRoads} data-testid="scenario-incident-load-roads">
                {t('scenarios.incident.loadRoads')}
              </button>
            </>
          )}
        </p>
      )}
      {incidents.error && (
        <p className="error-text" role="alert">
          {t('scenarios.incident.loadFailed', { message: incidents.error })}
        </p>
      )}
      {!list && !incidents.error && <p className="muted small">{t('scenarios.incident.loading')}</p>}
      {list && list.length === 0 && <p className="muted small">{t('scenarios.incident.none')}</p>}
      {list && list.length > 0 && (
        <label htmlFor={id}>
          {t('scenarios.incident.label')}
          <select
            id={id}
            value=""
            disabled={!roads}
            onChange={(e) => {
              setMessage(null)
              choose(e.target.value)
            }}
            data-testid="scenario-incident-select"
          >
            <option value="">{t('scenarios.incident.choose')}</option>
            {list.map((i) => (
              <option key={i.id} value={i.id}>
                {t('scenarios.incident.option', { id: i.id, title: i.title, priority: t(`scenarios.incident.priority.${i.priority}`), at: fmt.dateTime(i.createdAtMs) })}
              </option>
            ))}
          </select>
        </label>
      )}
      {message && (
        <p className="field-error" role="status" data-testid="scenario-incident-message">
          {message}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="text-button" onClick={onCancel} data-testid="scenario-incident-cancel">
          {t('scenarios.cancel')}
        </button>
      </div>
    </fieldset>
  )
}
