import { useTranslation } from 'react-i18next'
import type { AboutResponse } from '../../../contracts/api'
import { SideSheet } from './side-sheet'
import { useFormatters } from './use-formatters'

/** Product, city, run mode, and every dataset and attribution with its licence (required by the data licences). */
export function AboutPanel({ about, onClose }: { about: AboutResponse; onClose(): void }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  return (
    <SideSheet title={t('about.title')} closeLabel={t('about.close')} onClose={onClose} side="right" wide className="about-panel">
      <table className="attributes">
        <tbody>
          <tr>
            <th scope="row">{t('about.product')}</th>
            <td>
              {about.product} {about.version}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('about.city')}</th>
            <td>
              {about.city.name} — {about.city.label}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('about.data')}</th>
            <td className={about.city.data === 'generated' ? 'text-generated' : ''}>
              {about.city.data === 'generated' ? t('about.dataGenerated') : t('about.dataReal')}
            </td>
          </tr>
        </tbody>
      </table>

      <h3>{t('about.mode')}</h3>
      <table className="attributes">
        <tbody>
          <tr>
            <th scope="row">{t('about.database')}</th>
            <td>{about.mode.database === 'embedded' ? t('about.databaseEmbedded') : t('about.databaseServer')}</td>
          </tr>
          <tr>
            <th scope="row">{t('about.broker')}</th>
            <td>
              {about.mode.broker === 'embedded' ? t('about.brokerEmbedded') : t('about.brokerExternal')} · <code>{about.mode.mqttUrl}</code>
            </td>
          </tr>
        </tbody>
      </table>

      <h3>{t('about.attributions')}</h3>
      <ul className="attribution-list">
        {about.attributions.map((a) => (
          <li key={`${a.text}|${a.licence}`}>
            <span>{a.text}</span> — <span className="licence">{a.licence}</span>
            {a.url && (
              <>
                {' · '}
                <a href={a.url} target="_blank" rel="noreferrer noopener">
                  {a.url.replace(/^https?:\/\//, '')}
                </a>
              </>
            )}
          </li>
        ))}
      </ul>

      <h3>{t('about.datasets')}</h3>
      {about.datasets.length === 0 ? (
        <p className="muted">{t('about.noDatasets')}</p>
      ) : (
        <ul className="dataset-list">
          {about.datasets.map((d) => (
            <li key={d.id}>
              <div className="dataset-title">
                {d.title} <code>{d.id}</code>
              </div>
              <div className="dataset-attribution">{d.attribution}</div>
              <div className="dataset-meta">
                <span>
                  {t('about.licence')}: {d.licence}
                </span>
                <span>
                  {t('about.features')}: {fmt.number(d.features)}
                </span>
                <span>
                  {t('about.rejected')}: {fmt.number(d.rejected)}
                </span>
                <span>
                  {t('about.imported')}: {d.importedAtMs === null ? t('about.never') : fmt.dateTime(d.importedAtMs)}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </SideSheet>
  )
}
