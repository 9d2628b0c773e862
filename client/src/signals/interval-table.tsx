import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { PLAN_CONTROLS, type PlanControl, type SignalPlan } from '../../../contracts/schemas/signal-plan'
import { NumberField } from './number-field'
import {
  duplicateInterval,
  insertAllRed,
  intervalStartsS,
  moveInterval,
  parseSwitchPoints,
  removeInterval,
  setBounds,
  setDuration,
  setIntervalName,
  setOffset,
} from './plan-edit'
import type { Highlights, Severity } from './violation-highlights'

export interface IntervalTableProps {
  plan: SignalPlan
  groupCount: number
  highlights: Highlights
  editable: boolean
  selectedInterval: number | null
  onSelectInterval(k: number | null): void
  onEdit(f: (p: SignalPlan) => SignalPlan): void
}

/** The worst finding on interval k: about the interval, or about a group in it. */
function intervalSeverity(h: Highlights, k: number): Severity | null {
  let s: Severity | null = h.intervals.get(k) ?? null
  for (const [key, v] of h.cells) if (key.endsWith(`|${k}`) && (s === null || v === 'reject')) s = v
  return s
}

/** The plan's own fields: name, control, cycle (Σ durations), offset, switch points, night program. */
export function PlanFields({ plan, editable, onEdit }: Pick<IntervalTableProps, 'plan' | 'editable' | 'onEdit'>) {
  const { t } = useTranslation()
  const [points, setPoints] = useState(plan.switchPoints.join(', '))
  useEffect(() => setPoints(plan.switchPoints.join(', ')), [plan.switchPoints])
  const parsedPoints = parseSwitchPoints(points, plan.cycleS)
  return (
    <div className="signal-plan-fields cr-form">
      <label>
        {t('signals.plan.name')}
        <input value={plan.name} disabled={!editable} maxLength={120} onChange={(e) => onEdit((p) => ({ ...p, name: e.target.value }))} data-testid="signal-plan-name" />
      </label>
      <label>
        {t('signals.plan.control')}
        <select value={plan.control} disabled={!editable} onChange={(e) => onEdit((p) => ({ ...p, control: e.target.value as PlanControl }))}>
          {PLAN_CONTROLS.map((c) => (
            <option key={c} value={c}>
              {t(`signals.control.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="signal-cycle-field">
        <span>{t('signals.plan.cycle')}</span>
        <span>
          <strong data-testid="signal-cycle">{plan.cycleS}</strong> s
        </span>
      </div>
      <label>
        {t('signals.plan.offset')}
        <NumberField value={plan.offsetS} disabled={!editable} onValue={(v) => v !== null && onEdit((p) => setOffset(p, v))} size={5} data-testid="signal-offset" />
      </label>
      <label>
        {t('signals.plan.switchPoints')}
        <input
          value={points}
          disabled={!editable}
          aria-invalid={parsedPoints === null}
          onChange={(e) => {
            setPoints(e.target.value)
            const v = parseSwitchPoints(e.target.value, plan.cycleS)
            if (v) onEdit((p) => ({ ...p, switchPoints: v }))
          }}
          size={10}
        />
      </label>
      <label className="check-label">
        <input type="checkbox" checked={plan.nightProgram} disabled={!editable} onChange={(e) => onEdit((p) => ({ ...p, nightProgram: e.target.checked }))} />
        {t('signals.plan.nightProgram')}
      </label>
    </div>
  )
}

/**
 * The intervals as a table: duration (the cycle follows), actuation bounds, name, and the buttons to
 * move, duplicate, add an all-red after, or remove one. Edits apply as you type.
 */
export function IntervalTable({ plan, groupCount, highlights, editable, selectedInterval, onSelectInterval, onEdit }: IntervalTableProps) {
  const { t } = useTranslation()
  const starts = intervalStartsS(plan.intervals)
  const actuated = plan.control === 'actuated' || plan.control === 'adaptive'
  return (
    <table className="data-table signal-interval-table">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">{t('signals.interval.start')}</th>
          <th scope="col">{t('signals.interval.duration')}</th>
          {actuated && <th scope="col">{t('signals.interval.min')}</th>}
          {actuated && <th scope="col">{t('signals.interval.max')}</th>}
          <th scope="col">{t('signals.interval.name')}</th>
          <th scope="col">
            <span className="sr-only">{t('signals.interval.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {plan.intervals.map((iv, k) => {
          const sev = intervalSeverity(highlights, k)
          return (
            <tr key={k} className={`${selectedInterval === k ? 'is-selected' : ''}${sev ? ` has-${sev}` : ''}`} data-testid={`signal-interval-${k}`} data-severity={sev ?? undefined} onFocus={() => onSelectInterval(k)}>
              <th scope="row">
                {sev && <span className={`signal-mark mark-${sev}`} aria-hidden="true">{sev === 'reject' ? '▲' : '◆'} </span>}
                {k + 1}
              </th>
              <td className="num">{starts[k]}</td>
              <td>
                <NumberField
                  value={iv.durationS}
                  disabled={!editable}
                  size={5}
                  aria-label={t('signals.interval.durationOf', { k: k + 1 })}
                  data-testid={`signal-interval-duration-${k}`}
                  onValue={(v) => v !== null && v > 0 && onEdit((p) => setDuration(p, k, v))}
                />
              </td>
              {actuated && (
                <td>
                  <NumberField value={iv.minS ?? null} allowEmpty disabled={!editable} size={4} aria-label={t('signals.interval.minOf', { k: k + 1 })} onValue={(v) => onEdit((p) => setBounds(p, k, { minS: v ?? undefined }))} />
                </td>
              )}
              {actuated && (
                <td>
                  <NumberField value={iv.maxS ?? null} allowEmpty disabled={!editable} size={4} aria-label={t('signals.interval.maxOf', { k: k + 1 })} onValue={(v) => onEdit((p) => setBounds(p, k, { maxS: v ?? undefined }))} />
                </td>
              )}
              <td>
                <input value={iv.name ?? ''} disabled={!editable} maxLength={60} size={12} aria-label={t('signals.interval.nameOf', { k: k + 1 })} onChange={(e) => onEdit((p) => setIntervalName(p, k, e.target.value))} />
              </td>
              <td className="signal-interval-actions">
                <button type="button" className="text-button" disabled={!editable || k === 0} onClick={() => onEdit((p) => moveInterval(p, k, -1))} aria-label={t('signals.interval.up', { k: k + 1 })} title={t('signals.interval.up', { k: k + 1 })}>
                  ↑
                </button>
                <button type="button" className="text-button" disabled={!editable || k === plan.intervals.length - 1} onClick={() => onEdit((p) => moveInterval(p, k, 1))} aria-label={t('signals.interval.down', { k: k + 1 })} title={t('signals.interval.down', { k: k + 1 })}>
                  ↓
                </button>
                <button type="button" className="text-button" disabled={!editable} onClick={() => onEdit((p) => duplicateInterval(p, k))} data-testid={`signal-interval-duplicate-${k}`} title={t('signals.interval.duplicate', { k: k + 1 })}>
                  {t('signals.interval.duplicateShort')}
                </button>
                <button type="button" className="text-button" disabled={!editable} onClick={() => onEdit((p) => insertAllRed(p, k + 1, groupCount))} data-testid={`signal-interval-add-${k}`} title={t('signals.interval.addAfter', { k: k + 1 })}>
                  {t('signals.interval.addShort')}
                </button>
                <button
                  type="button"
                  className="text-button"
                  disabled={!editable || plan.intervals.length <= 1}
                  onClick={() => {
                    onSelectInterval(null)
                    onEdit((p) => removeInterval(p, k))
                  }}
                  data-testid={`signal-interval-remove-${k}`}
                  title={t('signals.interval.remove', { k: k + 1 })}
                >
                  {t('signals.interval.removeShort')}
                </button>
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
