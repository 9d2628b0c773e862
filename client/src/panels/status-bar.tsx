import { useTranslation } from 'react-i18next'
import { holders } from '../../../contracts/access'
import { allowed, useServices } from '../app/services'
import { LanguageSwitch } from './language-switch'
import { useFormatters } from './use-formatters'
import { useStore } from '../state/store'
import type { AppState } from '../state/app-state'
import { newestObservedAtMs, serverNowMs } from '../state/derived'
import { useNow } from '../state/use-now'
import { ConnectionPill } from './connection-pill'
import { AlarmSummary } from './alarm-summary'
import { ControlRoomMenu, type ControlRoomSheet } from './control-room-menu'

const selectAbout = (s: AppState) => s.about
const selectConnection = (s: AppState) => s.connection
const selectStates = (s: AppState) => s.states
const selectOffset = (s: AppState) => s.clockOffsetMs
const selectOpenIncidents = (s: AppState) => s.controlRoom.incidents.size

export interface StatusBarProps {
  layersOpen: boolean
  onToggleLayers(): void
  onOpenQuarantine(): void
  onOpenAbout(): void
  onOpenUsers(): void
  onOpenAudit(): void
  /** The docked alarm list (beside the map) is open. */
  alarmsOpen: boolean
  onToggleAlarms(): void
  /** The sheet open on the right ('none', 'incidents', 'kpi', …). */
  sheet: string
  onOpenControlRoom(sheet: ControlRoomSheet): void
}

/** Always visible: city, data provenance, connection, data age, ingest health, quarantine, time, language. */
export function StatusBar({ layersOpen, onToggleLayers, onOpenQuarantine, onOpenAbout, onOpenUsers, onOpenAudit, alarmsOpen, onToggleAlarms, sheet, onOpenControlRoom }: StatusBarProps) {
  const { t } = useTranslation()
  const { store, wall, session, signOut } = useServices()
  const mayReadOps = allowed(session, 'ops:read')
  // Without live:read (a PMO officer) there is no live channel: no alarms, connection, data age, ingest or quarantine to show.
  const live = allowed(session, 'live:read')
  const needs = (p: Parameters<typeof holders>[0]) => t('access.needs', { roles: holders(p).map((r) => t(`roles.${r}`)).join(', ') })
  const fmt = useFormatters()
  const about = useStore(store, selectAbout)
  const connection = useStore(store, selectConnection)
  const states = useStore(store, selectStates)
  const offset = useStore(store, selectOffset)
  const openIncidents = useStore(store, selectOpenIncidents)
  const now = useNow(1000)
  const serverNow = serverNowMs({ clockOffsetMs: offset }, now)
  const newest = newestObservedAtMs(states)
  const frozen = connection.status === 'offline'
  const hb = connection.heartbeat
  const quarantineTotal = hb?.quarantine.total ?? 0
  const quarantineRecent = hb?.quarantine.lastAtMs != null && serverNow - hb.quarantine.lastAtMs < 5 * 60_000

  let ingest: { text: string; tone: 'ok' | 'critical' | 'medium' | 'unknown' } = { text: t('status.ingestUnknown'), tone: 'unknown' }
  if (hb) {
    if (hb.rootCause?.code === 'INGEST_DOWN') ingest = { text: t('status.ingestDown'), tone: 'critical' }
    else if (!hb.ingest.brokerConnected) ingest = { text: t('status.brokerDown'), tone: 'critical' }
    else if (!hb.ingest.dbHealthy) ingest = { text: t('status.dbDown'), tone: 'critical' }
    else if (hb.ingest.pending > 1000) ingest = { text: t('status.pending', { count: hb.ingest.pending }), tone: 'medium' }
    else if (hb.liveFeed === 'down') ingest = { text: t('status.feedDegraded'), tone: 'medium' }
    else ingest = { text: t('status.ingestOk'), tone: 'ok' }
  }

  return (
    <header className="status-bar" role="banner">
      <div className="status-city">
        <span className="product">Gemello</span>
        <span className="city-name">{about?.city.name ?? '—'}</span>
        {about && <span className="city-label">{about.city.label}</span>}
        {about?.city.data === 'generated' && (
          <strong className="badge badge-generated" title={t('status.generatedTitle')}>
            {t('status.generated')}
          </strong>
        )}
      </div>

      <div className="status-cells">
        {live && (
          <>
            <AlarmSummary open={alarmsOpen} onOpen={onToggleAlarms} />
            <ConnectionPill status={connection.status} />
            <div className="status-cell" title={t('status.dataAgeTitle')}>
              <span className="cell-label">{t('status.dataAge')}</span>
              <span className="cell-value">{newest === null ? t('status.dataAgeNone') : fmt.duration(serverNow - newest)}</span>
            </div>
            <div className={`status-cell tone-${ingest.tone}${frozen ? ' is-frozen' : ''}`}>
              <span className="cell-label">{t('status.ingest')}</span>
              <span className="cell-value">{ingest.text}</span>
            </div>
          </>
        )}
        {!live ? null : wall ? (
          <div className="status-cell">
            <span className="cell-label">{t('status.quarantine')}</span>
            <span className="cell-value">{fmt.number(quarantineTotal)}</span>
          </div>
        ) : (
          <button
            type="button"
            className={`status-cell status-button quarantine-button${quarantineRecent ? ' tone-medium' : ''}`}
            onClick={onOpenQuarantine}
            disabled={!mayReadOps}
            aria-disabled={!mayReadOps}
            data-forbidden={!mayReadOps || undefined}
            title={mayReadOps ? t('status.quarantineTitle') : needs('ops:read')}
          >
            <span className="cell-label">{t('status.quarantine')}</span>
            <span className="cell-value">
              {quarantineRecent && <span aria-hidden="true">▲ </span>}
              {fmt.number(quarantineTotal)}
            </span>
          </button>
        )}
        <div className="status-cell">
          <span className="cell-label">{t('status.serverTime')}</span>
          <span className="cell-value">{fmt.time(serverNow)}</span>
        </div>
      </div>

      {!wall && (
        <div className="status-actions">
          <LanguageSwitch />
          <ControlRoomMenu current={sheet} onOpen={onOpenControlRoom} openIncidents={openIncidents} />
          <button type="button" className="text-button" aria-pressed={layersOpen} onClick={onToggleLayers}>
            {t('status.layers')}
          </button>
          <button type="button" className="text-button" onClick={onOpenAbout}>
            {t('status.about')}
          </button>
          {allowed(session, 'users:admin') && (
            <button type="button" className="text-button" onClick={onOpenUsers}>
              {t('users.open')}
            </button>
          )}
          {allowed(session, 'audit:read') && (
            <button type="button" className="text-button" onClick={onOpenAudit}>
              {t('audit.open')}
            </button>
          )}
          <span className="user-chip" title={session.user ? session.user.roles.map((r) => t(`roles.${r}`)).join(', ') : ''}>
            {session.user?.displayName}
          </span>
          <button type="button" className="text-button" onClick={() => void signOut()}>
            {t('signIn.signOut')}
          </button>
        </div>
      )}
    </header>
  )
}
