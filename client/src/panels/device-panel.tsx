import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DeviceWithState } from '../../../contracts/api'
import { STREAMS } from '../../../contracts/schemas/reading'
import type { LiveState } from '../../../contracts/schemas/live-state'
import { useServices } from '../app/services'
import type { AppState } from '../state/app-state'
import { deviceCondition, severityRank } from '../state/device-condition'
import { serverNowMs, statesOf } from '../state/derived'
import { selectDevice } from '../state/live-reducers'
import { useStore } from '../state/store'
import { AIR_QUALITY_THRESHOLDS, isPollutant } from '../state/thresholds'
import { chartSpec } from '../state/stream-values'
import { useNow } from '../state/use-now'
import { DeviceAttributes } from './device-attributes'
import { HistoryChart, type ChartLine } from './history-chart'
import type { HistoryRange } from './history-series'
import { SideSheet } from './side-sheet'
import { StreamValues } from './stream-values'
import { useFormatters } from './use-formatters'

const selectDevices = (s: AppState) => s.devices
const selectStates = (s: AppState) => s.states
const selectOffset = (s: AppState) => s.clockOffsetMs

const UNIT_OF: Record<string, string> = { 'ug/m3': 'µg/m³', 'mg/m3': 'mg/m³', ppm: 'ppm', ppb: 'ppb' }

function orderedStreams(kind: keyof typeof STREAMS, states: ReadonlyMap<string, LiveState>): LiveState[] {
  const order = Object.keys(STREAMS[kind])
  return [...states.values()].sort((a, b) => {
    const ia = order.indexOf(a.stream)
    const ib = order.indexOf(b.stream)
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.stream.localeCompare(b.stream)
  })
}

/** Everything about one device: identity, live values with their quality, a trend, and its attributes. */
export function DevicePanel({ deviceId }: { deviceId: string }) {
  const { t } = useTranslation()
  const { api, store } = useServices()
  const fmt = useFormatters()
  const devices = useStore(store, selectDevices)
  const allStates = useStore(store, selectStates)
  const offset = useStore(store, selectOffset)
  const now = useNow(1000)
  const serverNow = serverNowMs({ clockOffsetMs: offset }, now)
  const [record, setRecord] = useState<DeviceWithState | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [range, setRange] = useState<HistoryRange>('24h')
  const [pickedStream, setPickedStream] = useState<string | null>(null)

  useEffect(() => {
    const controller = new AbortController()
    setRecord(null)
    setLoadError(null)
    setPickedStream(null)
    api
      .getDevice(deviceId, controller.signal)
      .then(setRecord)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setLoadError(err instanceof Error ? err.message : String(err))
      })
    return () => controller.abort()
  }, [api, deviceId])

  const live = devices.get(deviceId)
  const device = live ?? record
  const states = statesOf(allStates, deviceId)
  const streams = device ? orderedStreams(device.kind, states) : []
  const condition = device ? deviceCondition(device, streams, serverNow) : null

  // Chart stream: the operator's pick, else the worst fresh stream, else the first.
  const worst = condition?.streams.filter((s) => s.freshness === 'fresh').sort((a, b) => severityRank(b.severity) - severityRank(a.severity))[0]
  const chartStream = pickedStream ?? worst?.stream ?? streams[0]?.stream ?? (device ? Object.keys(STREAMS[device.kind])[0] : undefined)
  const chartState = chartStream ? states.get(chartStream) : undefined
  const spec = device ? chartSpec(device.kind) : null
  const unit = typeof chartState?.values.unit === 'string' ? chartState.values.unit : 'ug/m3'

  const lines = useMemo<ChartLine[]>(() => {
    if (!spec || !chartStream) return []
    return spec.metrics.map((metric, i) => ({
      metric,
      label: metric === 'value' ? `${t(`stream.${chartStream}`)} (${UNIT_OF[unit] ?? unit})` : t(`metric.${metric}`),
      axis: i === 0 ? 'left' : 'right',
    }))
  }, [spec, chartStream, unit, t])

  const limit = useMemo(() => {
    if (device?.kind !== 'air-quality' || !chartStream || !isPollutant(chartStream)) return null
    const thresholds = AIR_QUALITY_THRESHOLDS[chartStream]
    if (!thresholds || (unit !== 'ug/m3' && unit !== 'mg/m3')) return null
    const value = unit === 'mg/m3' ? thresholds.limit / 1000 : thresholds.limit
    return { value, label: `${t('device.limit')} ${fmt.number(value)} ${UNIT_OF[unit]}` }
  }, [device?.kind, chartStream, unit, t, fmt])

  const close = () => store.set((s) => selectDevice(s, null))
  const title = device?.name ?? deviceId

  return (
    <SideSheet title={title} closeLabel={t('device.close')} onClose={close} side="right" wide>
      {device && (
        <p className="device-kind">
          {t(`kindOne.${device.kind}`)} · <code>{deviceId}</code>
        </p>
      )}
      {loadError && !device && <p className="error-text">{t('device.loadFailed', { message: loadError })}</p>}
      {!live && record && <p className="muted">{t('device.notInView')}</p>}

      {condition && (
        <p className={`condition-line severity-${condition.freshness === 'fresh' ? condition.severity : condition.freshness}`}>
          {condition.freshness === 'fresh' ? (
            <span className="badge badge-severity">{t(`severity.${condition.severity}`)}</span>
          ) : condition.freshness === 'no_comm' ? (
            <span className="badge badge-stale">{t('device.noCommBadge')}</span>
          ) : condition.freshness === 'stale' ? (
            <span className="badge badge-stale">{t('device.staleBadge')}</span>
          ) : null}
          <span>{t(`condition.${condition.reason}`)}</span>
        </p>
      )}

      {device?.source === 'generated' && (
        <p className="note-generated" role="note">
          {t('device.generatedNote')}
        </p>
      )}

      <section aria-labelledby="device-live">
        <h3 id="device-live">{t('device.live')}</h3>
        {device && streams.length === 0 && <p className="muted">{t('device.noReading')}</p>}
        {device &&
          streams.map((state) => (
            <StreamValues
              key={state.stream}
              kind={device.kind}
              state={state}
              condition={condition?.streams.find((s) => s.stream === state.stream)}
              serverNowMs={serverNow}
              showStreamName={Object.keys(STREAMS[device.kind]).length > 1}
            />
          ))}
      </section>

      {device && spec && chartStream && (
        <section aria-labelledby="device-history">
          <div className="section-heading">
            <h3 id="device-history">{t('device.history')}</h3>
            <div className="segmented" role="group" aria-label={t('device.rangeLabel')}>
              {(['24h', '1h'] as const).map((r) => (
                <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>
                  {t(`device.range${r}`)}
                </button>
              ))}
            </div>
          </div>
          {device.kind === 'air-quality' && streams.length > 1 && (
            <div className="segmented stream-pick" role="group" aria-label={t('device.streamPick')}>
              {streams.map((s) => (
                <button key={s.stream} type="button" aria-pressed={chartStream === s.stream} onClick={() => setPickedStream(s.stream)}>
                  {t(`stream.${s.stream}`, { defaultValue: s.stream })}
                </button>
              ))}
            </div>
          )}
          <HistoryChart
            key={`${deviceId}/${chartStream}/${range}`}
            deviceId={deviceId}
            stream={chartStream}
            range={range}
            lines={lines}
            limit={limit}
            refreshKey={chartState?.observedAtMs ?? null}
            clockOffsetMs={offset}
            throttleMs={range === '1h' ? 15_000 : 60_000}
          />
        </section>
      )}

      {device && <DeviceAttributes device={device} record={record} />}
    </SideSheet>
  )
}
