import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { ControllerSummary } from '../../../contracts/signal-api'
import { useFetched } from '../panels/use-fetched'
import '../panels/panels.css'
import '../panels/control-room.css'
import './signals.css'
import { ControllerList } from './controller-list'
import { SignalServicesProvider, useSignalServices, type DeploymentFeed } from './signal-services'
import { createSignalClient, type SignalClient } from '../api/signal-client'
import { WorkbenchView } from './workbench-view'
import { junctionStripPx } from '../state/signal-junction'

export interface SignalWorkbenchPanelProps {
  onClose(): void
  /** The REST client (default: the page's own origin). */
  client?: SignalClient
  /** Pushed deployment changes, when the live connection relays `signal:deployment`. */
  deployments?: DeploymentFeed | null
}

/**
 * The traffic engineer's signal workbench (docs/signals.md), over the whole map area: the controllers,
 * then one controller's plan editor with live validation, stages, matrices, history, evaluation,
 * corridor, and the actions up to deployment. Needs signal-plan:read; editing and deploying follow
 * the user's permissions.
 */
export function SignalWorkbenchPanel({ onClose, client, deployments = null }: SignalWorkbenchPanelProps) {
  const services = useMemo(() => ({ client: client ?? createSignalClient(), deployments }), [client, deployments])
  return (
    <SignalServicesProvider services={services}>
      <WorkbenchFrame onClose={onClose} />
    </SignalServicesProvider>
  )
}

const inField = (el: EventTarget) => el instanceof HTMLElement && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT')

function WorkbenchFrame({ onClose }: { onClose(): void }) {
  const { t } = useTranslation()
  const { client } = useSignalServices()
  const headingId = useId()
  const ref = useRef<HTMLElement>(null)
  const [openId, setOpenId] = useState<string | null>(null)
  const dirty = useRef(false)
  const fetchList = useCallback((signal?: AbortSignal) => client.listControllers(signal), [client])
  const list = useFetched<ControllerSummary[]>(fetchList)
  const onDirtyChange = useCallback((d: boolean) => {
    dirty.current = d
  }, [])

  useEffect(() => ref.current?.focus(), [])
  const leave = (then: () => void) => {
    if (dirty.current && !window.confirm(t('signals.discard'))) return
    dirty.current = false
    then()
  }
  // Escape closes the workbench only from outside a field, and asks first when there are unsaved edits.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented || inField(e.target)) return
    e.stopPropagation()
    e.nativeEvent.stopImmediatePropagation()
    leave(onClose)
  }
  const current = openId ? list.data?.find((c) => c.id === openId) : undefined

  return (
    <section ref={ref} className={`side-sheet signal-workbench${openId ? ' has-controller' : ''}`} style={openId ? { left: junctionStripPx(window.innerWidth) } : undefined} aria-labelledby={headingId} tabIndex={-1} onKeyDown={onKeyDown} data-testid="signal-workbench">
      <header className="side-sheet-header">
        <h2 id={headingId}>
          {openId ? (
            <>
              <button type="button" className="text-button" onClick={() => leave(() => setOpenId(null))} data-testid="signal-back">
                ← {t('signals.list.back')}
              </button>{' '}
              {t('signals.title')} · {current?.name ?? openId}
            </>
          ) : (
            t('signals.title')
          )}
        </h2>
        <button type="button" className="icon-button" onClick={() => leave(onClose)} aria-label={t('signals.close')} title={t('signals.close')} data-testid="signal-close">
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <div className="side-sheet-body">
        {openId ? <WorkbenchView key={openId} controllerId={openId} summaries={list.data ?? []} onDirtyChange={onDirtyChange} /> : <ControllerList controllers={list.data} error={list.error} onOpen={setOpenId} />}
      </div>
    </section>
  )
}
