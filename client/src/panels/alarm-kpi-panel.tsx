import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { AlarmKpis } from '../../../contracts/alarm-api'
import { useServices } from '../app/services'
import { durationText } from './duration-text'
import { floodAbnormal, priorityAbnormal, priorityShares, rateBand, RATE_ACCEPTABLE, RATE_MANAGEABLE } from './kpi-figures'
import { PriorityBadge } from './priority-badge'
import { SideSheet } from './side-sheet'
import { useFormatters } from './use-formatters'
import './control-room.css'
import { useFetched } from './use-fetched'

const HOURS = 24
const REFRESH_MS = 60_000

/** The alarm system's health over 24 h against ISA-18.2 / EEMUA 191 (docs/control-room.md, "KPIs"). */
export function AlarmKpiPanel({ onClose }: { onClose(): void }) {
  const { t, i18n } = useTranslation()
  const { api } = useServices()
  const fmt = useFormatters()
  const language = i18n.resolvedLanguage ?? i18n.language
  const pct = (share: number) => `${fmt.number(share * 100, share < 0.1 && share > 0 ? 1 : 0)} %`
  const dur = (ms: number | null) => (ms === null ? '—' : durationText(ms, language))

  const fetchData = useCallback((signal?: AbortSignal) => api.alarmKpis(HOURS, signal), [api])
  const { data: kpis, error, reload } = useFetched<AlarmKpis>(fetchData, REFRESH_MS)

  const band = kpis ? rateBand(kpis.alarmsPerOperatorHour) : null
  return (
    <SideSheet title={t('kpi.title')} closeLabel={t('kpi.close')} onClose={onClose} side="right" wide className="kpi-panel">
      <p className="muted">
        {t('kpi.window', { hours: HOURS })}
        {kpis && ` · ${fmt.dateTime(kpis.fromMs)} – ${fmt.dateTime(kpis.toMs)}`}{' '}
        <button type="button" className="text-button" onClick={() => reload()}>
          {t('kpi.refresh')}
        </button>
      </p>
      {error && <p className="error-text">{t('kpi.loadFailed', { message: error })}</p>}
      {!kpis && !error && <p className="muted">{t('kpi.loading')}</p>}
      {kpis && band && (
        <>
          <div className="kpi-cards">
            <div className={`kpi-card${band === 'acceptable' ? '' : ` tone-band-${band}`}`} data-kpi="rate">
              <span className="kpi-label">{t('kpi.rate')}</span>
              <span className="kpi-value">{fmt.number(kpis.alarmsPerOperatorHour, 1)}</span>
              <span className="kpi-verdict">
                {band !== 'acceptable' && <span aria-hidden="true">▲ </span>}
                {t(`kpi.band.${band}`)}
              </span>
              <span className="kpi-target">{t('kpi.rateTarget', { acceptable: RATE_ACCEPTABLE, manageable: RATE_MANAGEABLE })}</span>
              <span className="kpi-target">{t('kpi.rateBasis', { activations: kpis.activations, operators: kpis.operators })}</span>
            </div>
            <div className={`kpi-card${kpis.standing > 0 ? ' tone-band-manageable' : ''}`} data-kpi="standing">
              <span className="kpi-label">{t('kpi.standing')}</span>
              <span className="kpi-value">{fmt.number(kpis.standing)}</span>
              <span className="kpi-target">{t('kpi.standingTarget', { open: kpis.open })}</span>
            </div>
            <div className="kpi-card" data-kpi="time-to-ack">
              <span className="kpi-label">{t('kpi.timeToAck')}</span>
              <span className="kpi-value">{dur(kpis.timeToAckMs.median)}</span>
              <span className="kpi-target">{t('kpi.timeToAckDetail', { p90: dur(kpis.timeToAckMs.p90), count: kpis.timeToAckMs.count })}</span>
            </div>
            <div className={`kpi-card${floodAbnormal(kpis.floodShare) ? ' tone-band-manageable' : ''}`} data-kpi="flood">
              <span className="kpi-label">{t('kpi.flood')}</span>
              <span className="kpi-value">{pct(kpis.floodShare)}</span>
              <span className="kpi-target">{t('kpi.floodDetail', { duration: dur(kpis.timeInFloodMs) })}</span>
            </div>
            <div className={`kpi-card${kpis.chattering > 0 ? ' tone-band-manageable' : ''}`} data-kpi="chattering">
              <span className="kpi-label">{t('kpi.chattering')}</span>
              <span className="kpi-value">{fmt.number(kpis.chattering)}</span>
              <span className="kpi-target">{t('kpi.chatteringTarget')}</span>
            </div>
          </div>

          <h3>{t('kpi.distribution')}</h3>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('kpi.priority')}</th>
                <th scope="col">{t('kpi.activations')}</th>
                <th scope="col">{t('kpi.share')}</th>
                <th scope="col">{t('kpi.target')}</th>
                <th scope="col">{t('kpi.verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {priorityShares(kpis.byPriority).map((s) => (
                <tr key={s.priority} className={priorityAbnormal(s) ? 'is-off-target' : ''}>
                  <td>
                    <PriorityBadge priority={s.priority} />
                  </td>
                  <td>{fmt.number(s.count)}</td>
                  <td>
                    {s.share === null ? '—' : pct(s.share)}
                    {s.share !== null && (
                      <span className="share-track" aria-hidden="true">
                        <span className="share-bar" style={{ width: `${Math.round(s.share * 100)}%` }} />
                        <span className="share-target" style={{ left: `${Math.round(s.target * 100)}%` }} />
                      </span>
                    )}
                  </td>
                  <td>{pct(s.target)}</td>
                  <td>{s.verdict ? t(`kpi.verdicts.${s.verdict}`) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h3>{t('kpi.badActors')}</h3>
          {kpis.badActors.length === 0 ? (
            <p className="muted">{t('kpi.noBadActors')}</p>
          ) : (
            <ol className="bad-actors">
              {kpis.badActors.map((b) => (
                <li key={`${b.ruleId}/${b.subject}`}>
                  <code>{b.ruleId}</code> · {b.subject} — {t('kpi.activationsCount', { count: b.activations })}
                  {b.chattering && <span className="badge badge-chattering">{t('alarms.chattering')}</span>}
                </li>
              ))}
            </ol>
          )}

          <h3>{t('kpi.byDistrict')}</h3>
          {kpis.byDistrict.length === 0 ? (
            <p className="muted">{t('kpi.noOpen')}</p>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('kpi.district')}</th>
                  <th scope="col">{t('kpi.open')}</th>
                  <th scope="col">{t('kpi.unacked')}</th>
                  <th scope="col">{t('kpi.highest')}</th>
                </tr>
              </thead>
              <tbody>
                {kpis.byDistrict.map((d) => (
                  <tr key={d.district}>
                    <td>{d.district}</td>
                    <td>{fmt.number(d.open)}</td>
                    <td>{fmt.number(d.unacknowledged)}</td>
                    <td>{d.highest ? <PriorityBadge priority={d.highest} /> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </SideSheet>
  )
}
