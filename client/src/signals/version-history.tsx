import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SignalPlan } from '../../../contracts/schemas/signal-plan'
import type { PlanVersion, PlanVersionSummary } from '../../../contracts/signal-api'
import { errorMessage } from '../panels/action-error'
import { useFetched } from '../panels/use-fetched'
import { useFormatters } from '../panels/use-formatters'
import { diffPlans } from './plan-diff'
import { PlanDiffView } from './plan-diff-view'
import { sameRef, type VersionRef } from './plan-versions'
import { useSignalServices } from './signal-services'
import { StatusBadge } from './status-badge'

export interface VersionHistoryProps {
  controllerId: string
  planId: string
  groupIds: readonly string[]
  /** Bumped after an action so the list is fetched again. */
  refreshKey: number
  opened: VersionRef | null
  running: VersionRef | null
  /** The version opened in the editor and the plan with the unsaved edits, for "your edits". */
  loaded: PlanVersion | null
  edited: SignalPlan | null
  dirty: boolean
  onOpen(ref: VersionRef): void
}

/**
 * Every version of the plan (listPlanVersions, newest first) with its status, author, time and note;
 * pick two (A, B) to see what changed between them, interval by interval. With unsaved edits, the
 * difference from the opened version comes first.
 */
export function VersionHistory({ controllerId, planId, groupIds, refreshKey, opened, running, loaded, edited, dirty, onOpen }: VersionHistoryProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { client } = useSignalServices()
  // refreshKey is a dependency on purpose: a new key fetches the list again (after save, validate, approve…).
  const fetchVersions = useCallback((signal?: AbortSignal) => client.listPlanVersions(controllerId, planId, signal), [client, controllerId, planId, refreshKey])
  const versions = useFetched<PlanVersionSummary[]>(fetchVersions)
  const [pick, setPick] = useState<{ a: number | null; b: number | null }>({ a: null, b: null })
  const [pair, setPair] = useState<{ a: PlanVersion; b: PlanVersion } | null>(null)
  const [pairError, setPairError] = useState<string | null>(null)

  useEffect(() => {
    setPair(null)
    if (pick.a === null || pick.b === null || pick.a === pick.b) return
    const ac = new AbortController()
    Promise.all([client.getPlanVersion(controllerId, planId, pick.a, ac.signal), client.getPlanVersion(controllerId, planId, pick.b, ac.signal)]).then(
      ([a, b]) => {
        setPair(a.version < b.version ? { a, b } : { a: b, b: a })
        setPairError(null)
      },
      (err: unknown) => !ac.signal.aborted && setPairError(errorMessage(err)),
    )
    return () => ac.abort()
  }, [client, controllerId, planId, pick.a, pick.b])

  const pairDiff = useMemo(() => (pair ? diffPlans(pair.a.plan, pair.b.plan, groupIds) : null), [pair, groupIds])
  const editsDiff = useMemo(() => (dirty && loaded && edited ? diffPlans(loaded.plan, edited, groupIds) : null), [dirty, loaded, edited, groupIds])
  const list = versions.data ?? []

  return (
    <div className="signal-history">
      {editsDiff && loaded && <PlanDiffView diff={editsDiff} fromLabel={t('signals.history.versionLabel', { v: loaded.version })} toLabel={t('signals.history.yourEdits')} />}
      {versions.error && <p className="error-text">{t('signals.loadFailed', { message: versions.error })}</p>}
      <table className="data-table signal-version-table" data-testid="signal-version-table">
        <thead>
          <tr>
            <th scope="col">A</th>
            <th scope="col">B</th>
            <th scope="col">{t('signals.history.version')}</th>
            <th scope="col">{t('signals.history.status')}</th>
            <th scope="col">{t('signals.history.author')}</th>
            <th scope="col">{t('signals.history.time')}</th>
            <th scope="col">{t('signals.history.note')}</th>
            <th scope="col">{t('signals.history.findings')}</th>
            <th scope="col">
              <span className="sr-only">{t('signals.history.open')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((v) => {
            const ref = { planId: v.planId, version: v.version }
            return (
              <tr key={v.version} className={sameRef(ref, opened) ? 'is-selected' : undefined} data-testid={`signal-version-${v.version}`}>
                <td>
                  <input type="radio" name="signal-diff-a" checked={pick.a === v.version} onChange={() => setPick((p) => ({ ...p, a: v.version }))} aria-label={t('signals.history.pickA', { v: v.version })} />
                </td>
                <td>
                  <input type="radio" name="signal-diff-b" checked={pick.b === v.version} onChange={() => setPick((p) => ({ ...p, b: v.version }))} aria-label={t('signals.history.pickB', { v: v.version })} />
                </td>
                <td>
                  v{v.version}
                  {sameRef(ref, running) && <span className="muted"> · {t('signals.header.running')}</span>}
                </td>
                <td>
                  <StatusBadge status={v.status} />
                </td>
                <td>
                  {v.createdBy}
                  {v.approvedBy && <div className="muted small">{t('signals.history.approvedBy', { by: v.approvedBy })}</div>}
                </td>
                <td>{fmt.dateTime(v.createdAtMs)}</td>
                <td>{v.note}</td>
                <td>
                  {v.rejects > 0 ? `▲ ${v.rejects}` : '0'} / {v.warnings}
                </td>
                <td>
                  <button type="button" className="text-button" disabled={sameRef(ref, opened)} onClick={() => onOpen(ref)}>
                    {t('signals.history.open')}
                  </button>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {pick.a !== null && pick.b !== null && pick.a === pick.b && <p className="muted">{t('signals.history.pickTwo')}</p>}
      {pairError && <p className="error-text">{pairError}</p>}
      {pair && pairDiff && <PlanDiffView diff={pairDiff} fromLabel={t('signals.history.versionLabel', { v: pair.a.version })} toLabel={t('signals.history.versionLabel', { v: pair.b.version })} />}
    </div>
  )
}
