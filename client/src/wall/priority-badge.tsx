import { useTranslation } from 'react-i18next'
import type { AlarmPriority } from '../../../contracts/alarms'
import { PRIORITY_STYLE, type PriorityShape } from './alarm-priority'

const PATH: Record<PriorityShape, string> = {
  square: 'M2 2H22V22H2Z',
  triangle: 'M12 1.5L23 22H1Z',
  diamond: 'M12 1L23 12L12 23L1 12Z',
  circle: 'M12 1.5A10.5 10.5 0 1 1 11.99 1.5Z',
}

export interface PriorityBadgeProps {
  priority: AlarmPriority
  /** Filled while unacknowledged; outlined once acknowledged (ISA-101: the state is not colour alone). */
  filled?: boolean
  /** Show the word (the list shows it; a compact card may show the shape and number only, with a title). */
  word?: boolean
}

/** A priority as shape + number + word in its reserved colour. */
export function PriorityBadge({ priority, filled = true, word = true }: PriorityBadgeProps) {
  const { t } = useTranslation()
  const style = PRIORITY_STYLE[priority]
  const label = t(`wall.priority.${priority}`)
  return (
    <span className={`wall-priority wall-tone-${style.tone}${filled ? ' is-filled' : ''}`} data-priority={priority} title={word ? undefined : label}>
      <svg className="wall-priority-shape" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d={PATH[style.shape]} />
        <text x="12" y={style.shape === 'triangle' ? 18.5 : 16.5} textAnchor="middle">
          {style.mark}
        </text>
      </svg>
      {word ? <span className="wall-priority-word">{label}</span> : <span className="visually-hidden">{label}</span>}
    </span>
  )
}
