/**
 * "New project" (docs/pmo.md "Adding a project"): the fields a project cannot be without — id, line,
 * title, status, start and end, one funding source and its amount in euro. The server checks the rest;
 * its validation problems (`body.project.<field>`) are shown next to their fields.
 */
import { useState, type FormEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ProjectDetail } from '../../../contracts/pmo-api'
import { PMO_LINES, PROJECT_STATUSES, type PmoLine, type ProjectStatus } from '../../../contracts/schemas/pmo'
import { ApiError } from '../api/api-error'
import type { PmoClient } from '../api/pmo-client'
import { errorMessage, isConflict } from '../panels/action-error'
import { EMPTY_NEW_PROJECT, problemsFromDetails, projectFromForm, type FormProblems, type NewProjectForm } from './pmo-form'
import { lineTitle } from './pmo-overview'

export function NewProjectFormView({ client, onCreated }: { client: PmoClient; onCreated(d: ProjectDetail): void }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.resolvedLanguage ?? i18n.language
  const [form, setForm] = useState<NewProjectForm>(EMPTY_NEW_PROJECT)
  const [problems, setProblems] = useState<FormProblems>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const set = <K extends keyof NewProjectForm>(k: K, v: NewProjectForm[K]) => setForm((f) => ({ ...f, [k]: v }))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const r = projectFromForm(form, lang)
    if (!r.ok) return setProblems({ fundingEuros: t('pmo.edit.notAmount') })
    setBusy(true)
    setProblems({})
    setError(null)
    client
      .create(r.project, t('pmo.new.note'))
      .then(onCreated)
      .catch((err: unknown) => {
        if (isConflict(err)) return setProblems({ id: t('pmo.new.idTaken') })
        if (err instanceof ApiError && err.code === 'VALIDATION_FAILED') {
          const { fields, other } = problemsFromDetails(err.details)
          setProblems(fields)
          if (other.length > 0) setError(other.join('; '))
        } else setError(errorMessage(err))
      })
      .finally(() => setBusy(false))
  }
  const field = (k: keyof NewProjectForm, label: string, input: ReactNode) => (
    <label>
      {label}
      {input}
      {problems[k] && (
        <span className="field-error" id={`pmo-new-${k}-problem`} data-field={k}>
          {problems[k]}
        </span>
      )}
    </label>
  )
  const text = (k: 'id' | 'title' | 'fundingSource' | 'fundingEuros' | 'startDate' | 'endDate', type = 'text') => (
    <input name={`pmo-new-${k}`} type={type} value={form[k]} aria-invalid={problems[k] ? true : undefined} aria-describedby={problems[k] ? `pmo-new-${k}-problem` : undefined} onChange={(e) => set(k, e.target.value)} />
  )
  return (
    <form className="cr-form pmo-new-project" data-testid="pmo-new-project" onSubmit={submit} aria-label={t('pmo.new.title')}>
      <h3 className="incident-title">{t('pmo.new.title')}</h3>
      {field('id', t('pmo.new.id'), text('id'))}
      {field(
        'line',
        t('pmo.line'),
        <select name="pmo-new-line" value={form.line} onChange={(e) => set('line', e.target.value as PmoLine)}>
          {(Object.keys(PMO_LINES) as PmoLine[]).map((l) => (
            <option key={l} value={l}>
              {lineTitle(l, lang)}
            </option>
          ))}
        </select>,
      )}
      {field('title', t('pmo.new.projectTitle'), text('title'))}
      {field(
        'status',
        t('pmo.edit.status'),
        <select name="pmo-new-status" value={form.status} onChange={(e) => set('status', e.target.value as ProjectStatus)}>
          {PROJECT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`pmo.status.${s}`)}
            </option>
          ))}
        </select>,
      )}
      <div className="position-fields">
        {field('startDate', t('pmo.new.start'), text('startDate', 'date'))}
        {field('endDate', t('pmo.new.end'), text('endDate', 'date'))}
      </div>
      <div className="position-fields">
        {field('fundingSource', t('pmo.new.source'), text('fundingSource'))}
        {field('fundingEuros', t('pmo.new.amount'), text('fundingEuros'))}
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy}>
          {t('pmo.new.create')}
        </button>
      </div>
    </form>
  )
}
