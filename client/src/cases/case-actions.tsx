import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseDetail, CasePriority } from '../../../contracts/case-api'
import type { CaseStatus } from '../../../contracts/schemas/case'
import { usePermission } from '../panels/use-permission'
import { assignChange, localized, nextStatuses, statusChange } from './case-form'
import { useCaseServices } from './case-services'

export interface CaseActionsProps {
  detail: CaseDetail
  busy: boolean
  /** Someone changed the case meanwhile: nothing is sent until it is reloaded. */
  blocked: boolean
  change(call: () => Promise<CaseDetail>, after?: () => void): void
}

const PRIORITIES: readonly CasePriority[] = ['high', 'medium', 'low']

/**
 * The office's actions on a case: a new status with the note the citizen reads (a duplicate names the
 * original), route to an office / assign / priority in one save, and a note (internal, or public:
 * a FixMyStreet update). Roles without case:act see them disabled with the reason.
 */
export function CaseActions({ detail, busy, blocked, change }: CaseActionsProps) {
  const { t, i18n } = useTranslation()
  const { client, catalogue } = useCaseServices()
  const act = usePermission('case:act')
  const lang = i18n.resolvedLanguage ?? i18n.language
  const c = detail.case
  const choices = nextStatuses(c.status)
  const [status, setStatus] = useState<CaseStatus>(choices[0] ?? 'in_progress')
  const [statusNote, setStatusNote] = useState('')
  const [duplicateOf, setDuplicateOf] = useState('')
  const [assignee, setAssignee] = useState(c.assignee ?? '')
  const [officeId, setOfficeId] = useState(c.officeId)
  const [priority, setPriority] = useState<CasePriority>(c.priority)
  const [note, setNote] = useState('')
  const [notePublic, setNotePublic] = useState(false)
  const [hint, setHint] = useState<string | null>(null)
  const disabled = !act.allowed || busy || blocked

  const submitStatus = (e: FormEvent) => {
    e.preventDefault()
    const r = statusChange(c, { status, note: statusNote, duplicateOf })
    if (!r.ok) return setHint(t(`cases.actions.problems.${r.reason}`))
    setHint(null)
    change(() => client.update(c.id, r.body), () => setStatusNote(''))
  }
  const submitAssign = (e: FormEvent) => {
    e.preventDefault()
    const body = assignChange(c, { assignee, officeId, priority })
    if (!body) return setHint(t('cases.actions.nothingChanged'))
    setHint(null)
    change(() => client.update(c.id, body))
  }
  const submitNote = (e: FormEvent) => {
    e.preventDefault()
    if (note.trim() !== '') change(() => client.addNote(c.id, { version: c.version, text: note.trim(), public: notePublic }), () => setNote(''))
  }

  return (
    <div className="incident-actions case-actions">
      {hint && (
        <p className="muted" role="status">
          {hint}
        </p>
      )}
      <form className="cr-form inline-form" onSubmit={submitStatus} aria-label={t('cases.actions.statusSubmit')}>
        {c.closedAtMs !== null && <p className="muted">{t('cases.actions.closedHint')}</p>}
        <label>
          {t('cases.actions.status')}
          <select name="case-status" value={status} onChange={(e) => setStatus(e.target.value as CaseStatus)}>
            {choices.map((s) => (
              <option key={s} value={s}>
                {t(`cases.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {status === 'duplicate' && (
          <label>
            {t('cases.actions.duplicateOf')}
            <input name="case-duplicate-of" inputMode="numeric" value={duplicateOf} onChange={(e) => setDuplicateOf(e.target.value)} autoComplete="off" />
          </label>
        )}
        <label>
          {t('cases.actions.statusNote')}
          <textarea name="case-status-note" rows={2} maxLength={2000} value={statusNote} onChange={(e) => setStatusNote(e.target.value)} />
        </label>
        <button type="submit" className="primary-button" disabled={disabled} title={act.reason}>
          {t('cases.actions.statusSubmit')}
        </button>
      </form>
      <form className="cr-form inline-form" onSubmit={submitAssign} aria-label={t('cases.actions.assignTitle')}>
        <label>
          {t('cases.actions.office')}
          <select name="case-office" value={officeId} onChange={(e) => setOfficeId(e.target.value)}>
            {(catalogue?.offices ?? [{ id: c.officeId, name: { it: c.officeId, en: c.officeId } }]).map((o) => (
              <option key={o.id} value={o.id}>
                {localized(o.name, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('cases.actions.assignee')}
          <input name="case-assignee" value={assignee} placeholder="m.rossi" autoComplete="off" onChange={(e) => setAssignee(e.target.value)} />
        </label>
        <label>
          {t('cases.actions.priority')}
          <select name="case-priority" value={priority} onChange={(e) => setPriority(e.target.value as CasePriority)}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`cases.priority.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary-button" disabled={disabled} title={act.reason}>
          {t('cases.actions.assignSubmit')}
        </button>
      </form>
      <form className="cr-form inline-form" onSubmit={submitNote} aria-label={t('cases.actions.noteSubmit')}>
        <label>
          {t('cases.actions.note')}
          <textarea name="case-note" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        <label className="case-check">
          <input type="checkbox" name="case-note-public" checked={notePublic} onChange={(e) => setNotePublic(e.target.checked)} />
          {t('cases.actions.notePublic')}
        </label>
        <button type="submit" className="primary-button" disabled={disabled || note.trim() === ''} title={act.reason}>
          {t('cases.actions.noteSubmit')}
        </button>
      </form>
    </div>
  )
}
