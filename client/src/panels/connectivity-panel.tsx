import { useCallback, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { ConnectivityResponse, ConnectivitySummary } from '../../../contracts/camera-api'
import { useServices } from '../app/services'
import { PALETTE } from '../map2d/palette'
import { outageList } from './outage-list'
import { ShapeGlyph } from './shape-glyph'
import { SideSheet } from './side-sheet'
import { useFormatters } from './use-formatters'
import './control-room.css'
import { useFetched } from './use-fetched'

const REFRESH_MS = 30_000

/** Access points and field routers: per district up / degraded / down / silent, clients, availability over 24 h; then the outages. */
export function ConnectivityPanel({ onClose }: { onClose(): void }) {
  const { t } = useTranslation()
  const { api } = useServices()
  const fmt = useFormatters()

  const fetchData = useCallback((signal?: AbortSignal) => api.connectivity(signal), [api])
  const { data, error } = useFetched<ConnectivityResponse>(fetchData, REFRESH_MS)

  const outages = useMemo(() => (data ? outageList(data.accessPoints) : []), [data])
  const availability = (a: number | null) => (a === null ? '—' : `${fmt.number(a * 100, 1)} %`)
  const row = (s: ConnectivitySummary, key: string, total = false) => (
    <tr key={key} className={total ? 'total-row' : ''}>
      <th scope="row">{total ? t('connectivity.total') : (s.district ?? t('connectivity.noDistrict'))}</th>
      <td>{fmt.number(s.devices)}</td>
      <td>{fmt.number(s.up)}</td>
      <td className={s.degraded > 0 ? 'count-degraded' : ''}>{fmt.number(s.degraded)}</td>
      <td className={s.down > 0 ? 'count-down' : ''}>{fmt.number(s.down)}</td>
      <td className={s.silent > 0 ? 'count-silent' : ''}>{fmt.number(s.silent)}</td>
      <td>{fmt.number(s.clients)}</td>
      <td>{availability(s.availability)}</td>
    </tr>
  )

  return (
    <SideSheet title={t('connectivity.title')} closeLabel={t('connectivity.close')} onClose={onClose} side="right" wide className="connectivity-panel">
      {error && <p className="error-text">{t('connectivity.loadFailed', { message: error })}</p>}
      {!data && !error && <p className="muted">{t('connectivity.loading')}</p>}
      {data && (
        <>
          <p className="muted">{t('connectivity.window', { from: fmt.dateTime(data.window.fromMs), to: fmt.dateTime(data.window.toMs) })}</p>
          <table className="data-table connectivity-table">
            <thead>
              <tr>
                <th scope="col">{t('connectivity.district')}</th>
                <th scope="col">{t('connectivity.devices')}</th>
                <th scope="col">{t('connectivity.states.up')}</th>
                <th scope="col">{t('connectivity.states.degraded')}</th>
                <th scope="col">{t('connectivity.states.down')}</th>
                <th scope="col">{t('connectivity.states.silent')}</th>
                <th scope="col">{t('connectivity.clients')}</th>
                <th scope="col">{t('connectivity.availability')}</th>
              </tr>
            </thead>
            <tbody>
              {data.districts.map((d) => row(d, d.district ?? '(none)'))}
              {row(data.total, '(total)', true)}
            </tbody>
          </table>

          <h3>{t('connectivity.outages', { count: outages.length })}</h3>
          {outages.length === 0 ? (
            <p className="muted">{t('connectivity.noOutages')}</p>
          ) : (
            <ul className="outage-list">
              {outages.map((p) => (
                <li key={p.deviceId} data-device-id={p.deviceId} data-state={p.state}>
                  {p.state === 'down' ? (
                    <ShapeGlyph shape="square" fill={PALETTE.high} stroke={PALETTE.neutralOutline} />
                  ) : (
                    <ShapeGlyph shape="cross" fill="none" stroke={PALETTE.noComm} />
                  )}
                  <span className={`outage-state state-${p.state}`}>{t(`connectivity.state.${p.state}`)}</span>
                  <span className="outage-name">{p.name}</span>
                  <span className="muted">
                    {p.district ?? t('connectivity.noDistrict')} ·{' '}
                    {p.dataAgeMs === null ? t('connectivity.neverReported') : t('connectivity.lastReading', { age: fmt.duration(p.dataAgeMs) })}
                    {p.availability !== null && ` · ${t('connectivity.availabilityShort', { value: availability(p.availability) })}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </SideSheet>
  )
}
