import { useTranslation } from 'react-i18next'
import type { ScenarioEstimate } from '../api/scenario-client'
import { useFormatters } from '../panels/use-formatters'
import { GEH_CLASSES } from '../map2d/layers/scenario-links/link-style'

/** The share of loops the model fits at (UK TAG M3.1). */
export const FIT_TARGET_SHARE = 0.85

/**
 * The calibration's fit: the share of counted loops with GEH < 5, "model fits" at 85 % or more
 * (grey), "does not fit yet" below (amber edge, ▲ and the words) — with the mean GEH, the RMSE, and
 * how the loops are drawn on the map.
 */
export function FitBadge({ calibration }: { calibration: ScenarioEstimate['calibration'] }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const share = fmt.number(calibration.fitShare * 100, 0)
  const drawn = calibration.loops.filter((l) => l.position).length
  return (
    <div className={`scenario-fit${calibration.fits ? ' is-fit' : ' is-unfit'}`} data-testid="scenario-fit" data-fits={calibration.fits} data-share={calibration.fitShare}>
      <p className="scenario-fit-head">
        <span aria-hidden="true">{calibration.fits ? '✓ ' : '▲ '}</span>
        <strong>{calibration.fits ? t('scenarios.fit.fits') : t('scenarios.fit.notYet')}</strong> · {t('scenarios.fit.share', { share, target: fmt.number(FIT_TARGET_SHARE * 100, 0) })}
      </p>
      <p className="small muted">
        {t('scenarios.fit.figures', { loops: calibration.loops.length, geh: fmt.number(calibration.meanGeh, 1), rmse: fmt.number(calibration.rmseVehH, 0) })}
      </p>
      {drawn > 0 && (
        <p className="small muted scenario-fit-legend">
          {(['fit', 'poor', 'bad'] as const).map((c) => (
            <span key={c}>
              <svg width="14" height="14" aria-hidden="true" className="scenario-loop-glyph">
                <circle cx="7" cy="7" r={Math.min(6, GEH_CLASSES[c].radiusPx)} fill={GEH_CLASSES[c].colour} stroke="#0e1012" strokeWidth="1.5" />
              </svg>{' '}
              {t(`scenarios.fit.loop.${c}`)}
            </span>
          ))}
        </p>
      )}
      {!calibration.fits && <p className="small">{t('scenarios.fit.caution')}</p>}
    </div>
  )
}
