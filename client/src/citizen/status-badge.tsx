import { useTranslation } from 'react-i18next'
import { isClosed, type CaseStatus } from '../../../contracts/schemas/case'

/** A case's status in words (the colour only repeats what the word says: open blue, closed grey-green). */
export function StatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useTranslation()
  return (
    <span className={`badge ${isClosed(status) ? 'bg-success' : 'bg-primary'} citizen-status`} data-status={status}>
      {t(`status.${status}`)}
    </span>
  )
}
