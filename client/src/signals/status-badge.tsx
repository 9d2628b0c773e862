import { useTranslation } from 'react-i18next'
import type { PlanStatus } from '../../../contracts/schemas/signal-plan'

const GLYPH: Record<PlanStatus, string> = { draft: '○', validated: '◐', approved: '●', deployed: '▶', retired: '×' }

/** A plan version's status as a grey badge with its own glyph and word (no colour: nothing abnormal). */
export function StatusBadge({ status }: { status: PlanStatus }) {
  const { t } = useTranslation()
  return (
    <span className={`badge signal-status signal-status-${status}`} data-status={status}>
      <span aria-hidden="true">{GLYPH[status]} </span>
      {t(`signals.status.${status}`)}
    </span>
  )
}
