import { useEffect, useMemo, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { ControllerSummary } from '../../../contracts/signal-api'
import type { Violation } from '../../../contracts/signal-safety/violation'
import { usePermission } from '../panels/use-permission'
import { IntergreenEditor } from './intergreen-editor'
import { EvaluationView } from './evaluation-view'
import { CorridorView } from './corridor-view'
import { IntervalTable, PlanFields } from './interval-table'
import { PlanActions } from './plan-actions'
import { PlanBarChart } from './plan-bar-chart'
import { sameRef, type VersionRef } from './plan-versions'
import { useSignalServices } from './signal-services'
import { StageDiagram } from './stage-diagram'
import { SumoView } from './sumo-view'
import { useDeployments } from './use-deployments'
import { useJunctionOnMap } from './use-junction-on-map'
import { useLiveCycleSecond } from './use-live-cycle-second'
import { useWorkbench } from './use-workbench'
import { VersionHistory } from './version-history'
import { ViolationList } from './violation-list'
import { countFindings, emptyHighlights, highlightsOf, violationId } from './violation-highlights'
import { WorkbenchHeader } from './workbench-header'
import { WORKBENCH_TABS, type WorkbenchTab } from './workbench-tabs'

export interface WorkbenchViewProps {
  controllerId: string
  summaries: readonly ControllerSummary[]
  /** Unsaved plan or matrix edits (the frame asks before closing). */
  onDirtyChange(dirty: boolean): void
}

const inField = (el: EventTarget) => el instanceof HTMLElement && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT')

/** One controller's workbench: header, the plan editor and its tabs, and the actions beside them. */
export function WorkbenchView({ controllerId, summaries, onDirtyChange }: WorkbenchViewProps) {
  const { t } = useTranslation()
  const { client } = useSignalServices()
  const wb = useWorkbench(controllerId)
  const canEdit = usePermission('signal-plan:edit')
  const [tab, setTab] = useState<WorkbenchTab>('plan')
  const [selectedInterval, setSelectedInterval] = useState<number | null>(null)
  const [focused, setFocused] = useState<Violation | null>(null)
  const [refreshKey, setRefreshKey] = useState(0)
  const refresh = () => {
    wb.reloadDetail()
    // The status of the version on screen may have moved; unsaved edits are never thrown away for it.
    if (!wb.dirty) wb.reloadVersion()
    setRefreshKey((k) => k + 1)
  }
  const deployments = useDeployments(controllerId, wb.detail?.deployments, refresh)

  const dirty = wb.dirty || wb.controllerDirty
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange])

  const groups = useMemo(() => wb.controller?.signalGroups ?? [], [wb.controller])
  const groupIds = useMemo(() => groups.map((g) => g.id), [groups])
  const { plan, report } = wb
  const highlights = useMemo(() => (report && plan ? highlightsOf(report.violations, plan, groupIds) : emptyHighlights()), [report, plan, groupIds])
  const focus = useMemo(() => (focused && plan ? highlightsOf([focused], plan, groupIds) : null), [focused, plan, groupIds])
  const focusId = focused ? violationId(focused) : null
  useEffect(() => {
    if (focusId && report && !report.violations.some((v) => violationId(v) === focusId)) setFocused(null)
  }, [report, focusId])
  const counts = report && plan ? countFindings(report.violations, plan.id) : { rejects: 0, warnings: 0 }

  useJunctionOnMap({
    controllerId,
    ready: wb.detail !== null,
    position: wb.detail?.position ?? null,
    groupIds,
    selectedStates: selectedInterval === null ? undefined : plan?.intervals[selectedInterval]?.states,
  })

  const running: VersionRef | null = wb.detail?.running ? { planId: wb.detail.running.planId, version: wb.detail.running.version } : null
  const showsRunning = sameRef(wb.loaded, running) && !wb.dirty
  const nowS = useLiveCycleSecond(wb.detail?.deviceId ?? null, plan?.cycleS ?? 0, showsRunning)

  const open = (ref: VersionRef) => {
    if (wb.dirty && !window.confirm(t('signals.discard'))) return
    setSelectedInterval(null)
    setFocused(null)
    wb.open(ref)
  }
  const onKeyDown = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || inField(e.target)) return
    const key = e.key.toLowerCase()
    if (key === 'z' && !e.shiftKey) wb.undo()
    else if (key === 'y' || (key === 'z' && e.shiftKey)) wb.redo()
    else return
    e.preventDefault()
  }
  const focusViolation = (v: Violation | null) => {
    setFocused(v)
    if (v?.interval !== null && v?.interval !== undefined) setSelectedInterval(v.interval)
    if (v && v.context === 'matrix' && tab !== 'intergreens') setTab('intergreens')
  }

  if (!wb.detail) return wb.detailError ? <p className="error-text">{t('signals.loadFailed', { message: wb.detailError })}</p> : <p className="muted">{t('signals.loading')}</p>
  const detail = wb.detail
  const editable = canEdit.allowed
  const violations = plan && <ViolationList report={report} planId={plan.id} focusId={focusId} onFocus={focusViolation} />

  return (
    <div className="signal-workbench-view" onKeyDown={onKeyDown} data-testid="signal-workbench-view" data-controller={controllerId}>
      <WorkbenchHeader detail={detail} opened={wb.selected} dirty={wb.dirty} onOpen={open} />
      {wb.loadError && <p className="error-text">{t('signals.loadFailed', { message: wb.loadError })}</p>}
      {!editable && <p className="permission-note">{canEdit.reason}</p>}
      <div className="signal-workbench-grid">
        <div className="signal-main">
          <div className="tabs" role="tablist" aria-label={t('signals.tabs.label')}>
            {WORKBENCH_TABS.map((k) => (
              <button key={k} type="button" role="tab" aria-selected={tab === k} onClick={() => setTab(k)} data-testid={`signal-tab-${k}`}>
                {t(`signals.tabs.${k}`)}
                {k === 'intergreens' && wb.controllerDirty && ' ✎'}
              </button>
            ))}
          </div>
          {!plan && !wb.loadError && <p className="muted">{t('signals.loading')}</p>}
          {plan && tab === 'plan' && (
            <div role="tabpanel" className="signal-tabpanel">
              <div className="signal-toolbar">
                <button type="button" className="text-button" onClick={wb.undo} disabled={!wb.canUndo} data-testid="signal-undo" title={t('signals.toolbar.undoKey')}>
                  ↶ {t('signals.toolbar.undo')}
                </button>
                <button type="button" className="text-button" onClick={wb.redo} disabled={!wb.canRedo} data-testid="signal-redo" title={t('signals.toolbar.redoKey')}>
                  ↷ {t('signals.toolbar.redo')}
                </button>
                {wb.dirty && <span className="signal-dirty-mark">✎ {t('signals.header.unsaved')}</span>}
                <span className="muted small">{editable ? t('signals.toolbar.help') : ''}</span>
              </div>
              <PlanFields plan={plan} editable={editable} onEdit={wb.edit} />
              <PlanBarChart
                plan={plan}
                groups={groups}
                profile={detail.controller.profile}
                highlights={highlights}
                focus={focus}
                selectedInterval={selectedInterval}
                onSelectInterval={setSelectedInterval}
                editable={editable}
                onEdit={wb.edit}
                onPreview={wb.setPreview}
                onCommit={wb.commitPreview}
                nowS={nowS}
              />
              {violations}
              <StageDiagram plan={plan} groupIds={groupIds} onSelectInterval={setSelectedInterval} />
              <h3>{t('signals.interval.title')}</h3>
              <IntervalTable plan={plan} groupCount={groups.length} highlights={highlights} editable={editable} selectedInterval={selectedInterval} onSelectInterval={setSelectedInterval} onEdit={wb.edit} />
            </div>
          )}
          {tab === 'intergreens' && wb.controller && (
            <div role="tabpanel" className="signal-tabpanel">
              <IntergreenEditor
                controller={wb.controller}
                plan={plan}
                highlights={highlights}
                focus={focus}
                editable={editable}
                dirty={wb.controllerDirty}
                onEdit={wb.editController}
                onReset={wb.resetController}
                onSave={async (note) => {
                  await client.updateController(controllerId, { controller: wb.controller!, baseVersion: detail.version, note })
                  refresh()
                }}
              />
              {violations}
            </div>
          )}
          {plan && tab === 'history' && (
            <div role="tabpanel" className="signal-tabpanel">
              <VersionHistory controllerId={controllerId} planId={plan.id} groupIds={groupIds} refreshKey={refreshKey} opened={wb.selected} running={running} loaded={wb.loaded} edited={plan} dirty={wb.dirty} onOpen={open} />
            </div>
          )}
          {plan && tab === 'evaluation' && (
            <div role="tabpanel" className="signal-tabpanel">
              <EvaluationView controllerId={controllerId} plan={plan} running={running} />
            </div>
          )}
          {plan && tab === 'sumo' && (
            <div role="tabpanel" className="signal-tabpanel">
              <SumoView controllerId={controllerId} loaded={wb.loaded} dirty={wb.dirty} />
            </div>
          )}
          {plan && tab === 'corridor' && (
            <div role="tabpanel" className="signal-tabpanel">
              <CorridorView summaries={summaries} current={{ id: controllerId, name: detail.name, position: detail.position, groups, plan }} editable={editable} onEdit={wb.edit} />
            </div>
          )}
        </div>
        <aside className="signal-side">
          {plan && (
            <PlanActions
              detail={detail}
              loaded={wb.loaded}
              plan={plan}
              dirty={wb.dirty}
              rejects={counts.rejects}
              deployments={deployments}
              onSaved={(ref) => {
                wb.open(ref)
                wb.reloadDetail()
                setRefreshKey((k) => k + 1)
              }}
              onChanged={refresh}
            />
          )}
        </aside>
      </div>
    </div>
  )
}
