import { useTranslation } from 'react-i18next'
import type { AlarmPriority } from '../../../contracts/alarms'
import { PALETTE } from '../map2d/palette'
import { PRIORITY_STYLE } from '../state/alarm-style'
import { ShapeGlyph } from './shape-glyph'
import './control-room.css'

/** A priority as shape, colour and word together (ISA-101: never colour alone). */
export function PriorityBadge({ priority, size = 14 }: { priority: AlarmPriority; size?: number }) {
  const { t } = useTranslation()
  const look = PRIORITY_STYLE[priority]
  return (
    <span className={`priority-badge priority-${priority}`} data-priority={priority}>
      <ShapeGlyph shape={look.shape} fill={look.colour} stroke={PALETTE.neutralOutline} size={size} />
      <span className="priority-word">{t(`alarms.priority.${priority}`)}</span>
    </span>
  )
}
