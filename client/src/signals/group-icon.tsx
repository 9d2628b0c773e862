import type { SignalGroupType } from '../../../contracts/schemas/signal-plan'

/** A 14-unit line icon of a signal group's type (vehicle, pedestrian, cyclist, tram), drawn at (x, y). */
export function GroupIcon({ type, x, y }: { type: SignalGroupType; x: number; y: number }) {
  return (
    <g className="signal-group-icon" transform={`translate(${x} ${y})`} aria-hidden="true" fill="none" stroke="currentColor" strokeWidth={1.3}>
      {type === 'vehicle' && (
        <>
          <path d="M1 9 L3 4 H11 L13 9 Z" />
          <rect x={1} y={9} width={12} height={2.5} />
          <circle cx={4} cy={12.5} r={1.2} />
          <circle cx={10} cy={12.5} r={1.2} />
        </>
      )}
      {type === 'pedestrian' && (
        <>
          <circle cx={7} cy={2.5} r={1.6} />
          <path d="M7 4.5 V9 M7 9 L4.5 13.5 M7 9 L9.5 13.5 M4 7 H10" />
        </>
      )}
      {type === 'cyclist' && (
        <>
          <circle cx={3.5} cy={10} r={3} />
          <circle cx={10.5} cy={10} r={3} />
          <path d="M3.5 10 L6.5 4.5 H10 L10.5 10 M6.5 4.5 L7.5 10" />
        </>
      )}
      {type === 'tram' && (
        <>
          <rect x={2} y={4} width={10} height={8} rx={1} />
          <path d="M4 4 L7 1 L10 4 M2 8 H12 M4 12 V14 M10 12 V14" />
        </>
      )}
    </g>
  )
}
