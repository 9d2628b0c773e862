import { useTranslation } from 'react-i18next'
import type { ScenarioStatus } from '../../../contracts/scenario-api'

const GLYPH: Record<ScenarioStatus, string> = { draft: '○', published: '●', archived: '×' }

/** A scenario's status as a grey badge with its own glyph and word (no colour: nothing abnormal). */
export function StatusBadge({ status }: { status: ScenarioStatus }) {
  const { t } = useTranslation()
  return (
    <span className={`badge scenario-status scenario-status-${status}`} data-status={status} data-testid="scenario-status">
      <span aria-hidden="true">{GLYPH[status]} </span>
      {t(`scenarios.status.${status}`)}
    </span>
  )
}
