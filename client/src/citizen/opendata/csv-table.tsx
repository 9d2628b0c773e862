/** The first rows of a dataset's CSV as a table (its header as the column headers), cells as written. */
import { useTranslation } from 'react-i18next'
import type { CsvHead } from './csv-preview'

export function CsvTable({ head, total }: { head: CsvHead; total: number | null }) {
  const { t } = useTranslation()
  if (head.rows.length === 0) return <p>{t('dataset.tableEmpty')}</p>
  const shown = head.rows.length
  const caption = head.more || (total !== null && total > shown) ? t('dataset.tableCaption', { shown, total: total ?? `${shown}+` }) : t('dataset.tableAll', { shown })
  return (
    // Focusable so that a keyboard can scroll a table wider than the page (WCAG 2.1.1).
    <div className="table-responsive opendata-preview-table" tabIndex={0} role="region" aria-labelledby="dataset-table-caption">
      <table className="table table-sm table-striped" data-testid="dataset-table">
        <caption id="dataset-table-caption">{caption}</caption>
        <thead>
          <tr>
            {head.header.map((h, i) => (
              <th key={i} scope="col">
                <code>{h}</code>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {head.rows.map((r, i) => (
            <tr key={i}>
              {head.header.map((_, j) => (
                <td key={j}>{r[j] ?? ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
