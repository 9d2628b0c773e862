import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ScenarioNetworkSchema, type Scenario, type ScenarioBase, type ScenarioNetwork } from '../../../contracts/schemas/scenario'
import { isConflict, errorMessage } from '../panels/action-error'
import { usePermission } from '../panels/use-permission'
import { BaseForm } from './base-form'
import { documentProblems, slugOf } from './scenario-draft'
import { useScenarioServices } from './scenario-services'

/** Starts a scenario at version 1 (a draft with no edits yet): title, id, network and base. */
export function ScenarioCreate({ onCreated, onCancel }: { onCreated(id: string): void; onCancel(): void }) {
  const { t } = useTranslation()
  const write = usePermission('scenario:write')
  const { client } = useScenarioServices()
  const [title, setTitle] = useState('')
  const [id, setId] = useState('')
  const [idTouched, setIdTouched] = useState(false)
  const [network, setNetwork] = useState<ScenarioNetwork>('city')
  const [base, setBase] = useState<ScenarioBase>({ kind: 'observed', date: '2024-03-15', hour: 8 })
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const shownId = idTouched ? id : slugOf(title)
  const document: Scenario = { id: shownId, title: title.trim(), network, base, edits: [], assumptions: [], parent: null }
  const problems = title.trim() || shownId ? documentProblems(document) : []

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (documentProblems(document).length) return
    setBusy(true)
    setMessage(null)
    client
      .create({ document, note: note.trim() })
      .then((d) => onCreated(d.id))
      .catch((err: unknown) => setMessage(isConflict(err) ? t('scenarios.create.taken', { id: shownId }) : t('scenarios.create.failed', { message: errorMessage(err) })))
      .finally(() => setBusy(false))
  }

  return (
    <form className="cr-form scenario-create" onSubmit={submit} data-testid="scenario-create">
      <p className="muted small">{t('scenarios.create.intro')}</p>
      <label>
        {t('scenarios.fields.title')}
        <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} data-testid="scenario-create-title" />
      </label>
      <label>
        {t('scenarios.fields.id')}
        <input
          value={shownId}
          onChange={(e) => {
            setIdTouched(true)
            setId(e.target.value)
          }}
          maxLength={80}
          spellCheck={false}
          aria-describedby="scenario-id-hint"
          data-testid="scenario-create-id"
        />
      </label>
      <p id="scenario-id-hint" className="muted small">
        {t('scenarios.create.idHint')}
      </p>
      <label>
        {t('scenarios.fields.network')}
        <select value={network} onChange={(e) => setNetwork(e.target.value as ScenarioNetwork)} data-testid="scenario-create-network">
          {ScenarioNetworkSchema.options.map((n) => (
            <option key={n} value={n}>
              {t(`scenarios.network.${n}`)}
            </option>
          ))}
        </select>
      </label>
      <BaseForm base={base} onChange={setBase} />
      <label>
        {t('scenarios.fields.note')}
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      </label>
      {problems.length > 0 && (
        <ul className="scenario-problems" data-testid="scenario-create-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {message && (
        <p className="error-text" role="alert">
          {message}
        </p>
      )}
      {!write.allowed && <p className="permission-note">{write.reason}</p>}
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy || !write.allowed || problems.length > 0 || !title.trim()} data-testid="scenario-create-submit">
          {busy ? t('scenarios.create.creating') : t('scenarios.create.submit')}
        </button>
        <button type="button" className="text-button" onClick={onCancel}>
          {t('scenarios.cancel')}
        </button>
      </div>
    </form>
  )
}
