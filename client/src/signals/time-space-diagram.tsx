import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { TimeSpace } from '../../../contracts/signal-evaluation/corridor'
import { bandShapes, diagramScale, timeTicks } from './corridor-model'

export interface TimeSpaceDiagramProps {
  ts: TimeSpace
  names: ReadonlyMap<string, string>
  speedKmh: number
}

const W = 900
const H = 340
const BOX = { left: 150, top: 14, width: W - 150 - 16, height: H - 14 - 34 }

/**
 * The time-space diagram (diagramma spazio-tempo): time across, distance up (first controller at the
 * bottom); at each controller a red line with the green windows of its through groups (outbound above
 * the line, inbound below), and the outbound and inbound green bands as translucent parallelograms.
 */
export function TimeSpaceDiagram({ ts, names, speedKmh }: TimeSpaceDiagramProps) {
  const { t } = useTranslation()
  const clip = useId()
  const first = ts.controllers[0]
  const last = ts.controllers[ts.controllers.length - 1]
  if (!first || !last) return null
  const lengthM = last.positionM - first.positionM
  const s = diagramScale(ts.horizonS, lengthM, BOX)
  const shapes = bandShapes(ts, speedKmh)
  const C = ts.commonCycleS ?? Math.max(...ts.controllers.map((c) => c.cycleS))
  const ticks = timeTicks(ts.horizonS, C)
  const bar = 5
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" className="signal-time-space" role="img" aria-label={t('signals.corridor.diagram')} data-testid="signal-time-space">
      <defs>
        <clipPath id={clip}>
          <rect x={BOX.left} y={BOX.top - 8} width={BOX.width} height={BOX.height + 16} />
        </clipPath>
      </defs>
      {ticks.map((tk) => (
        <g key={tk.s} className={`signal-ts-tick${tk.cycle ? ' is-cycle' : ''}`}>
          <line x1={s.x(tk.s)} x2={s.x(tk.s)} y1={BOX.top} y2={BOX.top + BOX.height + (tk.cycle ? 6 : 3)} />
          {tk.label && (
            <text x={s.x(tk.s)} y={H - 14} textAnchor={tk.s >= ts.horizonS - 1e-9 ? 'end' : 'middle'} className={tk.cycle ? 'is-cycle' : undefined}>
              {tk.cycle && tk.s > 0 ? `${tk.s} (C)` : tk.s}
            </text>
          )}
        </g>
      ))}
      <text className="signal-axis-unit" x={BOX.left - 8} y={H - 14} textAnchor="end">
        {t('signals.corridor.timeAxis')}
      </text>
      <g clipPath={`url(#${clip})`}>
        {shapes.map((b, i) => (
          <polygon key={i} className={`signal-band signal-band-${b.direction}`} points={b.points.map(([tS, m]) => `${s.x(tS)},${s.y(m)}`).join(' ')} data-testid={`signal-band-${b.direction}`} />
        ))}
      </g>
      {ts.controllers.map((c) => {
        const y = s.y(c.positionM)
        return (
          <g key={c.controllerId} className="signal-ts-controller" data-testid={`signal-ts-${c.controllerId}`}>
            <text x={BOX.left - 8} y={y + 4} textAnchor="end">
              {(names.get(c.controllerId) ?? c.controllerId).slice(0, 18)} <tspan className="muted">{Math.round(c.positionM)} m</tspan>
            </text>
            <line className="signal-ts-red" x1={BOX.left} x2={BOX.left + BOX.width} y1={y} y2={y} />
            {c.outbound.map(([a, b], i) => (
              <rect key={`o${i}`} className="bar-green" x={s.x(a)} y={y - bar - 1} width={Math.max(0, s.x(b) - s.x(a))} height={bar} />
            ))}
            {c.inbound.map(([a, b], i) => (
              <rect key={`i${i}`} className="bar-green signal-ts-inbound" x={s.x(a)} y={y + 1} width={Math.max(0, s.x(b) - s.x(a))} height={bar} />
            ))}
            <title>{t('signals.corridor.controllerTitle', { id: c.controllerId, offset: c.offsetS, cycle: c.cycleS })}</title>
          </g>
        )
      })}
    </svg>
  )
}
