import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { PMO_LINES } from '../../../contracts/schemas/pmo'
import type { ScenarioBase } from '../../../contracts/schemas/scenario'
import type { PmoSiteFeature } from '../../../contracts/pmo-api'
import type { EditForm } from './edit-form'
import type { RoadLinkFeature } from './incident-closure'
import { closureFormAtSite, edgesAtSite, siteRadiusM, SITE_POINT_RADIUS_M, SITE_RADIUS_M, type SiteClosure } from './pmo-site-closure'
import type { PmoSites, PmoSitesFailure } from './use-pmo-sites'

const FAILURE_TEXT: Record<PmoSitesFailure, string> = {
  forbidden: 'scenarios.pmoSite.failure.forbidden',
  network: 'scenarios.pmoSite.failure.network',
  failed: 'scenarios.pmoSite.failure.failed',
}

/**
 * The edits tab's way in: the button when the portfolio has sites, a short line when they could not
 * be read (no pmo:read on the server, no network), nothing while they load or when there are none.
 */
export function PmoSiteClosureOpen({ pmo, onOpen }: { pmo: PmoSites; onOpen(): void }) {
  const { t } = useTranslation()
  if (pmo.failure)
    return (
      <span className="muted small" role="status" data-testid="scenario-pmo-site-failure">
        {t(FAILURE_TEXT[pmo.failure])}
      </span>
    )
  if (!pmo.sites || pmo.sites.length === 0) return null
  return (
    <button type="button" className="text-button" onClick={onOpen} data-testid="scenario-pmo-site-open">
      {t('scenarios.pmoSite.open')}
    </button>
  )
}

export interface PmoSiteClosurePickerProps {
  /** The portfolio's work sites (usePmoSites). */
  sites: readonly PmoSiteFeature[]
  /** The scenario's base: an observed day outside a site's closure is pointed out. */
  base: ScenarioBase
  /** The road links the map has (the estimate's links), or null before an estimate came. */
  roads: readonly RoadLinkFeature[] | null
  /** The estimate is being asked for (the roads come with it). */
  roadsLoading: boolean
  /** Why the estimate failed (no roads then). */
  roadsError: string | null
  /** Asks for the estimate, so that the roads come. */
  onNeedRoads(): void
  /** The prefilled close-road form, to check on the map and add. */
  onForm(form: EditForm): void
  onCancel(): void
}

/**
 * "Close roads at a PMO work site": the sites that close the road (the others behind a disclosure),
 * and on choosing one the close-road form with the roads at it — within 25 m of its line or area,
 * 40 m of a point — the project as the source and a note naming it. When the base's observed day is
 * outside the site's closure it says so first, and the planner may keep the closure all the same;
 * when no road is that near it says so and adds nothing.
 */
export function PmoSiteClosurePicker({ sites, base, roads, roadsLoading, roadsError, onNeedRoads, onForm, onCancel }: PmoSiteClosurePickerProps) {
  const { t, i18n } = useTranslation()
  const [message, setMessage] = useState<string | null>(null)
  /** A closure whose site is open on the observed day, waiting for the planner to keep it. */
  const [pending, setPending] = useState<SiteClosure | null>(null)
  const closing = sites.filter((s) => s.properties.closesRoad)
  const others = sites.filter((s) => !s.properties.closesRoad)
  const lang = i18n.language === 'en' ? 'en' : 'it'

  const choose = (value: string) => {
    setMessage(null)
    setPending(null)
    const site = sites.find((s) => s.properties.id === value)
    if (!site || !roads) return
    const radius = siteRadiusM(site.geometry)
    const closure = closureFormAtSite(site, edgesAtSite(roads, site.geometry, radius), base, t)
    if (!closure) setMessage(t('scenarios.pmoSite.noRoad', { radius, title: site.properties.title }))
    else if (closure.warning) setPending(closure)
    else onForm(closure.form)
  }
  const option = (s: PmoSiteFeature) => {
    const p = s.properties
    const line = PMO_LINES[p.line][lang]
    return p.closedFrom || p.closedTo ? t('scenarios.pmoSite.option', { title: p.title, line, from: p.closedFrom ?? '…', to: p.closedTo ?? '…' }) : t('scenarios.pmoSite.optionUndated', { title: p.title, line })
  }

  return (
    <fieldset className="cr-form scenario-pmo-site-closure" data-testid="scenario-pmo-site-closure">
      <legend>{t('scenarios.pmoSite.title')}</legend>
      <p className="muted small">{t('scenarios.pmoSite.hint', { radius: SITE_RADIUS_M, pointRadius: SITE_POINT_RADIUS_M })}</p>
      {!roads && (
        <p className="muted small" data-testid="scenario-pmo-site-roads">
          {roadsLoading ? (
            t('scenarios.incident.loadingRoads')
          ) : roadsError ? (
            <span className="error-text">{t('scenarios.compare.failed', { message: roadsError })}</span>
          ) : (
            <>
              {t('scenarios.incident.needRoads')}{' '}
              <button type="button" className="text-button" onClick={onNeedRoads} data-testid="scenario-pmo-site-load-roads">
                {t('scenarios.incident.loadRoads')}
              </button>
            </>
          )}
        </p>
      )}
      {closing.length === 0 ? (
        <p className="muted small">{t('scenarios.pmoSite.noneClosing')}</p>
      ) : (
        <SiteSelect label={t('scenarios.pmoSite.label')} sites={closing} option={option} disabled={!roads} onChoose={choose} testId="scenario-pmo-site-select" />
      )}
      {others.length > 0 && (
        <details className="scenario-pmo-site-others">
          <summary>{t('scenarios.pmoSite.others', { count: others.length })}</summary>
          <SiteSelect label={t('scenarios.pmoSite.otherLabel')} sites={others} option={option} disabled={!roads} onChoose={choose} testId="scenario-pmo-site-other-select" />
        </details>
      )}
      {message && (
        <p className="field-error" role="status" data-testid="scenario-pmo-site-message">
          {message}
        </p>
      )}
      {pending && (
        <div className="permission-note" role="alert" data-testid="scenario-pmo-site-warning">
          <p>
            <span aria-hidden="true">▲ </span>
            {pending.warning} {t('scenarios.pmoSite.found', { count: pending.form.edges.length })}
          </p>
          <button type="button" className="text-button" onClick={() => onForm(pending.form)} data-testid="scenario-pmo-site-keep">
            {t('scenarios.pmoSite.keep')}
          </button>
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="text-button" onClick={onCancel} data-testid="scenario-pmo-site-cancel">
          {t('scenarios.cancel')}
        </button>
      </div>
    </fieldset>
  )
}

interface SiteSelectProps {
  label: string
  sites: readonly PmoSiteFeature[]
  option(site: PmoSiteFeature): string
  disabled: boolean
  onChoose(id: string): void
  testId: string
}

function SiteSelect({ label, sites, option, disabled, onChoose, testId }: SiteSelectProps) {
  const { t } = useTranslation()
  const id = useId()
  return (
    <label htmlFor={id}>
      {label}
      <select id={id} value="" disabled={disabled} onChange={(e) => onChoose(e.target.value)} data-testid={testId}>
        <option value="">{t('scenarios.pmoSite.choose')}</option>
        {sites.map((s) => (
          <option key={s.properties.id} value={s.properties.id}>
            {option(s)}
          </option>
        ))}
      </select>
    </label>
  )
}
