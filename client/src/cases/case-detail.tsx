import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseDetail } from '../../../contracts/case-api'
import { errorMessage, isConflict } from '../panels/action-error'
import { PriorityBadge } from '../panels/priority-badge'
import { useFormatters } from '../panels/use-formatters'
import { usePermission } from '../panels/use-permission'
import { useStore } from '../state/store'
import { CaseActions } from './case-actions'
import { isOverdue } from './case-form'
import { CasePersonalView } from './case-personal'
import { CasePlatformsView, SendNoticeForm } from './case-platforms'
import { useServiceName } from './case-row'
import { useCaseServices } from './case-services'

/**
 * One case in full: what and where, who has it, the SLA, its links, what the citizen wrote and sent,
 * the duplicate suggestions, its history (internal notes marked), and the office's actions. Every
 * change carries the version shown: when someone changed the case first the server refuses (CONFLICT)
 * and the panel says so with a reload; a push of a newer version says so too.
 */
export function CaseDetailView({ id, onOpenCase }: { id: number; onOpenCase(id: number): void }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { client, map, catalogue } = useCaseServices()
  const serviceName = useServiceName()
  const act = usePermission('case:act')
  const pushed = useStore(map, (s) => s.pending)
  const [detail, setDetail] = useState<CaseDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [conflict, setConflict] = useState(false)
  const [busy, setBusy] = useState(false)

  const load = useCallback(
    (signal?: AbortSignal) =>
      client
        .get(id, signal)
        .then((d) => {
          setDetail(d)
          setConflict(false)
          setError(null)
        })
        .catch((err: unknown) => {
          if (!signal?.aborted) setError(errorMessage(err))
        }),
    [client, id],
  )
  useEffect(() => {
    const controller = new AbortController()
    void load(controller.signal)
    return () => controller.abort()
  }, [load])

  const change = (call: () => Promise<CaseDetail>, after?: () => void) => {
    setBusy(true)
    setError(null)
    call()
      .then((d) => {
        setDetail(d)
        after?.()
      })
      .catch((err: unknown) => (isConflict(err) ? setConflict(true) : setError(errorMessage(err))))
      .finally(() => setBusy(false))
  }

  if (!detail) return error ? <p className="error-text" role="alert">{t('cases.detail.loadFailed', { message: error })}</p> : <p className="muted">{t('cases.detail.loading')}</p>
  const c = detail.case
  const newerPushed = pushed.some((p) => p.id === c.id && p.version > c.version)
  const changedElsewhere = conflict || newerPushed
  const overdue = isOverdue(c, Date.now())

  return (
    <section className="case-detail" aria-labelledby={`case-${c.id}`} data-case-id={c.id} data-version={c.version}>
      <h3 id={`case-${c.id}`} className="incident-title">
        {t('cases.row', { id: c.id, service: serviceName(c.serviceCode) })}
      </h3>
      <p className="alarm-detail-head">
        <PriorityBadge priority={c.priority} />
        <span className="badge badge-hidden case-status" data-status={c.status}>
          {t(`cases.status.${c.status}`)}
        </span>
        {overdue && <span className="case-overdue">▲ {t('cases.overdue')}</span>}
      </p>
      {changedElsewhere && (
        <p className="conflict-note" role="alert">
          <span aria-hidden="true">▲ </span>
          {t('cases.detail.conflict')}{' '}
          <button type="button" className="text-button" onClick={() => void load()}>
            {t('cases.detail.reload')}
          </button>
        </p>
      )}
      {error && <p className="error-text" role="alert">{error}</p>}
      {!c.published && (
        <p className="muted">
          {t('cases.detail.notPublished')}{' '}
          <button type="button" className="primary-button" disabled={!act.allowed || busy || changedElsewhere} title={act.reason} onClick={() => change(() => client.update(c.id, { version: c.version, published: true }))}>
            {t('cases.detail.accept')}
          </button>
        </p>
      )}
      <dl className="alarm-facts">
        <dt>{t('cases.detail.where')}</dt>
        <dd>
          {c.address ?? `${fmt.number(c.position[1], 5)}, ${fmt.number(c.position[0], 5)}`}
          {c.districtName && ` · ${c.districtName}`}
        </dd>
        <dt>{t('cases.detail.office')}</dt>
        <dd>{c.officeId}</dd>
        <dt>{t('cases.detail.assignee')}</dt>
        <dd>{c.assignee ?? t('cases.nobody')}</dd>
        <dt>{t('cases.detail.requested')}</dt>
        <dd>
          {fmt.dateTime(c.requestedAtMs)} · {t(`cases.source.${c.source}`)}
        </dd>
        {c.expectedAtMs !== null && (
          <>
            <dt>{t('cases.detail.expected')}</dt>
            <dd>
              {fmt.dateTime(c.expectedAtMs)}
              {c.slaBreachedAtMs !== null && ` · ${t('cases.detail.overdueSince', { at: fmt.dateTime(c.slaBreachedAtMs) })}`}
            </dd>
          </>
        )}
        {c.closedAtMs !== null && (
          <>
            <dt>{t('cases.detail.closed')}</dt>
            <dd>{fmt.dateTime(c.closedAtMs)}</dd>
          </>
        )}
        {c.asset && (
          <>
            <dt>{t('cases.detail.asset')}</dt>
            <dd>
              <a href={`/?census=${encodeURIComponent(c.asset.collection)}/${c.asset.featureId}`}>
                {t('cases.detail.assetAt', { collection: c.asset.collection, id: c.asset.featureId, distance: c.asset.distanceM === null ? '—' : fmt.number(c.asset.distanceM, 0) })}
              </a>
            </dd>
          </>
        )}
        {c.incidentId !== null && (
          <>
            <dt>{t('cases.detail.incident')}</dt>
            <dd>#{c.incidentId}</dd>
          </>
        )}
        {c.pmoSiteId !== null && (
          <>
            <dt>{t('cases.detail.pmoSite')}</dt>
            <dd>{c.pmoSiteId}</dd>
          </>
        )}
        {c.duplicateOf !== null && (
          <>
            <dt>{t('cases.detail.duplicateOf')}</dt>
            <dd>
              <button type="button" className="text-button" onClick={() => onOpenCase(c.duplicateOf!)}>
                #{c.duplicateOf}
              </button>
            </dd>
          </>
        )}
        {Object.keys(c.attributes).length > 0 && (
          <>
            <dt>{t('cases.detail.attributes')}</dt>
            <dd>
              {Object.entries(c.attributes)
                .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
                .join(' · ')}
            </dd>
          </>
        )}
      </dl>
      <h4>{t('cases.detail.description')}</h4>
      <p className="case-description">{c.description}</p>
      {detail.attachments.length > 0 && (
        <>
          <h4>{t('cases.detail.photos')}</h4>
          <ul className="case-photos">
            {detail.attachments.map((a, i) => (
              <li key={a.id}>
                <a href={client.attachmentUrl(c.id, a.id)} target="_blank" rel="noreferrer">
                  <img src={client.attachmentUrl(c.id, a.id)} alt={t('cases.detail.photo', { n: i + 1 })} loading="lazy" />
                </a>
                {a.public && <span className="muted">{t('cases.detail.publicPhoto')}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>{t('cases.duplicates.title')}</h4>
      {detail.duplicates.length === 0 ? (
        <p className="muted">{t('cases.duplicates.none')}</p>
      ) : (
        <ul className="case-duplicates">
          {detail.duplicates.map((d) => (
            <li key={d.id}>
              <button type="button" className="text-button" onClick={() => onOpenCase(d.id)}>
                {t('cases.duplicates.item', { id: d.id, status: t(`cases.status.${d.status}`), distance: fmt.number(d.distanceM, 0), at: fmt.dateTime(d.requestedAtMs) })}
              </button>
              {d.sameAsset && <span className="muted"> · {t('cases.duplicates.sameAsset')}</span>}
              <span className="muted case-duplicate-text"> — {d.description}</span>
              {c.closedAtMs === null && (
                <button
                  type="button"
                  className="text-button"
                  disabled={!act.allowed || busy || changedElsewhere}
                  title={act.reason}
                  onClick={() => change(() => client.update(c.id, { version: c.version, status: 'duplicate', duplicateOf: d.id }))}
                >
                  {t('cases.duplicates.mark', { id: d.id })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <h4>{t('cases.detail.events')}</h4>
      <ol className="incident-log case-events">
        {detail.events.map((e) => (
          <li key={e.id} data-kind={e.kind} data-public={e.public}>
            <time dateTime={new Date(e.atMs).toISOString()}>{fmt.dateTime(e.atMs)}</time>
            <span className="timeline-what">
              {t(`cases.eventKinds.${e.kind}`)}
              {e.kind === 'status' && ` → ${t(`cases.status.${e.status}`)}`}
            </span>
            <span className="timeline-who">{e.actor}</span>
            <span className="timeline-detail">
              {e.note}
              {e.note && <span className="muted"> ({e.public ? t('cases.detail.public') : t('cases.detail.internal')})</span>}
            </span>
          </li>
        ))}
      </ol>
      <CasePlatformsView detail={detail} />
      <CaseActions key={c.version} detail={detail} busy={busy} blocked={changedElsewhere} change={change} />
      {catalogue?.services.find((s) => s.code === c.serviceCode)?.legalNotice && c.hasPersonalData && <SendNoticeForm detail={detail} busy={busy} blocked={changedElsewhere} change={change} />}
      {c.hasPersonalData && <CasePersonalView caseId={c.id} />}
    </section>
  )
}
