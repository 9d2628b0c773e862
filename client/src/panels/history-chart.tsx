import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { HistoryResponse } from '../../../contracts/api'
import { useServices } from '../app/services'
import { PALETTE } from '../map2d/palette'
import { axisDigits, historySeries, historyWindow, type HistoryRange } from './history-series'
import { useFormatters } from './use-formatters'

export interface ChartLine {
  metric: string
  label: string
  /** Second line of a two-unit chart goes on the right axis. */
  axis: 'left' | 'right'
}

export interface HistoryChartProps {
  deviceId: string
  stream: string
  range: HistoryRange
  lines: ChartLine[]
  /** A horizontal reference line (the legal limit) in the values' unit. */
  limit: { value: number; label: string } | null
  /** Changes when a new reading arrives; the chart then refreshes, at most every `throttleMs`. */
  refreshKey: number | null
  clockOffsetMs: number
  throttleMs?: number
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: HistoryResponse }

const LINE_STYLES = [
  { stroke: PALETTE.text, dash: undefined, width: 1.75 },
  { stroke: PALETTE.textMuted, dash: [6, 4], width: 1.5 },
]

/** A uPlot trend of one stream: greys for the values, the limit dashed in the colour of its alarm. */
export function HistoryChart({ deviceId, stream, range, lines, limit, refreshKey, clockOffsetMs, throttleMs = 30_000 }: HistoryChartProps) {
  const { t } = useTranslation()
  const { api } = useServices()
  const fmt = useFormatters()
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [fetchTick, setFetchTick] = useState(0)
  const lastFetchRef = useRef(0)
  const hostRef = useRef<HTMLDivElement>(null)
  const plotRef = useRef<uPlot | null>(null)

  // New readings refresh the chart, throttled. (The parent keys this component by device, stream
  // and range, so the first key seen is the one the initial fetch already covers.)
  const seenKeyRef = useRef(refreshKey)
  useEffect(() => {
    if (refreshKey === null || refreshKey === seenKeyRef.current) return
    seenKeyRef.current = refreshKey
    const wait = lastFetchRef.current + throttleMs - Date.now()
    if (wait <= 0) {
      setFetchTick((n) => n + 1)
      return
    }
    const timer = setTimeout(() => setFetchTick((n) => n + 1), wait)
    return () => clearTimeout(timer)
  }, [refreshKey, throttleMs])

  useEffect(() => {
    const controller = new AbortController()
    lastFetchRef.current = Date.now()
    const window = historyWindow(range, Date.now() + clockOffsetMs)
    api
      .deviceHistory(deviceId, { stream, ...window }, controller.signal)
      .then((data) => setLoad({ state: 'ok', data }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return
        setLoad({ state: 'error', message: err instanceof Error ? err.message : String(err) })
      })
    return () => controller.abort()
    // clockOffsetMs is read once per fetch on purpose: it changes every frame.
  }, [api, deviceId, stream, range, fetchTick])

  const data = load.state === 'ok' ? load.data : null
  const empty = data !== null && data.points.length === 0

  useEffect(() => {
    const host = hostRef.current
    if (!host || !data || data.points.length === 0) return
    const series = historySeries(data.points, lines.map((l) => l.metric))
    const columns: uPlot.AlignedData = [series.x, ...series.ys, ...(limit ? [series.x.map(() => limit.value)] : [])]
    const axisStyle = { stroke: PALETTE.textMuted, grid: { stroke: '#2b2e33', width: 1 }, ticks: { stroke: '#3a3e45', width: 1 } }
    const hasRight = lines.some((l) => l.axis === 'right')
    // Few buckets (a young server, a slow stream): draw the points too, or a lone value is invisible.
    const sparse = series.x.length < 40
    const opts: uPlot.Options = {
      width: Math.max(200, host.clientWidth),
      height: 190,
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: [data.fromMs / 1000, data.toMs / 1000] } },
      axes: [
        { ...axisStyle, values: (_u, splits) => splits.map((s) => fmt.time(s * 1000).slice(0, 5)) },
        { ...axisStyle, scale: 'left', values: (_u, splits) => splits.map((s) => fmt.number(s, axisDigits(splits))) },
        ...(hasRight
          ? [{ ...axisStyle, scale: 'right', side: 1, grid: { show: false }, values: (_u: uPlot, splits: number[]) => splits.map((s) => fmt.number(s, axisDigits(splits))) }]
          : []),
      ],
      series: [
        { label: t('device.time'), value: (_u, v) => (v == null ? '—' : fmt.dateTime(v * 1000)) },
        ...lines.map((line, i) => ({
          label: line.label,
          scale: line.axis,
          stroke: (LINE_STYLES[i] ?? LINE_STYLES[0])!.stroke,
          dash: (LINE_STYLES[i] ?? LINE_STYLES[0])!.dash,
          width: (LINE_STYLES[i] ?? LINE_STYLES[0])!.width,
          spanGaps: false,
          points: { show: sparse, size: 5, fill: (LINE_STYLES[i] ?? LINE_STYLES[0])!.stroke },
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : fmt.number(v, 1)),
        })),
        ...(limit
          ? [{ label: limit.label, scale: 'left', stroke: PALETTE.high, dash: [3, 5], width: 1.5, points: { show: false }, value: () => fmt.number(limit.value) }]
          : []),
      ],
    }
    plotRef.current?.destroy()
    host.replaceChildren()
    const plot = new uPlot(opts, columns, host)
    plotRef.current = plot
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, host.clientWidth), height: 190 }))
    resize.observe(host)
    return () => {
      resize.disconnect()
      plot.destroy()
      if (plotRef.current === plot) plotRef.current = null
    }
  }, [data, lines, limit, fmt, t])

  return (
    <div className="history-chart">
      {load.state === 'loading' && <p className="muted">{t('device.chartLoading')}</p>}
      {load.state === 'error' && <p className="error-text">{t('device.chartError', { message: load.message })}</p>}
      {empty && <p className="muted">{t('device.chartEmpty')}</p>}
      <div ref={hostRef} className="history-chart-plot" hidden={!data || empty} />
    </div>
  )
}
