/**
 * The PMO's usual updates of a project (docs/pmo.md "Updating a project"), each saved as a new version
 * by the project view: status with committed and spent money (typed in euro), a milestone reached on
 * a date, a hand-entered KPI's value, a risk's status. Shown only to holders of pmo:write.
 */
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { PROJECT_STATUSES, type Project, type ProjectStatus } from '../../../contracts/schemas/pmo'
import { centsToEuroInput, parseEuroToCents } from './pmo-money'
import { parseDecimal, withKpiActual, withMilestoneDone, withRiskStatus, withStatusAndMoney } from './pmo-form'

export interface EditProps {
  project: Project
  busy: boolean
  save(next: Project, note: string): void
}

export function StatusMoneyForm({ project, busy, save }: EditProps) {
  const { t, i18n } = useTranslation()
  const lang = i18n.resolvedLanguage ?? i18n.language
  const [status, setStatus] = useState<ProjectStatus>(project.status)
  const [committed, setCommitted] = useState(centsToEuroInput(project.committedCents, lang))
  const [spent, setSpent] = useState(centsToEuroInput(project.spentCents, lang))
  const [problem, setProblem] = useState<string | null>(null)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const committedCents = parseEuroToCents(committed, lang)
    const spentCents = parseEuroToCents(spent, lang)
    if (committedCents === null || spentCents === null) return setProblem(t('pmo.edit.notAmount'))
    setProblem(null)
    save(withStatusAndMoney(project, { status, committedCents, spentCents }), t('pmo.edit.noteStatus'))
  }
  return (
    <form className="cr-form pmo-edit-form" onSubmit={submit} aria-label={t('pmo.edit.statusTitle')}>
      <label>
        {t('pmo.edit.status')}
        <select name="pmo-status" value={status} onChange={(e) => setStatus(e.target.value as ProjectStatus)}>
          {PROJECT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`pmo.status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('pmo.edit.committed')}
        <input name="pmo-committed" inputMode="decimal" value={committed} onChange={(e) => setCommitted(e.target.value)} />
      </label>
      <label>
        {t('pmo.edit.spent')}
        <input name="pmo-spent" inputMode="decimal" value={spent} onChange={(e) => setSpent(e.target.value)} />
      </label>
      <button type="submit" className="primary-button" disabled={busy}>
        {t('pmo.edit.save')}
      </button>
      {problem && <p className="field-error">{problem}</p>}
    </form>
  )
}

/** "Reached on <date>" for an open milestone. */
export function MilestoneDoneForm({ project, busy, save, milestoneKey, today }: EditProps & { milestoneKey: string; today: string }) {
  const { t } = useTranslation()
  const [date, setDate] = useState(today)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (date) save(withMilestoneDone(project, milestoneKey, date), t('pmo.edit.noteMilestone', { key: milestoneKey }))
  }
  return (
    <form className="pmo-inline-edit" onSubmit={submit}>
      <label>
        <span className="sr-only">{t('pmo.edit.doneDate')}</span>
        <input type="date" name={`milestone-date-${milestoneKey}`} value={date} max={today} onChange={(e) => setDate(e.target.value)} />
      </label>
      <button type="submit" className="text-button" name={`milestone-done-${milestoneKey}`} disabled={busy}>
        {t('pmo.edit.markDone')}
      </button>
    </form>
  )
}

/** The value of a hand-entered KPI and the day it was measured. */
export function KpiActualForm({ project, busy, save, kpiKey, today }: EditProps & { kpiKey: string; today: string }) {
  const { t } = useTranslation()
  const kpi = project.kpis.find((k) => k.key === kpiKey)
  const [value, setValue] = useState(kpi?.actual === null || kpi?.actual === undefined ? '' : String(kpi.actual))
  const [date, setDate] = useState(kpi?.actualDate ?? today)
  const [problem, setProblem] = useState(false)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const actual = parseDecimal(value)
    if (value.trim() !== '' && actual === null) return setProblem(true)
    setProblem(false)
    save(withKpiActual(project, kpiKey, actual, date || today), t('pmo.edit.noteKpi', { key: kpiKey }))
  }
  return (
    <form className="pmo-inline-edit" onSubmit={submit}>
      <label>
        <span className="sr-only">{t('pmo.edit.kpiValue')}</span>
        <input name={`kpi-actual-${kpiKey}`} inputMode="decimal" size={6} value={value} aria-invalid={problem} onChange={(e) => setValue(e.target.value)} />
      </label>
      <label>
        <span className="sr-only">{t('pmo.edit.kpiDate')}</span>
        <input type="date" name={`kpi-date-${kpiKey}`} value={date} max={today} onChange={(e) => setDate(e.target.value)} />
      </label>
      <button type="submit" className="text-button" name={`kpi-save-${kpiKey}`} disabled={busy}>
        {t('pmo.edit.save')}
      </button>
      {problem && <span className="field-error">{t('pmo.edit.notNumber')}</span>}
    </form>
  )
}

const RISK_STATUSES = ['open', 'mitigated', 'closed'] as const

export function RiskStatusSelect({ project, busy, save, riskKey }: EditProps & { riskKey: string }) {
  const { t } = useTranslation()
  const risk = project.risks.find((r) => r.key === riskKey)
  if (!risk) return null
  return (
    <label>
      <span className="sr-only">{t('pmo.risks.status')}</span>
      <select name={`risk-status-${riskKey}`} value={risk.status} disabled={busy} onChange={(e) => save(withRiskStatus(project, riskKey, e.target.value as (typeof RISK_STATUSES)[number]), t('pmo.edit.noteRisk', { key: riskKey }))}>
        {RISK_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`pmo.risks.${s}`)}
          </option>
        ))}
      </select>
    </label>
  )
}
