import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import { useFetched } from '../panels/use-fetched'
import { useFormatters } from '../panels/use-formatters'
import { useServiceName } from './case-row'
import { useCaseServices } from './case-services'

/** Cases of the last 12 months by service and district (open, closed, SLA breached, median time to close), and the CSV without personal data. */
export function CaseStatsView() {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const { client } = useCaseServices()
  const serviceName = useServiceName()
  const fetchStats = useCallback((signal?: AbortSignal) => client.stats({}, signal), [client])
  const stats = useFetched(fetchStats)
  const s = stats.data
  const hours = (h: number | null) => (h === null ? '—' : fmt.number(h, 1))
  return (
    <section className="case-stats" aria-labelledby="case-stats-title">
      <h3 id="case-stats-title">{t('cases.stats.title')}</h3>
      <p>
        <a className="text-button" href={client.csvUrl()} download>
          {t('cases.stats.csv')}
        </a>
      </p>
      {stats.error && (
        <p className="error-text" role="alert">
          {stats.error}
        </p>
      )}
      {s && (
        <table className="case-stats-table">
          <thead>
            <tr>
              <th scope="col">{t('cases.stats.service')}</th>
              <th scope="col">{t('cases.stats.district')}</th>
              <th scope="col">{t('cases.stats.total')}</th>
              <th scope="col">{t('cases.stats.openCount')}</th>
              <th scope="col">{t('cases.stats.closed')}</th>
              <th scope="col">{t('cases.stats.breached')}</th>
              <th scope="col">{t('cases.stats.median')}</th>
            </tr>
          </thead>
          <tbody>
            {s.rows.map((r) => (
              <tr key={`${r.serviceCode}|${r.districtName ?? ''}`}>
                <td>{serviceName(r.serviceCode)}</td>
                <td>{r.districtName ?? t('cases.stats.allDistricts')}</td>
                <td>{fmt.number(r.total)}</td>
                <td>{fmt.number(r.open)}</td>
                <td>{fmt.number(r.closed)}</td>
                <td>{fmt.number(r.slaBreached)}</td>
                <td>{hours(r.medianHoursToClose)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {t('cases.stats.totals')}
              </th>
              <td>{fmt.number(s.totals.total)}</td>
              <td>{fmt.number(s.totals.open)}</td>
              <td>{fmt.number(s.totals.closed)}</td>
              <td>{fmt.number(s.totals.slaBreached)}</td>
              <td>{hours(s.totals.medianHoursToClose)}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  )
}
