import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { DELTA_CLASSES, SUMO_UNMATCHED_COLOUR, VC_CLASSES } from '../map2d/layers/scenario-links/link-style'
import { useFormatters } from '../panels/use-formatters'
import { useStore } from '../state/store'
import { setMode, type CompareMode, type ScenarioMapState } from '../state/scenario-map'
import { hourText } from './hour-text'
import { useScenarioServices } from './scenario-services'
import { legendKind } from './sumo-map'

export interface MapBarProps {
  /** The slider's hour. */
  hour: number
  baseHour: number
  onHour(hour: number): void
  /** The estimate of the slider's hour is on its way (the map keeps the previous one). */
  loading: boolean
  error: string | null
  hasData: boolean
  /** Two scenarios compared (A | B) rather than base | scenario. */
  compared: boolean
  view: '2d' | '3d'
  onView(view: '2d' | '3d'): void
}

const selectMode = (s: ScenarioMapState) => s.mode
const selectSumoShown = (s: ScenarioMapState) => s.sumo !== null
const MODES: readonly (CompareMode | '3d')[] = ['map', 'split', 'swipe', '3d']
/** Hours labelled under the slider (every 6 h, and the last one). */
const TICKS = [0, 6, 12, 18, 23] as const

/**
 * Over the map, bottom left: the time slider over the hours of the day (its estimate is asked for
 * once the slider rests; a spinner meanwhile, the previous layer stays), the compare modes (one map
 * with the delta layer, split, swipe, 3D) and the legend of what the map shows — with a SUMO run
 * shown, its difference from the estimate (one map) or both sides' flows (split, swipe).
 */
export function MapBar({ hour, baseHour, onHour, loading, error, hasData, compared, view, onView }: MapBarProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { channel } = useScenarioServices()
  const mode = useStore(channel, selectMode)
  const sumoShown = useStore(channel, selectSumoShown)
  const sliderId = useId()
  const current: CompareMode | '3d' = view === '3d' ? '3d' : mode
  const choose = (m: CompareMode | '3d') => {
    if (m === '3d') return onView('3d')
    channel.set((s) => setMode(s, m))
    if (view !== '2d') onView('2d')
  }
  // The split and swipe maps colour each side's flows by v/c; one map and the 3D walls colour the difference.
  const legend = legendKind(current, sumoShown)
  const flows = legend === 'flows' || legend === 'sumoFlows'
  const unmatched = (text: string) => (
    <li>
      <span className="legend-swatch" style={{ background: SUMO_UNMATCHED_COLOUR }} aria-hidden="true" />
      {text}
    </li>
  )

  return (
    <div className="scenario-map-bar" data-testid="scenario-map-bar" role="group" aria-label={t('scenarios.bar.label')}>
      <div className="scenario-slider">
        <label htmlFor={sliderId} className="scenario-slider-label">
          {t('scenarios.bar.hour')} <strong data-testid="scenario-hour-text">{hourText(hour)}</strong>
          {hour === baseHour && <span className="muted small"> · {t('scenarios.bar.baseHour')}</span>}
        </label>
        <input
          id={sliderId}
          type="range"
          min={0}
          max={23}
          step={1}
          value={hour}
          onChange={(e) => onHour(Number(e.target.value))}
          aria-valuetext={hourText(hour)}
          list={`${sliderId}-ticks`}
          data-testid="scenario-hour"
        />
        <datalist id={`${sliderId}-ticks`}>
          {TICKS.map((h) => (
            <option key={h} value={h} label={hourText(h)} />
          ))}
        </datalist>
        <p className="scenario-slider-ticks" aria-hidden="true">
          {TICKS.map((h) => (
            <span key={h}>{String(h).padStart(2, '0')}</span>
          ))}
        </p>
        <span className="scenario-slider-status" aria-live="polite" data-testid="scenario-loading" data-loading={loading || undefined}>
          {loading ? (
            <>
              <span className="spinner" aria-hidden="true" /> {t('scenarios.bar.computing')}
            </>
          ) : error ? (
            <span className="field-error">{t('scenarios.bar.failed')}</span>
          ) : hasData ? (
            ''
          ) : (
            t('scenarios.compare.waiting')
          )}
        </span>
      </div>
      <div className="scenario-modes" role="group" aria-label={t('scenarios.bar.modes')}>
        {MODES.map((m) => (
          <button key={m} type="button" aria-pressed={current === m} className="text-button" onClick={() => choose(m)} data-testid={`scenario-mode-${m}`}>
            {t(`scenarios.bar.mode.${m}`)}
          </button>
        ))}
      </div>
      <div className="scenario-legend" aria-label={t('scenarios.bar.legend')} data-testid="scenario-legend" data-legend={legend}>
        {flows ? (
          <>
            <span className="small muted">{t('scenarios.legend.flows')}</span>
            <ul>
              {VC_CLASSES.map((c, i) => (
                <li key={c.colour}>
                  <span className="legend-swatch" style={{ background: c.colour }} aria-hidden="true" />
                  {i === VC_CLASSES.length - 1 ? t('scenarios.legend.overCapacity') : t('scenarios.legend.vc', { from: fmt.number(Math.max(0, c.from), 1), to: fmt.number(VC_CLASSES[i + 1]!.from, 1) })}
                </li>
              ))}
              {legend === 'sumoFlows' && unmatched(t('scenarios.legend.noCapacity'))}
            </ul>
          </>
        ) : (
          <>
            <span className="small muted">{legend === 'sumoDifference' ? t('scenarios.legend.sumoDifference') : compared ? t('scenarios.legend.deltaAb') : t('scenarios.legend.delta')}</span>
            <ul>
              {DELTA_CLASSES.map((c) => (
                <li key={c.colour}>
                  <span className="legend-swatch" style={{ background: c.colour }} aria-hidden="true" />
                  {c.sign === 0
                    ? t('scenarios.legend.noChange', { n: c.toVehH })
                    : c.toVehH === null
                      ? t(c.sign > 0 ? 'scenarios.legend.moreFrom' : 'scenarios.legend.fewerFrom', { from: fmt.number(c.fromVehH) })
                      : t(c.sign > 0 ? 'scenarios.legend.moreRange' : 'scenarios.legend.fewerRange', { from: fmt.number(c.fromVehH), to: fmt.number(c.toVehH) })}
                </li>
              ))}
              {legend === 'sumoDifference' && unmatched(t('scenarios.legend.noEstimate'))}
            </ul>
          </>
        )}
        <span className="small muted">
          <span className="legend-dash" aria-hidden="true" /> ✕ {t('scenarios.legend.closed')} · {t('scenarios.legend.width')}
        </span>
      </div>
    </div>
  )
}
