import { useTranslation } from 'react-i18next'
import { CASE_STATE_FILTERS } from '../../../contracts/case-api'
import { localized } from './case-form'
import { useCaseServices } from './case-services'

export interface CaseFilterState {
  state: (typeof CASE_STATE_FILTERS)[number]
  /** '' for every service. */
  service: string
  /** '' for every office. */
  office: string
  assignee: 'any' | 'me' | 'none'
}

/** The list's filters: which cases (open, overdue, waiting for acceptance, closed, all), service, office, assignee. */
export function CaseFilters({ value, onChange }: { value: CaseFilterState; onChange(next: CaseFilterState): void }) {
  const { t, i18n } = useTranslation()
  const { catalogue } = useCaseServices()
  const lang = i18n.resolvedLanguage ?? i18n.language
  const set = (patch: Partial<CaseFilterState>) => onChange({ ...value, ...patch })
  return (
    <fieldset className="cr-form case-filters" data-testid="case-filters">
      <legend className="sr-only">{t('cases.filters.label')}</legend>
      <label>
        {t('cases.filters.state')}
        <select name="case-state" value={value.state} onChange={(e) => set({ state: e.target.value as CaseFilterState['state'] })}>
          {CASE_STATE_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t(`cases.states.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('cases.filters.service')}
        <select name="case-service" value={value.service} onChange={(e) => set({ service: e.target.value })}>
          <option value="">{t('cases.filters.anyService')}</option>
          {(catalogue?.services ?? []).map((s) => (
            <option key={s.code} value={s.code}>
              {localized(s.name, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('cases.filters.office')}
        <select name="case-office" value={value.office} onChange={(e) => set({ office: e.target.value })}>
          <option value="">{t('cases.filters.anyOffice')}</option>
          {(catalogue?.offices ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {localized(o.name, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('cases.filters.assignee')}
        <select name="case-assignee" value={value.assignee} onChange={(e) => set({ assignee: e.target.value as CaseFilterState['assignee'] })}>
          <option value="any">{t('cases.filters.anyone')}</option>
          <option value="me">{t('cases.filters.mine')}</option>
          <option value="none">{t('cases.filters.nobody')}</option>
        </select>
      </label>
    </fieldset>
  )
}
