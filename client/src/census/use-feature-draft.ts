import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FeatureVersionDto } from '../../../contracts/census-api'
import { ApiError } from '../api/api-error'
import type { CensusFeature, TaggedFeature } from '../api/census-client'
import { errorMessage } from '../panels/action-error'
import type { EditableGeometry } from '../state/census-map'
import { pushEdit, redo as redoEdit, startHistory, undo as undoEdit, type EditHistory } from '../signals/edit-history'
import { sameGeometry } from './census-geometry'
import { useCensusServices } from './census-services'
import { reapply, type Draft } from './conflict-merge'
import { assetTypeOf, changedProperties, checkValues, creationProperties, detailsOnFields, storedOf, valuesOf, type Checked, type Lang, type ModelType } from './form-model'
import { useLang } from './use-lang'

/** What the editor started from: the stored feature and its ETag (nothing yet for a new feature). */
export interface Base {
  feature: CensusFeature | null
  etag: string | null
  version: number | null
}

/** Someone else saved (or deleted) the feature since `base`: theirs beside mine, until the person chooses. */
export interface ConflictState {
  action: 'save' | 'delete'
  base: Draft
  mine: Draft
  /** Their current feature; null when they deleted it. */
  theirs: TaggedFeature | null
  theirsDraft: Draft | null
  /** The versions written since mine was read, newest first (who, when, note). */
  since: FeatureVersionDto[]
}

export interface Message {
  text: string
  error: boolean
}

export interface FeatureDraft {
  loading: boolean
  loadError: string | null
  base: Base
  baseDraft: Draft
  draft: Draft
  dirty: boolean
  geometryDirty: boolean
  /** The contract's checker on the form, as typed. */
  check: Checked
  /** A save was tried: every field's problem shows, not only those of touched fields. */
  attempted: boolean
  /** Bumped when a save is refused for the attributes (the form then focuses the first one marked). */
  refusals: number
  touched: ReadonlySet<string>
  /** INVALID_FEATURE details of the last refusal, on their fields, until the field changes. */
  serverFields: Readonly<Record<string, string>>
  geometryError: string | null
  message: Message | null
  busy: boolean
  conflict: ConflictState | null
  setValue(name: string, text: string): void
  setGeometry(geometry: EditableGeometry | null): void
  undo(): void
  redo(): void
  canUndo: boolean
  canRedo: boolean
  discard(): void
  save(note: string): Promise<void>
  remove(note: string): Promise<void>
  /** Conflict: take theirs, dropping my changes. */
  takeTheirs(): void
  /** Conflict: their version with my changes on top, to review and save with their ETag. */
  reapplyMine(): void
}

export interface FeatureDraftOptions {
  type: ModelType
  id: number | null
  onSaved(id: number): void
  onDeleted(): void
}

const NO_BASE: Base = { feature: null, etag: null, version: null }

function draftOf(type: ModelType, feature: CensusFeature | null, lang: Lang): Draft {
  const asset = assetTypeOf(type)
  if (!feature) {
    const values = valuesOf(asset, {}, lang)
    // New assets are usually recorded where they already are: in service unless the person says otherwise.
    return { values: { ...values, status: 'functional' }, geometry: null }
  }
  return { values: valuesOf(asset, feature.properties, lang), geometry: feature.geometry }
}

const sameValues = (a: Draft['values'], b: Draft['values']) => Object.keys({ ...a, ...b }).every((k) => (a[k] ?? '').trim() === (b[k] ?? '').trim())

/** One feature in the editor: what it was, the edits with undo, the checks, and saving with If-Match. */
export function useFeatureDraft({ type, id, onSaved, onDeleted }: FeatureDraftOptions): FeatureDraft {
  const { t } = useTranslation()
  const lang = useLang()
  const { client } = useCensusServices()
  const asset = useMemo(() => assetTypeOf(type), [type])
  const [loading, setLoading] = useState(id !== null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [base, setBase] = useState<Base>(NO_BASE)
  const [baseDraft, setBaseDraft] = useState<Draft>(() => draftOf(type, null, lang))
  const [history, setHistory] = useState<EditHistory<Draft>>(() => startHistory(draftOf(type, null, lang)))
  const [attempted, setAttempted] = useState(false)
  const [refusals, setRefusals] = useState(0)
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set())
  const [serverFields, setServerFields] = useState<Record<string, string>>({})
  const [geometryError, setGeometryError] = useState<string | null>(null)
  const [message, setMessage] = useState<Message | null>(null)
  const [busy, setBusy] = useState(false)
  const [conflict, setConflict] = useState<ConflictState | null>(null)
  const savedId = useRef(id)
  const loadedId = useRef<number | null>(null)

  /** The editor now starts from this stored feature (after loading, saving, or a conflict's choice). */
  const startFrom = useCallback(
    (tagged: TaggedFeature, edits?: Draft) => {
      const d = draftOf(type, tagged.feature, lang)
      loadedId.current = tagged.feature.id
      setBase({ feature: tagged.feature, etag: tagged.etag, version: tagged.version })
      setBaseDraft(d)
      setHistory(edits ? pushEdit(startHistory(d), edits) : startHistory(d))
      setAttempted(false)
      setTouched(new Set())
      setServerFields({})
      setGeometryError(null)
    },
    [type, lang],
  )

  // Loaded once per feature: after a creation the editor already holds the feature it got an id for.
  useEffect(() => {
    if (id === null || loadedId.current === id) return
    const ac = new AbortController()
    client.feature(type.id, id, ac.signal).then(
      (tagged) => {
        startFrom(tagged)
        setLoading(false)
      },
      (err: unknown) => {
        if (ac.signal.aborted) return
        setLoadError(errorMessage(err))
        setLoading(false)
      },
    )
    return () => ac.abort()
  }, [client, type.id, id, startFrom])

  const draft = history.present
  const check = useMemo(() => checkValues(asset, draft.values), [asset, draft.values])
  const geometryDirty = !sameGeometry(baseDraft.geometry, draft.geometry)
  const dirty = geometryDirty || !sameValues(baseDraft.values, draft.values)

  const edit = useCallback((f: (d: Draft) => Draft) => setHistory((h) => pushEdit(h, f(h.present))), [])
  const setValue = useCallback(
    (name: string, text: string) => {
      edit((d) => (d.values[name] === text ? d : { ...d, values: { ...d.values, [name]: text } }))
      setTouched((s) => (s.has(name) ? s : new Set(s).add(name)))
      setServerFields((f) => {
        if (!(name in f)) return f
        const rest = { ...f }
        delete rest[name]
        return rest
      })
    },
    [edit],
  )
  const setGeometry = useCallback(
    (geometry: EditableGeometry | null) => {
      edit((d) => (sameGeometry(d.geometry, geometry) ? d : { ...d, geometry }))
      setGeometryError(null)
    },
    [edit],
  )

  /** 412 (or 404 meanwhile): fetch theirs and their history; nothing is overwritten. */
  const openConflict = async (action: 'save' | 'delete', mine: Draft) => {
    const currentId = savedId.current!
    const [theirs, history] = await Promise.all([
      client.feature(type.id, currentId).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'FEATURE_NOT_FOUND') return null
        throw err
      }),
      client.history(type.id, currentId).catch(() => null),
    ])
    const since = (history?.versions ?? []).filter((v) => base.version === null || v.version > base.version).sort((a, b) => b.version - a.version)
    setConflict({ action, base: baseDraft, mine, theirs, theirsDraft: theirs ? draftOf(type, theirs.feature, lang) : null, since })
  }

  const refusal = async (err: unknown, action: 'save' | 'delete', mine: Draft) => {
    if (err instanceof ApiError && (err.code === 'PRECONDITION_FAILED' || (err.code === 'FEATURE_NOT_FOUND' && savedId.current !== null))) {
      await openConflict(action, mine).catch((e: unknown) => setMessage({ text: errorMessage(e), error: true }))
      return
    }
    if (err instanceof ApiError && err.code === 'INVALID_FEATURE') {
      const d = detailsOnFields(asset, err.details)
      setServerFields(d.fields)
      setAttempted(true)
      setRefusals((n) => n + 1)
      setMessage({ text: [t('census.editor.refusedFields'), ...d.other].join(' '), error: true })
      return
    }
    if (err instanceof ApiError && err.code === 'INVALID_GEOMETRY') {
      setGeometryError(err.message)
      setMessage({ text: t('census.editor.refusedGeometry'), error: true })
      return
    }
    if (err instanceof ApiError && err.code === 'FEATURE_IN_USE') {
      setMessage({ text: `${t('census.editor.inUse')} ${err.message}`, error: true })
      return
    }
    setMessage({ text: errorMessage(err), error: true })
  }

  const save = async (note: string) => {
    setAttempted(true)
    setMessage(null)
    if (!check.ok) {
      setMessage({ text: t('census.editor.fixFields'), error: true })
      setRefusals((n) => n + 1)
      return
    }
    if (!draft.geometry) {
      setGeometryError(t('census.geometry.needed'))
      setMessage({ text: t('census.geometry.needed'), error: true })
      return
    }
    const mine = draft
    setBusy(true)
    try {
      if (base.feature === null || base.etag === null) {
        const saved = await client.create(type.id, { geometry: draft.geometry, properties: creationProperties(check.properties) }, note)
        savedId.current = saved.feature.id
        startFrom(saved)
        setMessage({ text: t('census.editor.created', { id: saved.feature.id, v: saved.version }), error: false })
        onSaved(saved.feature.id)
      } else {
        const properties = changedProperties(storedOf(asset, base.feature.properties), check.properties)
        const moved = geometryDirty
        if (Object.keys(properties).length === 0 && !moved) {
          setMessage({ text: t('census.editor.nothing'), error: false })
          return
        }
        const saved = await client.update(type.id, base.feature.id, base.etag, { ...(Object.keys(properties).length ? { properties } : {}), ...(moved ? { geometry: draft.geometry } : {}) }, note)
        startFrom(saved)
        setMessage({ text: t('census.editor.saved', { v: saved.version }), error: false })
        onSaved(saved.feature.id)
      }
    } catch (err) {
      await refusal(err, 'save', mine)
    } finally {
      setBusy(false)
    }
  }

  const remove = async (note: string) => {
    if (!base.feature || !base.etag) return
    setMessage(null)
    setBusy(true)
    try {
      await client.remove(type.id, base.feature.id, base.etag, note)
      onDeleted()
    } catch (err) {
      await refusal(err, 'delete', draft)
    } finally {
      setBusy(false)
    }
  }

  return {
    loading,
    loadError,
    base,
    baseDraft,
    draft,
    dirty,
    geometryDirty,
    check,
    attempted,
    refusals,
    touched,
    serverFields,
    geometryError,
    message,
    busy,
    conflict,
    setValue,
    setGeometry,
    undo: () => setHistory(undoEdit),
    redo: () => setHistory(redoEdit),
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    discard: () => {
      setHistory(startHistory(baseDraft))
      setTouched(new Set())
      setAttempted(false)
      setServerFields({})
      setGeometryError(null)
      setMessage(null)
    },
    save,
    remove,
    takeTheirs: () => {
      if (!conflict) return
      if (conflict.theirs) startFrom(conflict.theirs)
      setConflict(null)
      setMessage(conflict.theirs ? { text: t('census.conflict.tookTheirs', { v: conflict.theirs.version }), error: false } : null)
      if (!conflict.theirs) onDeleted()
    },
    reapplyMine: () => {
      if (!conflict?.theirs || !conflict.theirsDraft) return
      startFrom(conflict.theirs, reapply(conflict.base, conflict.mine, conflict.theirsDraft))
      setConflict(null)
      setMessage({ text: t('census.conflict.reapplied', { v: conflict.theirs.version }), error: false })
    },
  }
}
