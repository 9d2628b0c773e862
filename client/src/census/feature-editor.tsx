import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { CollectionId } from '../../../contracts/schemas/census'
import { usePermission } from '../panels/use-permission'
import { AttributeField } from './attribute-field'
import { ConflictView } from './conflict-view'
import { useCensusServices } from './census-services'
import type { ModelType } from './form-model'
import { GeometrySection } from './geometry-section'
import { HistoryTimeline } from './history-timeline'
import { useDraftOnMap } from './use-draft-on-map'
import { useFeatureDraft } from './use-feature-draft'
import { useLang } from './use-lang'
import { useMapClicks } from './use-map-clicks'
import { useViewportFeatures } from './use-viewport-features'

export interface FeatureEditorProps {
  type: ModelType
  /** null: a new feature, drawn on the map first. */
  id: number | null
  /** Bring the feature into view once loaded (opened from the list or a link; not from a click on the map). */
  focus: boolean
  onDirtyChange(dirty: boolean): void
  onSaved(id: number): void
  onDeleted(): void
}

type Tab = 'attributes' | 'history'
const inField = (el: EventTarget) => el instanceof HTMLElement && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT')
const NO_TARGETS: readonly CollectionId[] = []

/**
 * One census feature: its geometry (drawn, moved, reshaped on the map), the attribute form generated
 * from its asset type with the contract's checks as you type, relations picked on the map, a change
 * note, save with If-Match (a refusal shown where it belongs; someone else's change as a conflict to
 * resolve), delete, undo/redo; and its history with the difference between versions.
 */
export function FeatureEditor({ type, id, focus, onDirtyChange, onSaved, onDeleted }: FeatureEditorProps) {
  const { t } = useTranslation()
  const lang = useLang()
  const { channel } = useCensusServices()
  const ids = useId()
  const write = usePermission('census:write')
  const [tab, setTab] = useState<Tab>('attributes')
  const [note, setNote] = useState('')
  const [redraw, setRedraw] = useState(false)
  const [pickFor, setPickFor] = useState<string | null>(null)
  const [refreshKey, setRefreshKey] = useState(0)
  const fd = useFeatureDraft({
    type,
    id,
    onSaved: (savedId) => {
      setNote('')
      setRefreshKey((k) => k + 1)
      onSaved(savedId)
    },
    onDeleted,
  })
  const editable = write.allowed && !fd.loading && !fd.loadError && !fd.conflict
  const featureId = fd.base.feature?.id ?? null

  useEffect(() => onDirtyChange(fd.dirty), [fd.dirty, onDirtyChange])
  // Leaving the page with unsaved changes asks first, as closing the sheet does.
  useEffect(() => {
    if (!fd.dirty) return
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', onUnload)
    return () => window.removeEventListener('beforeunload', onUnload)
  }, [fd.dirty])
  // A save refused for its attributes: the first field marked gets the focus (and comes into view).
  const form = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (fd.refusals > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [fd.refusals])

  const pickAttribute = type.attributes.find((a) => a.name === pickFor)
  const pickTargets = pickAttribute?.ref?.kind === 'feature' ? pickAttribute.ref.collections : NO_TARGETS
  useDraftOnMap({
    id: featureId,
    geometryType: type.geometryType,
    geometry: fd.draft.geometry,
    editable,
    redraw,
    picking: pickFor ? pickTargets : null,
    focusKey: focus && featureId !== null && id !== null ? `${type.id}/${featureId}` : null,
    onMapGeometry: (g) => {
      setRedraw(false)
      fd.setGeometry(g)
    },
  })
  // The relation's targets in view, drawn and clickable while picking.
  useViewportFeatures(pickTargets, 0, (layers) => channel.set((s) => ({ ...s, targets: layers })))
  useEffect(() => {
    if (!pickFor) channel.set((s) => (s.targets.length ? { ...s, targets: [] } : s))
  }, [channel, pickFor])
  useMapClicks((collection, picked) => {
    if (!pickFor || !pickTargets.includes(collection)) return
    fd.setValue(pickFor, String(picked))
    setPickFor(null)
  }, ['pick'])

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && (pickFor || redraw)) {
      setPickFor(null)
      setRedraw(false)
      e.preventDefault()
      return
    }
    if (!(e.ctrlKey || e.metaKey)) return
    const key = e.key.toLowerCase()
    if (key === 's') {
      e.preventDefault()
      if (editable && fd.dirty && !fd.busy) void fd.save(note)
      return
    }
    if (inField(e.target)) return
    if (key === 'z' && !e.shiftKey) fd.undo()
    else if (key === 'y' || (key === 'z' && e.shiftKey)) fd.redo()
    else return
    e.preventDefault()
  }

  const problems = fd.check.ok ? {} : fd.check.problems
  const visibleProblems = useMemo(() => Object.keys(problems).filter((n) => fd.attempted || fd.touched.has(n)), [problems, fd.attempted, fd.touched])

  if (fd.loading) return <p className="muted">{t('census.loading')}</p>
  if (fd.loadError) return <p className="error-text">{t('census.loadFailed', { message: fd.loadError })}</p>

  const isNew = fd.base.feature === null
  // Beside the save button (sticky at the bottom), so that an answer is seen where the action was.
  const message = fd.message && (
    <p className={fd.message.error ? 'error-text' : 'muted'} role={fd.message.error ? 'alert' : 'status'} data-testid="census-message" data-error={fd.message.error || undefined}>
      {fd.message.text}
    </p>
  )
  const confirmDelete = () => {
    if (window.confirm(t('census.editor.confirmDelete', { type: type.title[lang], id: featureId }))) void fd.remove(note)
  }

  return (
    <div className="census-editor" onKeyDown={onKeyDown} data-testid="census-editor" data-id={featureId ?? ''} data-version={fd.base.version ?? ''} data-dirty={fd.dirty || undefined}>
      <p className="census-editor-head">
        <strong>{type.title[lang]}</strong> {featureId !== null ? `#${featureId}` : t('census.editor.new')}
        {fd.base.version !== null && (
          <span className="muted" data-testid="census-version">
            {' '}
            · v{fd.base.version}
          </span>
        )}
        {fd.dirty && <span className="census-dirty-mark"> · ✎ {t('census.editor.unsaved')}</span>}
      </p>
      {!write.allowed && <p className="permission-note">{t('census.readOnly')}</p>}
      {fd.conflict && <ConflictView type={type} lang={lang} conflict={fd.conflict} busy={fd.busy} onTakeTheirs={fd.takeTheirs} onReapply={fd.reapplyMine} />}
      {!isNew && (
        <div className="tabs" role="tablist" aria-label={t('census.editor.tabs')}>
          {(['attributes', 'history'] as const).map((k) => (
            <button key={k} type="button" role="tab" aria-selected={tab === k} onClick={() => setTab(k)} data-testid={`census-tab-${k}`}>
              {t(`census.editor.tab.${k}`)}
            </button>
          ))}
        </div>
      )}
      {tab === 'history' && featureId !== null ? (
        <div role="tabpanel">
          <HistoryTimeline type={type} id={featureId} lang={lang} refreshKey={refreshKey} />
        </div>
      ) : (
        <div role={isNew ? undefined : 'tabpanel'}>
          <GeometrySection type={type} geometry={fd.draft.geometry} changed={fd.geometryDirty && !isNew} editable={editable} redraw={redraw} onRedraw={setRedraw} onChange={fd.setGeometry} error={fd.geometryError} />
          <form
            ref={form}
            className="cr-form census-form"
            noValidate
            aria-label={t('census.editor.attributes')}
            onSubmit={(e) => {
              e.preventDefault()
              void fd.save(note)
            }}
          >
            <p className="muted small">{t('census.editor.legend')}</p>
            {type.attributes.map((a) => (
              <AttributeField
                key={a.name}
                attribute={a}
                value={fd.draft.values[a.name] ?? ''}
                lang={lang}
                editable={editable}
                problem={visibleProblems.includes(a.name) ? (problems[a.name] ?? null) : null}
                serverError={fd.serverFields[a.name] ?? null}
                onChange={(text) => fd.setValue(a.name, text)}
                picking={pickFor === a.name}
                onPick={() => setPickFor(a.name)}
                onCancelPick={() => setPickFor(null)}
                idPrefix={ids}
              />
            ))}
            {write.allowed && (
              <div className="census-save">
                <label>
                  {t('census.editor.note')}
                  <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} placeholder={t('census.editor.notePlaceholder')} disabled={!editable} data-testid="census-note" />
                </label>
                <div className="form-actions">
                  <button type="submit" className="primary-button" disabled={!editable || fd.busy || !fd.dirty} data-testid="census-save" title={t('census.editor.saveKey')}>
                    {isNew ? t('census.editor.create') : t('census.editor.save')}
                  </button>
                  <button type="button" className="text-button" onClick={fd.undo} disabled={!fd.canUndo || !editable} data-testid="census-undo" title={t('census.editor.undoKey')}>
                    ↶ {t('census.editor.undo')}
                  </button>
                  <button type="button" className="text-button" onClick={fd.redo} disabled={!fd.canRedo || !editable} data-testid="census-redo" title={t('census.editor.redoKey')}>
                    ↷ {t('census.editor.redo')}
                  </button>
                  {fd.dirty && !isNew && (
                    <button type="button" className="text-button" onClick={fd.discard} disabled={fd.busy}>
                      {t('census.editor.discard')}
                    </button>
                  )}
                  {!isNew && (
                    <button type="button" className="text-button census-danger" onClick={confirmDelete} disabled={!editable || fd.busy} data-testid="census-delete">
                      {t('census.editor.delete')}
                    </button>
                  )}
                </div>
                {message}
              </div>
            )}
          </form>
        </div>
      )}
      {!write.allowed && message}
    </div>
  )
}
