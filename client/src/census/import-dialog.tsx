import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../api/api-error'
import { MAX_IMPORT_BYTES, type ImportReport } from '../api/census-client'
import { errorMessage } from '../panels/action-error'
import { useFormatters } from '../panels/use-formatters'
import { useCensusServices } from './census-services'
import type { ModelType } from './form-model'
import { importable, problemsByFeature } from './import-report'
import { useLang } from './use-lang'

export interface ImportDialogProps {
  type: ModelType
  onClose(): void
  onImported(report: ImportReport): void
}

interface Failure {
  message: string
  details: Array<{ path: string; message: string }>
}

/**
 * Import a file into a collection, all or nothing: choose the file (GeoJSON, CSV, GeoPackage, zipped
 * Shapefile; at most 50 MiB), check it (a dry run: the report per feature, nothing stored), then
 * import it. The import is offered only after a clean check of that very file.
 */
export function ImportDialog({ type, onClose, onImported }: ImportDialogProps) {
  const { t } = useTranslation()
  const fmt = useFormatters()
  const lang = useLang()
  const { client } = useCensusServices()
  const ids = useId()
  const ref = useRef<HTMLElement>(null)
  const [file, setFile] = useState<File | null>(null)
  const [note, setNote] = useState('')
  const [layer, setLayer] = useState('')
  const [busy, setBusy] = useState(false)
  const [report, setReport] = useState<ImportReport | null>(null)
  const [checked, setChecked] = useState<File | null>(null)
  const [failure, setFailure] = useState<Failure | null>(null)

  useEffect(() => ref.current?.querySelector('input')?.focus(), [])

  const run = (dryRun: boolean) => {
    if (!file) return
    if (file.size > MAX_IMPORT_BYTES) {
      setFailure({ message: t('census.import.tooLarge', { size: fmt.number(file.size / 1024 / 1024, 1) }), details: [] })
      return
    }
    setBusy(true)
    setFailure(null)
    client
      .importFile(type.id, file, { dryRun, note, layer })
      .then((r) => {
        setReport(r)
        if (dryRun) setChecked(file)
        else if (r.stored) onImported(r)
      })
      .catch((err: unknown) => {
        setReport(null)
        setFailure(err instanceof ApiError ? { message: `${err.code === 'IMPORT_REJECTED' || err.code === 'UPLOAD_REFUSED' ? `${t(`census.import.errors.${err.code}`)} ` : ''}${err.message}`, details: err.details } : { message: errorMessage(err), details: [] })
      })
      .finally(() => setBusy(false))
  }
  const groups = report ? problemsByFeature(report) : []

  return (
    <section ref={ref} className="census-dialog" aria-labelledby={`${ids}-title`} data-testid="census-import">
      <h3 id={`${ids}-title`}>{t('census.import.title', { type: type.title[lang] })}</h3>
      <div className="cr-form">
        <label>
          {t('census.import.file')}
          <input
            type="file"
            accept=".geojson,.json,.csv,.gpkg,.zip,application/geo+json,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null)
              setReport(null)
              setFailure(null)
            }}
            data-testid="census-import-file"
          />
        </label>
        <p className="muted small">{t('census.import.formats')}</p>
        <label>
          {t('census.import.layer')}
          <input value={layer} maxLength={100} onChange={(e) => setLayer(e.target.value)} placeholder={t('census.import.layerPlaceholder')} />
        </label>
        <label>
          {t('census.editor.note')}
          <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} placeholder={t('census.import.notePlaceholder')} />
        </label>
      </div>
      <div className="form-actions">
        <button type="button" className="primary-button" disabled={!file || busy} onClick={() => run(true)} data-testid="census-import-check">
          {t('census.import.check')}
        </button>
        <button type="button" className="primary-button" disabled={busy || !importable(report, checked, file)} onClick={() => run(false)} data-testid="census-import-confirm">
          {t('census.import.confirm', { count: report?.features ?? 0 })}
        </button>
        <button type="button" className="text-button" onClick={onClose}>
          {t('census.cancel')}
        </button>
      </div>
      {busy && <p className="muted">{t('census.import.busy')}</p>}
      {failure && (
        <div className="error-text" role="alert">
          <p>{failure.message}</p>
          {failure.details.length > 0 && (
            <ul className="census-problems">
              {failure.details.slice(0, 100).map((d, i) => (
                <li key={i}>
                  <code>{d.path}</code> {d.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {report && (
        <div className="census-import-report" role="status" data-testid="census-import-report" data-problems={report.problems.length} data-stored={report.stored}>
          <p>
            {report.stored ? t('census.import.stored', { count: report.features }) : t('census.import.checked', { count: report.features })} {t('census.import.counts', { created: fmt.number(report.created), replaced: fmt.number(report.replaced), format: report.format, crs: report.sourceCrs })}
          </p>
          {groups.length > 0 && (
            <>
              <p className="error-text">{t('census.import.problems', { count: groups.length })}</p>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t('census.import.feature')}</th>
                    <th scope="col">{t('census.import.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {groups.slice(0, 500).map((g) => (
                    <tr key={g.index}>
                      <th scope="row">
                        {t('census.import.nth', { n: g.index + 1 })}
                        {g.id !== null && <div className="muted small">id {String(g.id)}</div>}
                      </th>
                      <td>
                        <ul className="census-problems">
                          {g.problems.map((p, i) => (
                            <li key={i}>
                              <code>{p.path}</code> {p.message}
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
    </section>
  )
}
