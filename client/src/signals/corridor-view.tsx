import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SignalGroup, SignalPlan } from '../../../contracts/schemas/signal-plan'
import type { ControllerSummary } from '../../../contracts/signal-api'
import { optimizeOffsets, timeSpace, type OffsetOptimization } from '../../../contracts/signal-evaluation/corridor'
import { errorMessage } from '../panels/action-error'
import { DEFAULT_SPEED_KMH, MAX_STOPS, MIN_STOPS, corridorOf, distancesFromPositions, guessThroughGroups, moveStop, type CorridorStop } from './corridor-model'
import { NumberField } from './number-field'
import { setOffset } from './plan-edit'
import { defaultVersion, switchTargets } from './plan-versions'
import { useSignalServices } from './signal-services'
import { TimeSpaceDiagram } from './time-space-diagram'

interface StopData {
  name: string
  position: [number, number] | null
  groups: SignalGroup[]
  plan: SignalPlan
  planLabel: string
}
interface StopSettings {
  distanceM: number | null
  outbound: string | null
  inbound: string | null
}

export interface CorridorViewProps {
  summaries: readonly ControllerSummary[]
  current: { id: string; name: string; position: [number, number] | null; groups: SignalGroup[]; plan: SignalPlan }
  editable: boolean
  onEdit(f: (p: SignalPlan) => SignalPlan): void
}

/**
 * A corridor of 2–6 controllers in travel order (this one with the plan being edited, the others with
 * the plan they run), distances from the map or typed, 50 km/h by default: the time-space diagram over
 * three cycles with both green bands, and "Optimize offsets" (corridor.ts) with the new offsets.
 */
export function CorridorView({ summaries, current, editable, onEdit }: CorridorViewProps) {
  const { t } = useTranslation()
  const { client } = useSignalServices()
  const [order, setOrder] = useState<string[]>([current.id])
  const [speedKmh, setSpeedKmh] = useState(DEFAULT_SPEED_KMH)
  const [loadedStops, setLoadedStops] = useState<ReadonlyMap<string, StopData | { error: string }>>(new Map())
  const [settings, setSettings] = useState<ReadonlyMap<string, StopSettings>>(new Map())
  const [optimized, setOptimized] = useState<OffsetOptimization | null>(null)
  const [showOptimized, setShowOptimized] = useState(true)

  // The other controllers' plans: the running version, else the newest approved one, else the newest.
  useEffect(() => {
    const missing = order.filter((id) => id !== current.id && !loadedStops.has(id))
    for (const id of missing) {
      client
        .getController(id)
        .then(async (d) => {
          const ref = d.running ? { planId: d.running.planId, version: d.running.version } : (switchTargets(d)[0] ?? defaultVersion(d))
          if (!ref) throw new Error(t('signals.corridor.noPlan', { id }))
          const v = await client.getPlanVersion(id, ref.planId, ref.version)
          const data: StopData = { name: d.name, position: d.position, groups: d.controller.signalGroups, plan: v.plan, planLabel: `${v.planId} v${v.version}` }
          setLoadedStops((m) => new Map(m).set(id, data))
        })
        .catch((err: unknown) => setLoadedStops((m) => new Map(m).set(id, { error: errorMessage(err) })))
    }
  }, [order, current.id, loadedStops, client, t])

  const dataOf = (id: string): StopData | { error: string } | undefined =>
    id === current.id ? { name: current.name, position: current.position, groups: current.groups, plan: current.plan, planLabel: t('signals.corridor.edited') } : loadedStops.get(id)

  const ready = order.map(dataOf).filter((d): d is StopData => !!d && !('error' in d))
  const allReady = ready.length === order.length
  const measured = distancesFromPositions(order.map((id) => (dataOf(id) as StopData | undefined)?.position ?? null))
  const settingOf = (id: string, i: number): StopSettings => {
    const s = settings.get(id)
    const d = dataOf(id)
    const guess = d && !('error' in d) ? guessThroughGroups(d.groups) : { outbound: null, inbound: null }
    return { distanceM: s?.distanceM ?? measured[i] ?? null, outbound: s ? s.outbound : guess.outbound, inbound: s ? s.inbound : guess.inbound }
  }
  const change = (id: string, i: number, patch: Partial<StopSettings>) => {
    setOptimized(null)
    setSettings((m) => new Map(m).set(id, { ...settingOf(id, i), ...patch }))
  }

  const stops: CorridorStop[] | null = allReady
    ? order.map((id, i) => {
        const d = dataOf(id) as StopData
        const s = settingOf(id, i)
        return { controllerId: id, name: d.name, position: d.position, groupIds: d.groups.map((g) => g.id), plan: d.plan, outboundGroupId: s.outbound, inboundGroupId: s.inbound, distanceFromPreviousM: s.distanceM ?? 0 }
      })
    : null
  const missingDistance = order.some((id, i) => i > 0 && settingOf(id, i).distanceM === null)
  const offsets = optimized?.ok && showOptimized ? optimized.offsets.map((o) => o.offsetS) : undefined
  // Cheap for ≤ 6 controllers over 3 cycles: recomputed on every render, so it follows the edits.
  const diagram = ((): ReturnType<typeof timeSpace> | { error: string } | null => {
    if (!stops || stops.length < MIN_STOPS || missingDistance) return null
    try {
      return timeSpace(corridorOf(stops, speedKmh, offsets), { cycles: 3 })
    } catch (err) {
      return { error: errorMessage(err) }
    }
  })()

  const candidates = summaries.filter((c) => !order.includes(c.id))
  const names = new Map(order.map((id) => [id, (dataOf(id) as StopData | undefined)?.name ?? id]))
  const mine = optimized?.ok ? optimized.offsets.find((o) => o.controllerId === current.id) : undefined

  return (
    <div className="signal-corridor">
      <table className="data-table signal-corridor-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('signals.corridor.controller')}</th>
            <th scope="col">{t('signals.corridor.distance')}</th>
            <th scope="col">{t('signals.corridor.outbound')}</th>
            <th scope="col">{t('signals.corridor.inbound')}</th>
            <th scope="col">{t('signals.corridor.plan')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {order.map((id, i) => {
            const d = dataOf(id)
            const s = settingOf(id, i)
            const groups = d && !('error' in d) ? d.groups : []
            const groupSelect = (value: string | null, key: 'outbound' | 'inbound') => (
              <select value={value ?? ''} onChange={(e) => change(id, i, { [key]: e.target.value || null })} aria-label={t(`signals.corridor.${key}`)}>
                <option value="">{t('signals.corridor.none')}</option>
                {groups.map((g) => (
                  <option key={g.id} value={g.id}>{`${g.id} — ${g.name}`}</option>
                ))}
              </select>
            )
            return (
              <tr key={id} data-testid={`signal-corridor-stop-${id}`}>
                <td>{i + 1}</td>
                <td>{d && 'error' in d ? <span className="error-text">{d.error}</span> : (d?.name ?? t('signals.loading'))}</td>
                <td>{i === 0 ? '—' : <NumberField value={s.distanceM} size={5} aria-label={t('signals.corridor.distance')} onValue={(v) => v !== null && v >= 0 && change(id, i, { distanceM: Math.round(v) })} />}</td>
                <td>{groupSelect(s.outbound, 'outbound')}</td>
                <td>{groupSelect(s.inbound, 'inbound')}</td>
                <td className="muted">{d && !('error' in d) ? `${d.planLabel} · C ${d.plan.cycleS} s · ${t('signals.plan.offset')} ${d.plan.offsetS} s` : ''}</td>
                <td className="signal-interval-actions">
                  <button type="button" className="text-button" disabled={i === 0} onClick={() => setOrder((o) => moveStop(o, i, -1))} aria-label={t('signals.corridor.up')}>
                    ↑
                  </button>
                  <button type="button" className="text-button" disabled={i === order.length - 1} onClick={() => setOrder((o) => moveStop(o, i, 1))} aria-label={t('signals.corridor.down')}>
                    ↓
                  </button>
                  <button type="button" className="text-button" disabled={id === current.id} onClick={() => setOrder((o) => o.filter((x) => x !== id))}>
                    {t('signals.corridor.remove')}
                  </button>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <div className="form-actions cr-form">
        <label>
          {t('signals.corridor.add')}
          <select value="" disabled={order.length >= MAX_STOPS} onChange={(e) => e.target.value && setOrder((o) => [...o, e.target.value])} data-testid="signal-corridor-add">
            <option value="">{t('signals.corridor.pick')}</option>
            {candidates.map((c) => (
              <option key={c.id} value={c.id}>{`${c.intersectionCode ?? c.id} — ${c.name}`}</option>
            ))}
          </select>
        </label>
        <label>
          {t('signals.corridor.speed')}
          <NumberField value={speedKmh} size={4} onValue={(v) => v !== null && v > 0 && v <= 130 && setSpeedKmh(v)} />
        </label>
        <button type="button" className="primary-button" disabled={!diagram || 'error' in diagram} onClick={() => stops && setOptimized(optimizeOffsets(corridorOf(stops, speedKmh)))} data-testid="signal-optimize-offsets">
          {t('signals.corridor.optimize')}
        </button>
      </div>
      {order.length < MIN_STOPS && <p className="muted">{t('signals.corridor.pickMore', { min: MIN_STOPS, max: MAX_STOPS })}</p>}
      {missingDistance && <p className="permission-note">{t('signals.corridor.enterDistance')}</p>}
      {diagram && 'error' in diagram && <p className="error-text">{diagram.error}</p>}
      {diagram && !('error' in diagram) && (
        <>
          {diagram.cycleIssue && <p className="error-text">{diagram.cycleIssue}</p>}
          <p data-testid="signal-bands">
            {t('signals.corridor.bands', { out: diagram.bands?.outbound?.bandwidthS.toFixed(1) ?? '—', in: diagram.bands?.inbound?.bandwidthS.toFixed(1) ?? '—' })}
            {offsets && <span className="muted"> · {t('signals.corridor.withOptimized')}</span>}
          </p>
          <TimeSpaceDiagram ts={diagram} names={names} speedKmh={speedKmh} />
        </>
      )}
      {optimized && !optimized.ok && <p className="error-text">{optimized.message}</p>}
      {optimized?.ok && (
        <div className="signal-optimized" data-testid="signal-optimized">
          <p>
            {t('signals.corridor.optimized', { before: optimized.previousTotalBandwidthS.toFixed(1), after: optimized.totalBandwidthS.toFixed(1), cycle: optimized.commonCycleS })}{' '}
            <label className="check-label">
              <input type="checkbox" checked={showOptimized} onChange={(e) => setShowOptimized(e.target.checked)} /> {t('signals.corridor.showOptimized')}
            </label>
          </p>
          <ul>
            {optimized.offsets.map((o) => (
              <li key={o.controllerId}>
                {names.get(o.controllerId) ?? o.controllerId}: {o.previousOffsetS} s → <strong>{o.offsetS} s</strong>
              </li>
            ))}
          </ul>
          {mine && mine.offsetS !== current.plan.offsetS && (
            <button type="button" className="text-button" disabled={!editable} onClick={() => onEdit((p) => setOffset(p, mine.offsetS))}>
              {t('signals.corridor.useOffset', { offset: mine.offsetS })}
            </button>
          )}
        </div>
      )}
    </div>
  )
}
