import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { SignalPlan } from '../../../contracts/schemas/signal-plan'
import { stageSequence } from './stage-sequence'

/**
 * The stage sequence (sequenza delle fasi): each stage as a box with the groups green in it and its
 * duration, and between two boxes the inter-stage time and the groups that stop and start.
 */
export function StageDiagram({ plan, groupIds, onSelectInterval }: { plan: SignalPlan; groupIds: readonly string[]; onSelectInterval(k: number): void }) {
  const { t } = useTranslation()
  const seq = useMemo(() => stageSequence(plan.intervals, groupIds), [plan.intervals, groupIds])
  if (seq.stages.length === 0) return <p className="muted">{t('signals.stages.none')}</p>
  return (
    <section className="signal-stages" aria-labelledby="signal-stages-title">
      <h3 id="signal-stages-title">
        {t('signals.stages.title')} <span className="muted">· {t('signals.stages.summary', { count: seq.stages.length, interStage: seq.interStageS, cycle: seq.cycleS })}</span>
      </h3>
      <ol className="signal-stage-row">
        {seq.stages.map((s, i) => {
          const tr = seq.transitions.find((x) => x.fromStage === s.index)
          return (
            <li key={s.index} className="signal-stage-item">
              <button type="button" className="signal-stage" data-testid={`signal-stage-${i}`} onClick={() => onSelectInterval(s.intervals[0]!)}>
                <span className="signal-stage-label">{t('signals.stages.stage', { n: s.label })}</span>
                <span className="signal-stage-groups">{s.greenGroupIds.join(' · ')}</span>
                <span className="signal-stage-time">
                  {t('signals.stages.duration', { s: Math.round(s.durationS * 10) / 10 })} <span className="muted">({t('signals.stages.from', { s: Math.round(s.startS * 10) / 10 })})</span>
                </span>
              </button>
              {tr && (
                <div className="signal-transition" data-testid={`signal-transition-${i}`}>
                  <span className="signal-transition-arrow" aria-hidden="true">
                    →
                  </span>
                  <span>{t('signals.stages.interStage', { s: tr.interStageS })}</span>
                  {tr.ending.length > 0 && <span className="muted">−{tr.ending.join(' ')}</span>}
                  {tr.starting.length > 0 && <span className="muted">+{tr.starting.join(' ')}</span>}
                </div>
              )}
            </li>
          )
        })}
      </ol>
    </section>
  )
}
