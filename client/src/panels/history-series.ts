import type { HistoryPoint } from '../../../contracts/api'

export interface HistorySeries {
  /** Bucket times in seconds (uPlot's time scale). */
  x: number[]
  /** One array per metric, null where the bucket has no number. */
  ys: Array<Array<number | null>>
}

/** History points → column arrays for uPlot, sorted by time; strings and missing values become gaps. */
export function historySeries(points: readonly HistoryPoint[], metrics: readonly string[]): HistorySeries {
  const sorted = [...points].sort((a, b) => a.tMs - b.tMs)
  return {
    x: sorted.map((p) => p.tMs / 1000),
    ys: metrics.map((m) =>
      sorted.map((p) => {
        const v = p.values[m]
        return typeof v === 'number' && Number.isFinite(v) ? v : null
      }),
    ),
  }
}

export type HistoryRange = '24h' | '1h'

/** The query for a range ending now (server time): 15-minute buckets over a day, 1-minute over an hour. */
export function historyWindow(range: HistoryRange, serverNowMs: number): { fromMs: number; toMs: number; agg: '15m' | '1m' } {
  return range === '24h'
    ? { fromMs: serverNowMs - 24 * 3_600_000, toMs: serverNowMs, agg: '15m' }
    : { fromMs: serverNowMs - 3_600_000, toMs: serverNowMs, agg: '1m' }
}

/** Decimals an axis needs so that neighbouring ticks read differently (0–3). */
export function axisDigits(splits: readonly number[]): number {
  const a = splits[0]
  const b = splits[1]
  if (a === undefined || b === undefined || a === b) return 0
  return Math.min(3, Math.max(0, -Math.floor(Math.log10(Math.abs(b - a)))))
}
