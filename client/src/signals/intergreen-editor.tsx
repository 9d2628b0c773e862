import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SignalController, SignalPlan } from '../../../contracts/schemas/signal-plan'
import { errorMessage, isConflict } from '../panels/action-error'
import { conflictMatrix, intergreenMatrix, setIntergreen } from './intergreen-matrix'
import { NumberField } from './number-field'
import { pairKey, type Highlights } from './violation-highlights'

export interface IntergreenEditorProps {
  controller: SignalController
  plan: SignalPlan | null
  highlights: Highlights
  focus: Highlights | null
  editable: boolean
  dirty: boolean
  onEdit(f: (c: SignalController) => SignalController): void
  onReset(): void
  /** Saves the controller (a new controller version on the server). */
  onSave(note: string): Promise<void>
}

/**
 * The intergreen matrix (clearing rows × entering columns): conflicting pairs editable in seconds
 * with the minimum computed from the geometry as a hint, values below it or missing marked;
 * permissive pairs '·'. Beside it the conflict matrix, read-only, with the geometry and the
 * engineer's reason for each permissive override on hover.
 */
export function IntergreenEditor({ controller, plan, highlights, focus, editable, dirty, onEdit, onReset, onSave }: IntergreenEditorProps) {
  const { t } = useTranslation()
  const ig = useMemo(() => intergreenMatrix(controller, plan?.intervals ?? null), [controller, plan?.intervals])
  const km = useMemo(() => conflictMatrix(controller), [controller])
  const ids = controller.signalGroups.map((g) => g.id)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const pairClass = (a: string, b: string) => {
    const sev = focus?.pairs.get(pairKey(a, b)) ?? highlights.pairs.get(pairKey(a, b))
    return `${sev ? ` has-${sev}` : ''}${focus?.pairs.has(pairKey(a, b)) ? ' is-focus' : ''}`
  }

  const save = () => {
    setBusy(true)
    setError(null)
    onSave(note.trim())
      .then(() => setNote(''))
      .catch((err: unknown) => setError(isConflict(err) ? t('signals.matrix.conflict') : errorMessage(err)))
      .finally(() => setBusy(false))
  }

  return (
    <div className="signal-matrices">
      <section aria-labelledby="signal-ig-title">
        <h3 id="signal-ig-title">{t('signals.matrix.intergreenTitle')}</h3>
        <p className="muted small">{t('signals.matrix.intergreenHelp')}</p>
        <table className="signal-matrix" data-testid="signal-intergreen-matrix">
          <thead>
            <tr>
              <th scope="col" className="signal-matrix-corner">
                {t('signals.matrix.clearing')} ↓ / {t('signals.matrix.entering')} →
              </th>
              {ids.map((id) => (
                <th key={id} scope="col">
                  {id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ig.map((row, i) => (
              <tr key={ids[i]}>
                <th scope="row">{ids[i]}</th>
                {row.map((c) => {
                  if (c.kind === 'self') return <td key={c.entering} className="is-self" aria-label={t('signals.matrix.self')}>—</td>
                  if (c.kind === 'permissive') return <td key={c.entering} className="is-permissive" title={t('signals.matrix.permissive')}>·</td>
                  const hint = c.computedS === null ? t('signals.matrix.noGeometry') : t('signals.matrix.computed', { s: c.computedS })
                  const marked = c.missing || (c.belowComputed && !c.override)
                  return (
                    <td
                      key={c.entering}
                      className={`is-conflict${marked ? ' is-below' : ''}${pairClass(c.clearing, c.entering)}`}
                      title={c.override ? t('signals.matrix.overridden', { by: c.override.by, reason: c.override.reason }) : hint}
                    >
                      <NumberField
                        value={c.valueS}
                        allowEmpty
                        disabled={!editable}
                        size={3}
                        aria-label={t('signals.matrix.cell', { a: c.clearing, b: c.entering })}
                        data-testid={`signal-intergreen-${c.clearing}-${c.entering}`}
                        onValue={(v) => onEdit((ctl) => setIntergreen(ctl, c.clearing, c.entering, v !== null && v >= 0 ? v : null))}
                      />
                      <span className="signal-matrix-hint">
                        {marked && <span aria-hidden="true">◆ </span>}
                        {c.missing ? t('signals.matrix.missing') : c.computedS === null ? '' : `≥${c.computedS}`}
                      </span>
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <div className="form-actions">
          <input value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('signals.matrix.notePlaceholder')} disabled={!editable || !dirty} maxLength={500} aria-label={t('signals.actions.note')} />
          <button type="button" className="primary-button" disabled={!editable || !dirty || busy || note.trim() === ''} onClick={save} data-testid="signal-save-controller">
            {t('signals.matrix.save')}
          </button>
          <button type="button" className="text-button" disabled={!dirty || busy} onClick={onReset}>
            {t('signals.matrix.reset')}
          </button>
        </div>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
      </section>
      <section aria-labelledby="signal-k-title">
        <h3 id="signal-k-title">{t('signals.matrix.conflictTitle')}</h3>
        <p className="muted small">{t('signals.matrix.conflictHelp')}</p>
        <table className="signal-matrix signal-conflict-matrix" data-testid="signal-conflict-matrix">
          <thead>
            <tr>
              <th scope="col" className="signal-matrix-corner" />
              {ids.map((id) => (
                <th key={id} scope="col">
                  {id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {km.map((row, i) => (
              <tr key={ids[i]}>
                <th scope="row">{ids[i]}</th>
                {row.map((c) => {
                  const geo = c.geometry ? t('signals.matrix.geometry', { kind: t(`signals.matrix.${c.geometry.kind}`), a: c.geometry.a, am: c.geometry.aToPointM, b: c.geometry.b, bm: c.geometry.bToPointM }) : ''
                  const why = c.override ? t('signals.matrix.permissiveOverride', { reason: c.override.reason, by: c.override.by, at: c.override.at }) : ''
                  return (
                    <td key={c.b} className={`is-${c.kind}${c.override ? ' has-override' : ''}${pairClass(c.a, c.b)}`} title={[geo, why].filter(Boolean).join('\n') || undefined} data-testid={`signal-conflict-${c.a}-${c.b}`}>
                      {c.kind === 'self' ? '—' : c.kind === 'conflict' ? 'x' : c.override ? '·*' : '·'}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">{t('signals.matrix.legend')}</p>
      </section>
    </div>
  )
}
