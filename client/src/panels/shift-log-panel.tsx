import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { ShiftLogEntry, ShiftLogKind } from '../../../contracts/incident-api'
import { useServices } from '../app/services'
import { errorMessage } from './action-error'
import { SideSheet } from './side-sheet'
import { useFormatters } from './use-formatters'
import { usePermission } from './use-permission'
import './control-room.css'

const PAGE = 50

/** The control room's diary, newest first: notes, and hand-over notes with what the next shift must follow up. */
export function ShiftLogPanel({ onClose }: { onClose(): void }) {
  const { t } = useTranslation()
  const { api } = useServices()
  const fmt = useFormatters()
  const act = usePermission('alarm:act')
  const [entries, setEntries] = useState<ShiftLogEntry[]>([])
  const [next, setNext] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loaded, setLoaded] = useState(false)
  const [kind, setKind] = useState<ShiftLogKind>('note')
  const [text, setText] = useState('')
  const [openItems, setOpenItems] = useState('')
  const [busy, setBusy] = useState(false)

  const load = useCallback(
    (beforeId?: number, signal?: AbortSignal) =>
      api
        .listShiftLog({ limit: PAGE, ...(beforeId ? { beforeId } : {}) }, signal)
        .then((r) => {
          setEntries((prev) => (beforeId ? [...prev, ...r.entries] : r.entries))
          setNext(r.nextBeforeId)
          setError(null)
          setLoaded(true)
        })
        .catch((err: unknown) => {
          if (!signal?.aborted) setError(errorMessage(err))
        }),
    [api],
  )
  useEffect(() => {
    const controller = new AbortController()
    void load(undefined, controller.signal)
    return () => controller.abort()
  }, [load])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (text.trim() === '') return
    setBusy(true)
    api
      .appendShiftLog({ kind, text: text.trim(), ...(kind === 'handover' && openItems.trim() !== '' ? { openItems: openItems.trim() } : {}) })
      .then((entry) => {
        setEntries((prev) => [entry, ...prev])
        setText('')
        setOpenItems('')
        setError(null)
      })
      .catch((err: unknown) => setError(errorMessage(err)))
      .finally(() => setBusy(false))
  }

  return (
    <SideSheet title={t('shiftLog.title')} closeLabel={t('shiftLog.close')} onClose={onClose} side="right" wide className="shift-log-panel">
      <form className="cr-form" onSubmit={submit}>
        <fieldset className="kind-choice">
          <legend>{t('shiftLog.kind')}</legend>
          {(['note', 'handover'] as const).map((k) => (
            <label key={k} className="radio-label">
              <input type="radio" name="shift-log-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {t(`shiftLog.kinds.${k}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t(kind === 'handover' ? 'shiftLog.handoverText' : 'shiftLog.text')}
          <textarea name="shift-log-text" rows={3} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        {kind === 'handover' && (
          <label>
            {t('shiftLog.openItems')}
            <textarea name="shift-log-open-items" rows={3} maxLength={4000} value={openItems} onChange={(e) => setOpenItems(e.target.value)} />
          </label>
        )}
        <div className="form-actions">
          <button type="submit" className="primary-button" disabled={!act.allowed || busy || text.trim() === ''} title={act.reason}>
            {t('shiftLog.submit')}
          </button>
          {!act.allowed && <span className="muted">{act.reason}</span>}
        </div>
      </form>
      {error && (
        <p className="error-text" role="alert">
          {t('shiftLog.failed', { message: error })}
        </p>
      )}
      {loaded && entries.length === 0 && <p className="muted">{t('shiftLog.empty')}</p>}
      <ol className="shift-log">
        {entries.map((e) => (
          <li key={e.id} className={`shift-entry kind-${e.kind}`} data-kind={e.kind}>
            <div className="shift-entry-head">
              <time dateTime={new Date(e.atMs).toISOString()}>{fmt.dateTime(e.atMs)}</time>
              <span className="timeline-who">{e.author}</span>
              {e.kind === 'handover' && <span className="badge badge-hidden">{t('shiftLog.kinds.handover')}</span>}
            </div>
            <p className="shift-entry-text">{e.text}</p>
            {e.openItems && (
              <div className="shift-open-items">
                <h4>{t('shiftLog.openItems')}</h4>
                <p>{e.openItems}</p>
              </div>
            )}
          </li>
        ))}
      </ol>
      {next !== null && (
        <button type="button" className="text-button" onClick={() => void load(next)}>
          {t('shiftLog.more')}
        </button>
      )}
    </SideSheet>
  )
}
