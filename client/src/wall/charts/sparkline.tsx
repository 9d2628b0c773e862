import { useRef } from 'react'
import { linearScale } from './scale'
import { lastValue, seriesPath, type SeriesPoint } from './series-path'
import { useSize } from './use-size'

export interface SparklineProps {
  points: readonly SeriesPoint[]
  fromMs: number
  toMs: number
  /** Top of the value axis (shared by the sparklines of a column, so they compare). */
  yMax: number
  /** A legal limit or threshold, drawn as a dashed line; `abnormal` when the series crosses it. */
  limit?: number
  /** What the line shows, for assistive technology (the numbers are printed beside it). */
  label: string
}

const PAD = 4

/**
 * A small trend without text (its numbers are printed beside it in HTML, at reading size): a grey
 * line on a baseline, the newest value as a dot, and the limit as a dashed line when given.
 */
export function Sparkline({ points, fromMs, toMs, yMax, limit, label }: SparklineProps) {
  const ref = useRef<HTMLDivElement>(null)
  const { width, height } = useSize(ref)
  const box = { width, height, pad: PAD }
  const x = linearScale(fromMs, toMs, PAD, width - PAD)
  const y = linearScale(0, yMax, height - PAD, PAD)
  const last = lastValue(points)
  return (
    <div className="wall-spark" ref={ref} role="img" aria-label={label}>
      {width > 0 && height > 0 && (
        <svg width={width} height={height} aria-hidden="true" focusable="false">
          <line className="wall-spark-base" x1={PAD} x2={width - PAD} y1={height - PAD} y2={height - PAD} />
          {limit !== undefined && limit <= yMax && <line className="wall-spark-limit" x1={PAD} x2={width - PAD} y1={y(limit)} y2={y(limit)} />}
          <path className="wall-spark-line" d={seriesPath(points, fromMs, toMs, yMax, box)} />
          {last && last.value !== null && last.tMs >= fromMs && last.tMs <= toMs && <circle className="wall-spark-dot" cx={x(last.tMs)} cy={y(Math.min(last.value, yMax))} r={5} />}
        </svg>
      )}
    </div>
  )
}
