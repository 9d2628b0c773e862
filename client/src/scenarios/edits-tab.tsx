import { useEffect, useMemo, useRef, useState, type Dispatch } from 'react'
import { useTranslation } from 'react-i18next'
import { SCENARIO_EDIT_KINDS, ScenarioNetworkSchema, type ScenarioEditKind, type ScenarioNetwork } from '../../../contracts/schemas/scenario'
import type { ScenarioDetail } from '../api/scenario-client'
import { errorMessage, isConflict } from '../panels/action-error'
import { useFormatters } from '../panels/use-formatters'
import { usePermission } from '../panels/use-permission'
import type { PickedEdge } from '../state/scenario-map'
import { AssumptionsEditor } from './assumptions-editor'
import { BaseForm } from './base-form'
import { edgesOf, emptyEditForm, formOfEdit, pickModeOf, toggleEdges, type EditForm } from './edit-form'
import { EditFormView } from './edit-form-view'
import { editSummary, sourceText } from './edit-summary'
import type { RoadLinkFeature } from './incident-closure'
import { IncidentClosurePicker } from './incident-closure-picker'
import { PmoSiteClosureOpen, PmoSiteClosurePicker } from './pmo-site-closure-picker'
import { documentProblems, documentToSave, mergeDocuments, type Draft, type DraftAction, type MergedField } from './scenario-draft'
import { useScenarioServices } from './scenario-services'
import type { EditsMapState } from './scenario-view'
import { usePmoSites } from './use-pmo-sites'

export interface EditsTabProps {
  detail: ScenarioDetail
  draft: Draft
  dispatch: Dispatch<DraftAction>
  dirty: boolean
  /** An archived scenario: read-only. */
  readOnly: boolean
  names: ReadonlyMap<string, string>
  onNames(edges: readonly PickedEdge[]): void
  onMapState(state: EditsMapState): void
  onSaved(detail: ScenarioDetail): void
  /** After a conflict, the planner drops the changes and loads the newer version. */
  onReloadLatest(detail: ScenarioDetail): void
  /** The road links the map has (the estimate's links), for the closure at an incident; null before an estimate. */
  roads: readonly RoadLinkFeature[] | null
  /** The estimate is being asked for. */
  roadsLoading: boolean
  /** Why the estimate (and so the road links) failed. */
  roadsError: string | null
  /** Asks for the estimate, so that the road links come. */
  onNeedRoads(): void
}

/** The form open: a new edit, or the edit at `index` being changed. */
type OpenForm = { index: number | null; form: EditForm }

/**
 * The scenario's document being edited: title, network, base, the edits (streets picked on the map),
 * the assumptions, and the save as a new version — a version saved meanwhile by someone else is
 * shown as such, with the choice to reload it or to keep these changes and save on top of it.
 */
export function EditsTab({ detail, draft, dispatch, dirty, readOnly, names, onNames, onMapState, onSaved, onReloadLatest, roads, roadsLoading, roadsError, onNeedRoads }: EditsTabProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const write = usePermission('scenario:write')
  const { client, channel } = useScenarioServices()
  const editable = write.allowed && !readOnly
  const doc = draft.document
  const [open, setOpen] = useState<OpenForm | null>(null)
  const [newKind, setNewKind] = useState<ScenarioEditKind>('close-road')
  /** "Close roads at an incident" is open: the open incidents to choose from. */
  const [atIncident, setAtIncident] = useState(false)
  /** "Close roads at a PMO work site" is open: the portfolio's sites (pmo:read) to choose from. */
  const pmoRead = usePermission('pmo:read')
  const pmo = usePmoSites(pmoRead.allowed && editable)
  const [atSite, setAtSite] = useState(false)
  const [focused, setFocused] = useState<number | null>(null)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const [conflict, setConflict] = useState<ScenarioDetail | null>(null)
  /** After "keep my changes": the parts both changed (mine kept), shown until the next save. */
  const [merged, setMerged] = useState<MergedField[] | null>(null)
  const problems = useMemo(() => documentProblems(doc), [doc])

  // What the map does: pick streets or a point for the open form; outline the edges being edited.
  const pick = open && editable ? pickModeOf(open.form.kind) : 'none'
  const formEdges = open?.form.edges
  const focusEdges = focused !== null ? doc.edits[focused] : undefined
  const highlighted = useMemo(() => (formEdges ? formEdges : focusEdges ? [...edgesOf(focusEdges)] : [...new Set(doc.edits.flatMap(edgesOf))]), [formEdges, focusEdges, doc.edits])
  const formPosition = open?.form.kind === 'generator' ? open.form.position : null
  const formName = open?.form.name
  const points = useMemo(() => {
    const list = doc.edits.flatMap((e, i) => (e.kind === 'generator' && i !== open?.index ? [{ position: e.position, label: e.name }] : []))
    return formPosition ? [...list, { position: formPosition, label: formName || t('scenarios.edit.newPoint') }] : list
  }, [doc.edits, open?.index, formPosition, formName, t])
  useEffect(() => onMapState({ pick, highlighted, points }), [onMapState, pick, highlighted, points])

  // Clicks on the map fill the open form.
  const openRef = useRef(open)
  openRef.current = open
  useEffect(() => {
    let seen = channel.get().clicked?.seq ?? 0
    return channel.subscribe(() => {
      const click = channel.get().clicked
      if (!click || click.seq === seen) return
      seen = click.seq
      const current = openRef.current
      if (!current) return
      if (click.kind === 'edges' && pickModeOf(current.form.kind) === 'edges') {
        onNames(click.edges)
        setOpen({ ...current, form: toggleEdges(current.form, click.edges.map((e) => e.edgeId)) })
      } else if (click.kind === 'point' && current.form.kind === 'generator') setOpen({ ...current, form: { ...current.form, position: click.position } })
    })
  }, [channel, onNames])

  const save = () => {
    setBusy(true)
    setMessage(null)
    client
      .save(detail.id, { document: documentToSave(doc), baseVersion: draft.baseVersion, note: note.trim() })
      .then((next) => {
        setNote('')
        setConflict(null)
        setMerged(null)
        onSaved(next)
      })
      .catch(async (err: unknown) => {
        if (!isConflict(err)) return setMessage(t('scenarios.editor.saveFailed', { message: errorMessage(err) }))
        // Someone saved a version meanwhile: say who and which, never overwrite it.
        const latest = await client.get(detail.id).catch(() => null)
        if (latest) setConflict(latest)
        else setMessage(t('scenarios.editor.saveFailed', { message: errorMessage(err) }))
      })
      .finally(() => setBusy(false))
  }

  return (
    <div className="scenario-editor" data-testid="scenario-editor" data-base-version={draft.baseVersion}>
      {!write.allowed && <p className="permission-note">{write.reason}</p>}
      {readOnly && <p className="permission-note">{t('scenarios.header.archivedNote')}</p>}
      <fieldset className="cr-form scenario-document" disabled={!editable}>
        <label>
          {t('scenarios.fields.title')}
          <input value={doc.title} onChange={(e) => dispatch({ type: 'title', title: e.target.value })} maxLength={200} data-testid="scenario-title" />
        </label>
        <label>
          {t('scenarios.fields.network')}
          <select value={doc.network} onChange={(e) => dispatch({ type: 'network', network: e.target.value as ScenarioNetwork })}>
            {ScenarioNetworkSchema.options.map((n) => (
              <option key={n} value={n}>
                {t(`scenarios.network.${n}`)}
              </option>
            ))}
          </select>
        </label>
        <BaseForm base={doc.base} onChange={(base) => dispatch({ type: 'base', base })} disabled={!editable} />
      </fieldset>

      <h3>{t('scenarios.editor.edits', { count: doc.edits.length })}</h3>
      {doc.edits.length === 0 && <p className="muted">{t('scenarios.editor.noEdits')}</p>}
      <ol className="scenario-edits" data-testid="scenario-edits">
        {doc.edits.map((e, i) => (
          <li key={i} className={`scenario-edit${open?.index === i ? ' is-open' : ''}`} data-testid={`scenario-edit-${i}`} data-kind={e.kind} onMouseEnter={() => setFocused(i)} onMouseLeave={() => setFocused(null)} onFocus={() => setFocused(i)} onBlur={() => setFocused(null)}>
            <span className="scenario-edit-kind">{t(`scenarios.kind.${e.kind}`)}</span>
            <span className="scenario-edit-text">{editSummary(t, e, names)}</span>
            {e.note && <span className="muted small">“{e.note}”</span>}
            {sourceText(t, e) && (
              <span className="muted small scenario-edit-source" data-testid={`scenario-edit-source-${i}`}>
                {sourceText(t, e)}
              </span>
            )}
            {editable && (
              <span className="form-actions">
                <button type="button" className="text-button" onClick={() => setOpen({ index: i, form: formOfEdit(e) })} data-testid={`scenario-edit-change-${i}`}>
                  {t('scenarios.editor.change')}
                </button>
                <button type="button" className="text-button" onClick={() => dispatch({ type: 'removeEdit', index: i })} data-testid={`scenario-edit-remove-${i}`}>
                  {t('scenarios.editor.remove')}
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      {editable && !open && atIncident && (
        <IncidentClosurePicker
          roads={roads}
          roadsLoading={roadsLoading}
          roadsError={roadsError}
          onNeedRoads={onNeedRoads}
          onForm={(form) => {
            setAtIncident(false)
            setOpen({ index: null, form })
          }}
          onCancel={() => setAtIncident(false)}
        />
      )}
      {editable && !open && atSite && pmo.sites && (
        <PmoSiteClosurePicker
          sites={pmo.sites}
          base={doc.base}
          roads={roads}
          roadsLoading={roadsLoading}
          roadsError={roadsError}
          onNeedRoads={onNeedRoads}
          onForm={(form) => {
            setAtSite(false)
            setOpen({ index: null, form })
          }}
          onCancel={() => setAtSite(false)}
        />
      )}
      {editable && !open && !atIncident && !atSite && (
        <div className="form-actions cr-form">
          <label>
            {t('scenarios.editor.newKind')}
            <select value={newKind} onChange={(e) => setNewKind(e.target.value as ScenarioEditKind)} data-testid="scenario-new-edit-kind">
              {SCENARIO_EDIT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`scenarios.kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="text-button" onClick={() => setOpen({ index: null, form: emptyEditForm(newKind) })} data-testid="scenario-new-edit">
            {t('scenarios.editor.addEdit')}
          </button>
          <button type="button" className="text-button" onClick={() => setAtIncident(true)} data-testid="scenario-incident-open">
            {t('scenarios.incident.open')}
          </button>
          <PmoSiteClosureOpen pmo={pmo} onOpen={() => setAtSite(true)} />
        </div>
      )}
      {open && (
        <EditFormView
          form={open.form}
          isNew={open.index === null}
          names={names}
          onChange={(form) => setOpen({ ...open, form })}
          onCancel={() => setOpen(null)}
          onDone={(edit) => {
            dispatch(open.index === null ? { type: 'addEdit', edit } : { type: 'replaceEdit', index: open.index, edit })
            setOpen(null)
          }}
        />
      )}

      <AssumptionsEditor assumptions={doc.assumptions} dispatch={dispatch} disabled={!editable} />

      {conflict && (
        <div className="scenario-conflict" role="alert" data-testid="scenario-conflict" data-latest={conflict.latestVersion}>
          <p>
            <span aria-hidden="true">▲ </span>
            {t('scenarios.conflict.text', { by: conflict.updatedBy, v: conflict.latestVersion, at: fmt.dateTime(conflict.updatedAtMs) })}
          </p>
          <div className="form-actions">
            <button type="button" className="text-button" onClick={() => onReloadLatest(conflict)} data-testid="scenario-conflict-reload">
              {t('scenarios.conflict.reload', { v: conflict.latestVersion })}
            </button>
            <button
              type="button"
              className="text-button"
              onClick={() => {
                setMerged(mergeDocuments(draft.saved, doc, conflict.latest.document).clashes)
                dispatch({ type: 'rebase', latestVersion: conflict.latestVersion, latest: conflict.latest.document })
                setConflict(null)
              }}
              data-testid="scenario-conflict-keep"
            >
              {t('scenarios.conflict.keep', { v: conflict.latestVersion })}
            </button>
          </div>
        </div>
      )}

      {merged && (
        <p className="permission-note" role="status" data-testid="scenario-merged">
          {t('scenarios.conflict.merged', { v: draft.baseVersion })}
          {merged.length > 0 && ` ${t('scenarios.conflict.clashes', { fields: merged.map((f) => t(`scenarios.conflict.field.${f}`)).join(', ') })}`}
        </p>
      )}

      {editable && (
        <div className="scenario-save">
          <label>
            {t('scenarios.editor.note')}
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} placeholder={t('scenarios.editor.notePlaceholder')} data-testid="scenario-note" />
          </label>
          {problems.length > 0 && dirty && (
            <ul className="scenario-problems">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          {message && (
            <p className="error-text" role="alert" data-testid="scenario-save-message">
              {message}
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="primary-button" onClick={save} disabled={busy || !dirty || problems.length > 0 || open !== null || conflict !== null} data-testid="scenario-save">
              {busy ? t('scenarios.editor.saving') : t('scenarios.editor.save', { v: draft.baseVersion + 1 })}
            </button>
            {open && <span className="muted small">{t('scenarios.editor.finishEdit')}</span>}
            {!dirty && <span className="muted small">{t('scenarios.editor.nothingToSave')}</span>}
            {dirty && <span className="small scenario-dirty-mark">{t('scenarios.editor.unsavedLong', { v: draft.version })}</span>}
          </div>
        </div>
      )}
    </div>
  )
}
