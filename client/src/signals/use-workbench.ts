import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import type { SignalController, SignalPlan } from '../../../contracts/schemas/signal-plan'
import type { ControllerDetail, PlanVersion } from '../../../contracts/signal-api'
import { validatePlan } from '../../../contracts/signal-safety/validator'
import type { ValidationReport } from '../../../contracts/signal-safety/violation'
import { errorMessage } from '../panels/action-error'
import { useFetched } from '../panels/use-fetched'
import { pushEdit, redo, startHistory, undo, type EditHistory } from './edit-history'
import { canonicalJson, samePlan } from './plan-edit'
import { defaultVersion, sameRef, type VersionRef } from './plan-versions'
import { useSignalServices } from './signal-services'

export interface Workbench {
  detail: ControllerDetail | null
  detailError: string | null
  reloadDetail(): void
  selected: VersionRef | null
  /** Opens a stored version in the editor (the caller confirms discarding unsaved changes). */
  open(ref: VersionRef): void
  loaded: PlanVersion | null
  loadError: string | null
  reloadVersion(): void
  /** The plan on screen: the drag preview while dragging, else the edited plan. */
  plan: SignalPlan | null
  edit(f: (p: SignalPlan) => SignalPlan): void
  /** A drag in progress: shown and validated, committed as one edit by `commitPreview`. */
  setPreview(p: SignalPlan | null): void
  commitPreview(): void
  undo(): void
  redo(): void
  canUndo: boolean
  canRedo: boolean
  /** The controller with the matrix edits not saved yet. */
  controller: SignalController | null
  editController(f: (c: SignalController) => SignalController): void
  resetController(): void
  controllerDirty: boolean
  dirty: boolean
  /** The validator's report on the plan on screen (with the edited controller), recomputed on every edit. */
  report: ValidationReport | null
}

/** One controller's workbench: its detail, the version opened, the edits with undo, and the live validation. */
export function useWorkbench(controllerId: string): Workbench {
  const { client } = useSignalServices()
  const fetchDetail = useCallback((signal?: AbortSignal) => client.getController(controllerId, signal), [client, controllerId])
  const detail = useFetched<ControllerDetail>(fetchDetail)
  const [selected, setSelected] = useState<VersionRef | null>(null)
  const [loaded, setLoaded] = useState<PlanVersion | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [versionAttempt, setVersionAttempt] = useState(0)
  const [history, setHistory] = useState<EditHistory<SignalPlan> | null>(null)
  const [preview, setPreview] = useState<SignalPlan | null>(null)
  const [controller, setController] = useState<SignalController | null>(null)
  const controllerVersion = useRef<number | null>(null)
  const previewRef = useRef<SignalPlan | null>(null)

  useEffect(() => {
    if (!selected && detail.data) setSelected(defaultVersion(detail.data))
  }, [detail.data, selected])

  // A new controller version on the server replaces the matrices on screen; a reload of the same one keeps the edits.
  useEffect(() => {
    if (detail.data && detail.data.version !== controllerVersion.current) {
      controllerVersion.current = detail.data.version
      setController(detail.data.controller)
    }
  }, [detail.data])

  useEffect(() => {
    if (!selected) return
    const ac = new AbortController()
    client.getPlanVersion(controllerId, selected.planId, selected.version, ac.signal).then(
      (v) => {
        setLoaded(v)
        setHistory(startHistory(v.plan))
        previewRef.current = null
        setPreview(null)
        setLoadError(null)
      },
      (err: unknown) => {
        if (!ac.signal.aborted) setLoadError(errorMessage(err))
      },
    )
    return () => ac.abort()
  }, [client, controllerId, selected, versionAttempt])

  const plan = preview ?? history?.present ?? null
  const deferredPlan = useDeferredValue(plan)
  const deferredController = useDeferredValue(controller)
  const report = useMemo(() => (deferredPlan && deferredController ? validatePlan(deferredController, deferredPlan) : null), [deferredPlan, deferredController])

  const edit = useCallback((f: (p: SignalPlan) => SignalPlan) => setHistory((h) => (h ? pushEdit(h, f(h.present)) : h)), [])
  const showPreview = useCallback((p: SignalPlan | null) => {
    previewRef.current = p
    setPreview(p)
  }, [])
  const commitPreview = useCallback(() => {
    const p = previewRef.current
    previewRef.current = null
    setPreview(null)
    if (p) setHistory((h) => (h ? pushEdit(h, p) : h))
  }, [])

  return {
    detail: detail.data,
    detailError: detail.error,
    reloadDetail: detail.reload,
    selected,
    open: (ref) => {
      if (sameRef(ref, selected)) setVersionAttempt((n) => n + 1)
      else setSelected(ref)
    },
    loaded,
    loadError,
    reloadVersion: () => setVersionAttempt((n) => n + 1),
    plan,
    edit,
    setPreview: showPreview,
    commitPreview,
    undo: () => setHistory((h) => (h ? undo(h) : h)),
    redo: () => setHistory((h) => (h ? redo(h) : h)),
    canUndo: (history?.past.length ?? 0) > 0,
    canRedo: (history?.future.length ?? 0) > 0,
    controller,
    editController: (f) => setController((c) => (c ? f(c) : c)),
    resetController: () => setController(detail.data?.controller ?? null),
    controllerDirty: !!detail.data && !!controller && canonicalJson(detail.data.controller) !== canonicalJson(controller),
    dirty: !!loaded && !!history && !samePlan(loaded.plan, history.present),
    report,
  }
}
