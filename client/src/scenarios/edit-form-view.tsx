import { useCallback, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ControllerSummary } from '../../../contracts/signal-api'
import type { ScenarioEdit } from '../../../contracts/schemas/scenario'
import { useFetched } from '../panels/use-fetched'
import { editOfForm, pickModeOf, type EditForm, type EditProblem } from './edit-form'
import { sourceLabel } from './edit-summary'
import { HourSelect } from './hour-select'
import { useScenarioServices } from './scenario-services'

export interface EditFormViewProps {
  form: EditForm
  isNew: boolean
  names: ReadonlyMap<string, string>
  onChange(form: EditForm): void
  onCancel(): void
  onDone(edit: ScenarioEdit): void
}

/**
 * One edit's form: the streets picked on the map (a click adds a street, both directions; a second
 * click takes it out), or the point of a generator, and the kind's own fields. Problems show where
 * they are, once "Add" was pressed.
 */
export function EditFormView({ form, isNew, names, onChange, onCancel, onDone }: EditFormViewProps) {
  const { t } = useTranslation()
  const [problems, setProblems] = useState<EditProblem[]>([])
  const set = (patch: Partial<EditForm>) => onChange({ ...form, ...patch })
  const pick = pickModeOf(form.kind)
  const has = (p: EditProblem) => problems.includes(p)
  const submit = () => {
    const r = editOfForm(form)
    if ('edit' in r) onDone(r.edit)
    else setProblems(r.problems)
  }

  return (
    <fieldset className="cr-form scenario-edit-form" data-testid="scenario-edit-form" data-kind={form.kind} data-edges={form.edges.length}>
      <legend>{isNew ? t('scenarios.edit.newTitle', { kind: t(`scenarios.kind.${form.kind}`) }) : t('scenarios.edit.changeTitle', { kind: t(`scenarios.kind.${form.kind}`) })}</legend>
      <p className="muted small">{t(`scenarios.edit.hint.${form.kind}`)}</p>
      {form.source && (
        <p className="muted small scenario-edit-source" data-testid="scenario-edit-form-source">
          {sourceLabel(t, form.source)}
        </p>
      )}

      {pick === 'edges' && (
        <div className="scenario-picked" aria-live="polite">
          <p className="scenario-pick-hint" data-testid="scenario-pick-hint">
            {t('scenarios.edit.pickStreets')}
          </p>
          {form.edges.length === 0 ? (
            <p className={has('edges') ? 'field-error' : 'muted small'}>{t('scenarios.edit.noStreets')}</p>
          ) : (
            <ul className="scenario-chips" data-testid="scenario-picked-edges">
              {form.edges.map((e) => (
                <li key={e} className="scenario-chip" data-edge={e}>
                  <span>{names.get(e) ?? t('scenarios.edit.unnamed')}</span> <code className="muted">{e}</code>
                  <button type="button" className="icon-button" aria-label={t('scenarios.edit.removeStreet', { street: names.get(e) ?? e })} onClick={() => set({ edges: form.edges.filter((x) => x !== e) })}>
                    <span aria-hidden="true">×</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      {form.kind === 'close-road' && <CloseFields form={form} set={set} has={has} />}
      {form.kind === 'speed-limit' && <ProblemInput label={t('scenarios.edit.speedKmh')} inputMode="decimal" value={form.speedKmh} onChange={(v) => set({ speedKmh: v })} problem="speedKmh" has={has} />}
      {form.kind === 'lane-use' && <ProblemInput label={t('scenarios.edit.lanes')} inputMode="numeric" value={form.lanes} onChange={(v) => set({ lanes: v })} problem="lanes" has={has} />}
      {form.kind === 'signal-plan' && <SignalPlanFields form={form} set={set} has={has} />}
      {form.kind === 'scale-demand' && <DemandFields form={form} set={set} has={has} />}
      {form.kind === 'generator' && (
        <>
          <p className="scenario-pick-hint" data-testid="scenario-pick-hint">
            {form.position ? t('scenarios.edit.pointAt', { lon: form.position[0].toFixed(5), lat: form.position[1].toFixed(5) }) : t('scenarios.edit.pickPoint')}
          </p>
          {has('position') && <p className="field-error">{t('scenarios.edit.problem.position')}</p>}
          <ProblemInput label={t('scenarios.edit.name')} value={form.name} onChange={(v) => set({ name: v })} maxLength={200} problem="name" has={has} />
          <div className="scenario-fields">
            <label>
              {t('scenarios.edit.produced')}
              <input inputMode="numeric" value={form.producedVehH} onChange={(e) => set({ producedVehH: e.target.value })} aria-invalid={has('vehH') || undefined} />
            </label>
            <label>
              {t('scenarios.edit.attracted')}
              <input inputMode="numeric" value={form.attractedVehH} onChange={(e) => set({ attractedVehH: e.target.value })} aria-invalid={has('vehH') || undefined} />
            </label>
          </div>
          {has('vehH') && <span className="field-error">{t('scenarios.edit.problem.vehH')}</span>}
        </>
      )}
      <label>
        {t('scenarios.edit.note')}
        <input value={form.note} onChange={(e) => set({ note: e.target.value })} maxLength={2000} />
      </label>
      {has('invalid') && <p className="field-error">{t('scenarios.edit.problem.invalid')}</p>}
      <div className="form-actions">
        <button type="button" className="primary-button" onClick={submit} data-testid="scenario-edit-done">
          {isNew ? t('scenarios.edit.add') : t('scenarios.edit.apply')}
        </button>
        <button type="button" className="text-button" onClick={onCancel} data-testid="scenario-edit-cancel">
          {t('scenarios.cancel')}
        </button>
      </div>
    </fieldset>
  )
}

interface FieldsProps {
  form: EditForm
  set(patch: Partial<EditForm>): void
  has(p: EditProblem): boolean
}

interface ProblemInputProps {
  label: string
  value: string
  onChange(value: string): void
  /** The problem the field answers for: marked invalid and explained below it when the form has it. */
  problem: EditProblem
  has(p: EditProblem): boolean
  inputMode?: 'decimal' | 'numeric'
  maxLength?: number
  testId?: string
}

/** A typed field of the edit with the text of its problem. */
function ProblemInput({ label, value, onChange, problem, has, inputMode, maxLength, testId }: ProblemInputProps) {
  const { t } = useTranslation()
  return (
    <label>
      {label}
      <input inputMode={inputMode} value={value} onChange={(e) => onChange(e.target.value)} maxLength={maxLength} aria-invalid={has(problem) || undefined} data-testid={testId} />
      {has(problem) && <span className="field-error">{t(`scenarios.edit.problem.${problem}`)}</span>}
    </label>
  )
}

/** An hour of the day picked from a list (00:00 … 23:00). */
function CloseFields({ form, set, has }: FieldsProps) {
  const { t } = useTranslation()
  const name = useId()
  return (
    <>
      <div role="radiogroup" aria-label={t('scenarios.edit.closure')}>
        {(['whole', 'lanes'] as const).map((c) => (
          <label key={c} className="radio-label">
            <input type="radio" name={name} checked={form.closure === c} onChange={() => set({ closure: c })} data-testid={`scenario-closure-${c}`} />
            {t(`scenarios.edit.closureKind.${c}`)}
          </label>
        ))}
      </div>
      {form.closure === 'lanes' && <ProblemInput label={t('scenarios.edit.lanesClosed')} inputMode="numeric" value={form.lanesClosed} onChange={(v) => set({ lanesClosed: v })} problem="lanesClosed" has={has} />}
      <label className="check-label">
        <input type="checkbox" checked={form.window} onChange={(e) => set({ window: e.target.checked })} data-testid="scenario-window" />
        {t('scenarios.edit.window')}
      </label>
      {form.window && (
        <div className="scenario-fields">
          <HourSelect label={t('scenarios.edit.fromHour')} value={form.fromHour} onChange={(h) => set({ fromHour: h })} />
          <HourSelect label={t('scenarios.edit.toHour')} value={form.toHour} onChange={(h) => set({ toHour: h })} />
        </div>
      )}
      {form.window && <p className="muted small">{has('window') ? <span className="field-error">{t('scenarios.edit.problem.window')}</span> : t('scenarios.edit.windowHint')}</p>}
    </>
  )
}

function SignalPlanFields({ form, set, has }: FieldsProps) {
  const { t } = useTranslation()
  const { signals } = useScenarioServices()
  const fetchControllers = useCallback((signal?: AbortSignal) => signals.listControllers(signal), [signals])
  const controllers = useFetched<ControllerSummary[]>(fetchControllers)
  const controller = controllers.data?.find((c) => c.id === form.controllerId)
  const planValue = form.planId && form.version ? `${form.planId}@${form.version}` : ''
  return (
    <>
      {controllers.error && <p className="error-text">{t('scenarios.loadFailed', { message: controllers.error })}</p>}
      <label>
        {t('scenarios.edit.controller')}
        <select value={form.controllerId} onChange={(e) => set({ controllerId: e.target.value, planId: '', version: '' })} aria-invalid={has('controller') || undefined} data-testid="scenario-edit-controller">
          <option value="">{controllers.data ? t('scenarios.edit.choose') : t('scenarios.loading')}</option>
          {controllers.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.id} · {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('scenarios.edit.planVersion')}
        <select
          value={planValue}
          disabled={!controller}
          onChange={(e) => {
            const [planId, version] = e.target.value.split('@')
            set({ planId: planId ?? '', version: version ?? '' })
          }}
          aria-invalid={has('plan') || undefined}
          data-testid="scenario-edit-plan"
        >
          <option value="">{t('scenarios.edit.choose')}</option>
          {controller?.plans.map((p) => (
            <option key={`${p.planId}@${p.version}`} value={`${p.planId}@${p.version}`}>
              {p.planId} v{p.version} · {p.name} · {p.status}
              {controller.running && controller.running.planId === p.planId && controller.running.version === p.version ? ` · ${t('scenarios.edit.running')}` : ''}
            </option>
          ))}
        </select>
      </label>
      {(has('controller') || has('plan')) && <span className="field-error">{t('scenarios.edit.problem.plan')}</span>}
    </>
  )
}

function DemandFields({ form, set, has }: FieldsProps) {
  const { t } = useTranslation()
  const { districts } = useScenarioServices()
  const list = useFetched<string[]>(districts)
  const toggle = (d: string) => set({ districts: form.districts.includes(d) ? form.districts.filter((x) => x !== d) : [...form.districts, d] })
  return (
    <>
      <ProblemInput label={t('scenarios.edit.factor')} inputMode="decimal" value={form.factor} onChange={(v) => set({ factor: v })} problem="factor" has={has} testId="scenario-edit-factor" />
      <fieldset>
        <legend>{t('scenarios.edit.districts')}</legend>
        <p className="muted small">{t('scenarios.edit.districtsHint')}</p>
        {list.error && <p className="error-text">{t('scenarios.loadFailed', { message: list.error })}</p>}
        <div className="scenario-districts">
          {list.data?.map((d) => (
            <label key={d} className="check-label">
              <input type="checkbox" checked={form.districts.includes(d)} onChange={() => toggle(d)} />
              {d}
            </label>
          ))}
        </div>
      </fieldset>
    </>
  )
}
