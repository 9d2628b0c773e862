import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { ScenarioDetail, ScenarioStatusValue, ScenarioVersion } from '../api/scenario-client'
import { errorMessage, isConflict } from '../panels/action-error'
import { useFormatters } from '../panels/use-formatters'
import { usePermission } from '../panels/use-permission'
import { BaseText } from './base-text'
import { slugOf } from './scenario-draft'
import type { ScenarioRef } from './scenario-link'
import { useScenarioServices } from './scenario-services'
import type { ScenarioTab } from './scenario-view'
import { StatusBadge } from './status-badge'

/** The status changes a scenario in each status offers. */
const NEXT_STATUS: Readonly<Record<ScenarioStatusValue, readonly ScenarioStatusValue[]>> = { draft: ['published', 'archived'], published: ['archived', 'draft'], archived: ['draft'] }

export interface ScenarioHeaderProps {
  detail: ScenarioDetail
  version: ScenarioVersion
  onReload(): void
  onDetail(detail: ScenarioDetail): void
  onOpen(ref: ScenarioRef, tab?: ScenarioTab): void
  onOpenVersion(version: number): void
  /** Asked before leaving unsaved edits. */
  canLeave(): boolean
}

/** Title, status, the version on screen against the latest, who made it; publish, archive, reopen, branch. */
export function ScenarioHeader({ detail, version, onReload, onDetail, onOpen, onOpenVersion, canLeave }: ScenarioHeaderProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const write = usePermission('scenario:write')
  const { client } = useScenarioServices()
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const [branching, setBranching] = useState(false)
  const older = version.version !== detail.latestVersion

  const setStatus = (status: ScenarioStatusValue) => {
    setBusy(true)
    setMessage(null)
    client
      .setStatus(detail.id, status)
      .then(onDetail)
      .catch((err: unknown) => setMessage(t('scenarios.header.statusFailed', { message: errorMessage(err) })))
      .finally(() => setBusy(false))
  }

  return (
    <div className="scenario-header" data-testid="scenario-header">
      <h3 className="scenario-title">
        {version.document.title} <StatusBadge status={detail.status} />
      </h3>
      <p className="small">
        <span data-testid="scenario-version-line">{t('scenarios.header.version', { v: version.version, latest: detail.latestVersion })}</span> · {t('scenarios.header.author', { by: version.author, at: fmt.dateTime(version.createdAtMs) })}
        {version.note && <span className="muted"> · “{version.note}”</span>}
      </p>
      <p className="small muted">
        <BaseText base={version.document.base} /> · {t(`scenarios.network.${version.document.network}`)} · {t('scenarios.header.createdBy', { by: detail.createdBy })}
        {detail.parent && (
          <>
            {' · '}
            <button type="button" className="link-button" onClick={() => canLeave() && onOpen({ id: detail.parent!.id, version: detail.parent!.version })}>
              {t('scenarios.header.branchOf', { id: detail.parent.id, v: detail.parent.version })}
            </button>
          </>
        )}
      </p>
      {older && (
        <p className="permission-note" data-testid="scenario-older">
          {t('scenarios.header.older', { latest: detail.latestVersion })}{' '}
          <button type="button" className="link-button" onClick={() => canLeave() && onOpenVersion(detail.latestVersion)}>
            {t('scenarios.header.openLatest')}
          </button>
        </p>
      )}
      {detail.status === 'archived' && <p className="permission-note">{t('scenarios.header.archivedNote')}</p>}
      <div className="form-actions">
        {NEXT_STATUS[detail.status].map((s) => (
          <button key={s} type="button" className="text-button" onClick={() => setStatus(s)} disabled={busy || !write.allowed} title={write.reason} data-testid={`scenario-status-${s}`}>
            {t(`scenarios.header.to.${s}`)}
          </button>
        ))}
        <button type="button" className="text-button" aria-expanded={branching} onClick={() => setBranching((b) => !b)} disabled={!write.allowed} title={write.reason} data-testid="scenario-branch-open">
          {t('scenarios.header.branch', { v: version.version })}
        </button>
        <button type="button" className="text-button" onClick={onReload}>
          {t('scenarios.header.reload')}
        </button>
      </div>
      {message && (
        <p className="error-text" role="alert">
          {message}
        </p>
      )}
      {branching && <BranchForm detail={detail} version={version} onDone={(id) => onOpen({ id, version: 1 }, 'edits')} onCancel={() => setBranching(false)} />}
    </div>
  )
}

/** A new scenario from this version (its parent is recorded), with its own id and title. */
function BranchForm({ detail, version, onDone, onCancel }: { detail: ScenarioDetail; version: ScenarioVersion; onDone(id: string): void; onCancel(): void }) {
  const { t } = useTranslation()
  const { client } = useScenarioServices()
  const [title, setTitle] = useState(t('scenarios.branch.defaultTitle', { title: version.document.title }))
  const [id, setId] = useState(slugOf(`${detail.id}-b`))
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setMessage(null)
    client
      .branch({ id: detail.id, version: version.version }, { id, title: title.trim(), note: note.trim() })
      .then((d) => onDone(d.id))
      .catch((err: unknown) => setMessage(isConflict(err) ? t('scenarios.create.taken', { id }) : t('scenarios.branch.failed', { message: errorMessage(err) })))
      .finally(() => setBusy(false))
  }
  return (
    <form className="cr-form scenario-dialog" onSubmit={submit} data-testid="scenario-branch">
      <p className="small muted">{t('scenarios.branch.intro', { id: detail.id, v: version.version })}</p>
      <label>
        {t('scenarios.fields.title')}
        <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      </label>
      <label>
        {t('scenarios.fields.id')}
        <input value={id} onChange={(e) => setId(e.target.value)} required pattern="[a-z0-9][a-z0-9-]{0,79}" spellCheck={false} data-testid="scenario-branch-id" />
      </label>
      <label>
        {t('scenarios.fields.note')}
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      </label>
      {message && (
        <p className="error-text" role="alert">
          {message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy || !title.trim()} data-testid="scenario-branch-submit">
          {t('scenarios.branch.submit')}
        </button>
        <button type="button" className="text-button" onClick={onCancel}>
          {t('scenarios.cancel')}
        </button>
      </div>
    </form>
  )
}
