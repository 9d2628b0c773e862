import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { IncidentDetail as Detail } from '../../../contracts/incident-api'
import { useServices } from '../app/services'
import type { AppState } from '../state/app-state'
import { applyIncident } from '../state/alarm-reducers'
import { useStore } from '../state/store'
import { errorMessage, isConflict } from './action-error'
import { PriorityBadge } from './priority-badge'
import { useFormatters } from './use-formatters'
import { usePermission } from './use-permission'

const selectIncidents = (s: AppState) => s.controlRoom.incidents

/**
 * One incident: what, where, who has it, the action log, and the operator's actions (note, assign,
 * close). Every change carries the version shown; when someone changed the incident first the server
 * refuses (409) and the panel says so, with a reload, instead of overwriting their work.
 */
export function IncidentDetailView({ id }: { id: number }) {
  const { t } = useTranslation()
  const { api, store } = useServices()
  const fmt = useFormatters()
  const act = usePermission('alarm:act')
  const pushed = useStore(store, selectIncidents).get(id)
  const [detail, setDetail] = useState<Detail | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [conflict, setConflict] = useState(false)
  const [busy, setBusy] = useState(false)
  const [note, setNote] = useState('')
  const [assignee, setAssignee] = useState('')
  const [closing, setClosing] = useState('')

  const load = useCallback(
    (signal?: AbortSignal) =>
      api
        .getIncident(id, signal)
        .then((d) => {
          setDetail(d)
          setAssignee(d.incident.assignee ?? '')
          setConflict(false)
          setError(null)
        })
        .catch((err: unknown) => {
          if (!signal?.aborted) setError(errorMessage(err))
        }),
    [api, id],
  )
  useEffect(() => {
    const controller = new AbortController()
    void load(controller.signal)
    return () => controller.abort()
  }, [load])

  const change = (call: () => Promise<Detail>, after?: () => void) => {
    setBusy(true)
    setError(null)
    call()
      .then((d) => {
        setDetail(d)
        store.set((s) => ({ ...s, controlRoom: applyIncident(s.controlRoom, d.incident) }))
        after?.()
      })
      .catch((err: unknown) => (isConflict(err) ? setConflict(true) : setError(errorMessage(err))))
      .finally(() => setBusy(false))
  }
  const submitNote = (e: FormEvent) => {
    e.preventDefault()
    if (note.trim() !== '') change(() => api.incidentAction(id, { text: note.trim() }), () => setNote(''))
  }
  const submitAssign = (e: FormEvent) => {
    e.preventDefault()
    if (detail) change(() => api.updateIncident(id, { version: detail.incident.version, assignee: assignee.trim() === '' ? null : assignee.trim() }))
  }
  const submitClose = (e: FormEvent) => {
    e.preventDefault()
    if (closing.trim().length >= 3) change(() => api.closeIncident(id, closing.trim()), () => setClosing(''))
  }

  if (!detail) return error ? <p className="error-text">{t('incidents.loadFailed', { message: error })}</p> : <p className="muted">{t('incidents.loading')}</p>
  const i = detail.incident
  const open = i.status === 'open'
  const changedElsewhere = conflict || (pushed !== undefined && pushed.version > i.version)
  const gate = { disabled: !act.allowed || busy || !open, title: act.reason }

  return (
    <section className="incident-detail" aria-labelledby={`incident-${i.id}`} data-incident-id={i.id}>
      <h3 id={`incident-${i.id}`} className="incident-title">
        {i.title}
      </h3>
      <p className="alarm-detail-head">
        <PriorityBadge priority={i.priority} />
        <span>{t(`incidents.types.${i.type}`)}</span>
        <span className="badge badge-hidden">{t(`incidents.status.${i.status}`)}</span>
      </p>
      {changedElsewhere && (
        <p className="conflict-note" role="alert">
          <span aria-hidden="true">▲ </span>
          {t('incidents.conflict')}{' '}
          <button type="button" className="text-button" onClick={() => void load()}>
            {t('incidents.reload')}
          </button>
        </p>
      )}
      {error && <p className="error-text" role="alert">{error}</p>}
      {i.description && <p>{i.description}</p>}
      <dl className="alarm-facts">
        <dt>{t('incidents.position')}</dt>
        <dd>
          {fmt.number(i.position[1], 5)}, {fmt.number(i.position[0], 5)}
          {i.area && ` · ${t('incidents.hasArea')}`}
        </dd>
        <dt>{t('incidents.assignee')}</dt>
        <dd>{i.assignee ?? t('incidents.nobody')}</dd>
        <dt>{t('incidents.created')}</dt>
        <dd>{t('incidents.byAt', { by: i.createdBy, at: fmt.dateTime(i.createdAtMs) })}</dd>
        {i.alarmIds.length > 0 && (
          <>
            <dt>{t('incidents.alarms')}</dt>
            <dd>{i.alarmIds.map((a) => `#${a}`).join(', ')}</dd>
          </>
        )}
        {i.closedAtMs !== null && (
          <>
            <dt>{t('incidents.closed')}</dt>
            <dd>
              {t('incidents.byAt', { by: i.closedBy ?? '—', at: fmt.dateTime(i.closedAtMs) })}
              {i.closingNote && ` — “${i.closingNote}”`}
            </dd>
          </>
        )}
      </dl>

      <h4>{t('incidents.log')}</h4>
      <ol className="incident-log">
        {detail.log.map((e) => (
          <li key={e.id} data-kind={e.kind}>
            <time dateTime={new Date(e.atMs).toISOString()}>{fmt.dateTime(e.atMs)}</time>
            <span className="timeline-what">{t(`incidents.logKinds.${e.kind}`)}</span>
            <span className="timeline-who">{e.author}</span>
            <span className="timeline-detail">{e.text}</span>
          </li>
        ))}
      </ol>

      {open && (
        <div className="incident-actions">
          <form className="cr-form inline-form" onSubmit={submitNote}>
            <label>
              {t('incidents.addNote')}
              <textarea name="incident-note" rows={2} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
            </label>
            <button type="submit" className="primary-button" {...gate} disabled={gate.disabled || note.trim() === ''}>
              {t('incidents.addNoteSubmit')}
            </button>
          </form>
          <form className="cr-form inline-form" onSubmit={submitAssign}>
            <label>
              {t('incidents.assignTo')}
              <input name="incident-assign" value={assignee} placeholder="m.rossi" autoComplete="off" onChange={(e) => setAssignee(e.target.value)} />
            </label>
            <button type="submit" className="primary-button" {...gate} disabled={gate.disabled || changedElsewhere}>
              {t('incidents.assignSubmit')}
            </button>
          </form>
          <form className="cr-form inline-form" onSubmit={submitClose}>
            <label>
              {t('incidents.closingNote')}
              <textarea name="incident-closing" rows={2} maxLength={4000} value={closing} onChange={(e) => setClosing(e.target.value)} />
            </label>
            <button type="submit" className="primary-button" {...gate} disabled={gate.disabled || closing.trim().length < 3}>
              {t('incidents.closeSubmit')}
            </button>
          </form>
        </div>
      )}
    </section>
  )
}
