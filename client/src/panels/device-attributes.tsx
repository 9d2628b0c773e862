import { useTranslation } from 'react-i18next'
import type { DeviceWithState } from '../../../contracts/api'
import type { LiveDevice } from '../../../contracts/schemas/live-state'
import { useFormatters } from './use-formatters'

function propText(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

/** Identity and the registry attributes (codice spira, street, direction…) as a table. */
export function DeviceAttributes({ device, record }: { device: LiveDevice; record: DeviceWithState | null }) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const props = Object.entries(record?.props ?? {})
  return (
    <section aria-labelledby="device-attributes">
      <h3 id="device-attributes">{t('device.attributes')}</h3>
      <table className="attributes">
        <tbody>
          <tr>
            <th scope="row">{t('device.id')}</th>
            <td>
              <code>{device.id}</code>
            </td>
          </tr>
          <tr>
            <th scope="row">{t('device.kind')}</th>
            <td>{t(`kindOne.${device.kind}`)}</td>
          </tr>
          <tr>
            <th scope="row">{t('device.source')}</th>
            <td>{t(`source.${device.source}`)}</td>
          </tr>
          {record?.dataset && (
            <tr>
              <th scope="row">{t('device.dataset')}</th>
              <td>{record.dataset}</td>
            </tr>
          )}
          <tr>
            <th scope="row">{t('device.position')}</th>
            <td>
              {fmt.number(device.position[1], 5)}, {fmt.number(device.position[0], 5)}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('device.expectedInterval')}</th>
            <td>{fmt.duration(device.expectedIntervalS * 1000)}</td>
          </tr>
          {props.map(([key, value]) => (
            <tr key={key}>
              <th scope="row">{key}</th>
              <td>{propText(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {record && props.length === 0 && <p className="muted">{t('device.noAttributes')}</p>}
    </section>
  )
}
