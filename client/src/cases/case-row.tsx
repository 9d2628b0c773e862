import { useTranslation } from 'react-i18next'
import type { CaseSummary } from '../../../contracts/case-api'
import { PriorityBadge } from '../panels/priority-badge'
import { useFormatters } from '../panels/use-formatters'
import { isOverdue, localized } from './case-form'
import { useCaseServices } from './case-services'

/** The service's name in the page's language, or its code while the catalogue loads. */
export function useServiceName(): (code: string) => string {
  const { i18n } = useTranslation()
  const { catalogue } = useCaseServices()
  const lang = i18n.resolvedLanguage ?? i18n.language
  return (code) => {
    const s = catalogue?.services.find((x) => x.code === code)
    return s ? localized(s.name, lang) : code
  }
}

/** One case in the list: number, service, status, district, assignee, age; "overdue" in words as well as colour. */
export function CaseRow({ summary: c, onOpen }: { summary: CaseSummary; onOpen(): void }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const serviceName = useServiceName()
  const overdue = isOverdue(c, Date.now())
  return (
    <button type="button" className="incident-row case-row" data-case-id={c.id} onClick={onOpen}>
      <PriorityBadge priority={c.priority} />
      <span className="case-row-title">{t('cases.row', { id: c.id, service: serviceName(c.serviceCode) })}</span>
      <span className="case-row-status">
        {t(`cases.status.${c.status}`)}
        {overdue && <span className="case-overdue"> · ▲ {t('cases.overdue')}</span>}
        {!c.published && <span className="muted"> · {t('cases.unpublished')}</span>}
      </span>
      <span className="muted">
        {c.districtName ?? '—'} · {c.assignee ?? t('cases.nobody')} · {fmt.ago(Date.now() - c.requestedAtMs)}
      </span>
    </button>
  )
}
