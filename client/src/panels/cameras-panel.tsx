import { Fragment, useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Camera, ListCamerasResponse } from '../../../contracts/camera-api'
import { useServices } from '../app/services'
import { CameraLiveView } from './camera-live-view'
import { CameraRecordForm } from './camera-record-form'
import { SideSheet } from './side-sheet'
import { useFormatters } from './use-formatters'
import { usePermission } from './use-permission'
import './control-room.css'
import { useFetched } from './use-fetched'

const GATE_SEVERITY = { operational: null, degraded: 'medium', fault: 'high', offline: 'high' } as const
const STALE = new Set(['uncertain_stale', 'bad_no_comm'])

/**
 * The cameras (the ZTL gates): live status and counts with their age, the record's status, and whether
 * the compliance record is complete or what it lacks. Configuring (camera:configure) and watching
 * (camera:view) are separate permissions, each action audited by the server.
 */
export function CamerasPanel({ onClose }: { onClose(): void }) {
  const { t } = useTranslation()
  const { api } = useServices()
  const fmt = useFormatters()
  const configure = usePermission('camera:configure')
  const [openId, setOpenId] = useState<string | null>(null)

  const fetchData = useCallback((signal?: AbortSignal) => api.listCameras(signal), [api])
  const { data, error, setData, reload } = useFetched<ListCamerasResponse>(fetchData)

  const replace = (c: Camera) => setData((d) => (d ? { ...d, cameras: d.cameras.map((x) => (x.deviceId === c.deviceId ? c : x)) } : d))
  const cameras = data?.cameras ?? []
  const compliant = cameras.filter((c) => c.compliant).length

  return (
    <SideSheet title={t('cameras.title')} closeLabel={t('cameras.close')} onClose={onClose} side="right" wide className="cameras-panel">
      <p className="muted">{t('cameras.privacy')}</p>
      {error && <p className="error-text">{t('cameras.loadFailed', { message: error })}</p>}
      {!data && !error && <p className="muted">{t('cameras.loading')}</p>}
      {data && <p>{t('cameras.summary', { count: cameras.length, compliant, active: cameras.filter((c) => c.status === 'active').length })}</p>}
      {data && (
        <table className="data-table camera-table">
          <thead>
            <tr>
              <th scope="col">{t('cameras.name')}</th>
              <th scope="col">{t('cameras.live')}</th>
              <th scope="col">{t('cameras.status')}</th>
              <th scope="col">{t('cameras.compliance')}</th>
            </tr>
          </thead>
          <tbody>
            {cameras.map((c) => {
              const severity = c.live ? GATE_SEVERITY[c.live.status] : null
              const stale = c.live ? STALE.has(c.live.quality) : false
              const expanded = openId === c.deviceId
              return (
                <Fragment key={c.deviceId}>
                  <tr data-device-id={c.deviceId} className={expanded ? 'is-selected' : ''}>
                    <td>
                      <button type="button" className="link-button" aria-expanded={expanded} onClick={() => setOpenId(expanded ? null : c.deviceId)}>
                        {c.name}
                      </button>
                      <div className="muted small">{c.district ?? '—'}</div>
                    </td>
                    <td className={stale ? 'is-stale-cell' : ''}>
                      {c.live ? (
                        <>
                          <span className={severity && !stale ? `severity-${severity}` : ''}>
                            <span className="badge badge-severity">{t(`enum.gate.${c.live.status}`)}</span>
                          </span>{' '}
                          {stale && <span className="badge badge-stale">{t(`quality.${c.live.quality}`)}</span>}
                          <div className="small">
                            {t('cameras.counts', { vehicles: fmt.number(c.live.vehicles), minutes: Math.round(c.live.intervalS / 60) })}
                            {c.live.unauthorized !== null && ` · ${t('cameras.unauthorized', { count: c.live.unauthorized })}`}
                          </div>
                          <div className="muted small">{t('cameras.age', { age: fmt.duration(data.serverTimeMs - c.live.observedAtMs) })}</div>
                        </>
                      ) : (
                        <span className="muted">{t('cameras.noReading')}</span>
                      )}
                    </td>
                    <td>{t(`cameras.statuses.${c.status}`)}</td>
                    <td>
                      {c.compliant ? (
                        <span className="compliance-ok">✓ {t('cameras.compliant')}</span>
                      ) : !c.configured ? (
                        <span className="compliance-missing">{t('cameras.noRecord')}</span>
                      ) : (
                        <span className="compliance-missing">{t('cameras.missingShort', { fields: c.missing.map((f) => t(`cameras.fields.${f}`)).join(', ') })}</span>
                      )}
                    </td>
                  </tr>
                  {expanded && (
                    <tr className="camera-detail-row">
                      <td colSpan={4}>
                        <p className="muted small">
                          <code>{c.deviceId}</code>
                          {c.record && ` · ${t('cameras.updated', { by: c.record.updatedBy, at: fmt.dateTime(c.record.updatedAtMs), version: c.record.version })}`}
                        </p>
                        <CameraLiveView camera={c} />
                        {configure.allowed ? (
                          <CameraRecordForm key={`${c.deviceId}/${c.record?.version ?? 0}`} camera={c} onSaved={replace} onReload={() => reload()} />
                        ) : (
                          <p className="muted">{t('cameras.configureNeeds', { reason: configure.reason })}</p>
                        )}
                      </td>
                    </tr>
                  )}
                </Fragment>
              )
            })}
          </tbody>
        </table>
      )}
    </SideSheet>
  )
}
