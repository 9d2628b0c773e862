/**
 * What a dataset looks like before downloading it: for one with geometry, its GeoJSON on a map when
 * the file is at most 5 MB (else the area it covers, and a note); for a table, its CSV's first 20 rows
 * (read as a stream and stopped there, so a big file is not loaded whole).
 */
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OpenDataset } from '../../../../contracts/opendata-api'
import { ApiError } from '../../api/api-error'
import type { PortalLanguage } from './catalogue-search'
import { readCsvHead, type CsvHead } from './csv-preview'
import { CsvTable } from './csv-table'
import { bboxPolygon, DatasetMap } from './dataset-map'
import type { DatasetFeatures, OpenDataClient } from './opendata-client'
import { bboxDegrees, formatBytes } from './opendata-format'

/** The largest GeoJSON file the preview loads (bytes). */
export const MAP_PREVIEW_MAX_BYTES = 5_000_000
export const TABLE_PREVIEW_ROWS = 20

type Preview = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'features'; data: DatasetFeatures } | { kind: 'area' } | { kind: 'table'; head: CsvHead }

function initial(d: OpenDataset): Preview {
  if (d.geometry === null) return { kind: 'loading' }
  const file = d.distributions.find((x) => x.format === 'geojson')
  return file && file.byteSize !== null && file.byteSize <= MAP_PREVIEW_MAX_BYTES ? { kind: 'loading' } : { kind: 'area' }
}

export function DatasetPreview({ dataset: d, client, lang }: { dataset: OpenDataset; client: OpenDataClient; lang: PortalLanguage }) {
  const { t } = useTranslation()
  const [preview, setPreview] = useState<Preview>(() => initial(d))
  useEffect(() => {
    if (initial(d).kind !== 'loading') return
    const ctl = new AbortController()
    const failed = (e: unknown) => {
      if (ctl.signal.aborted) return
      setPreview({ kind: 'failed', message: e instanceof ApiError || e instanceof Error ? e.message : String(e) })
    }
    if (d.geometry !== null) client.features(d.id, ctl.signal).then((data) => !ctl.signal.aborted && setPreview({ kind: 'features', data }), failed)
    else
      client
        .fileStream(d.id, 'csv', ctl.signal)
        .then((s) => readCsvHead(s, TABLE_PREVIEW_ROWS))
        .then((head) => !ctl.signal.aborted && setPreview({ kind: 'table', head }), failed)
    return () => ctl.abort()
  }, [client, d])

  if (preview.kind === 'loading') return <p role="status">{t('dataset.previewLoading')}</p>
  if (preview.kind === 'failed') return <p className="alert alert-warning">{t('dataset.previewFailed', { message: preview.message })}</p>
  if (preview.kind === 'table') return <CsvTable head={preview.head} total={d.rowCount} />
  const label = t('dataset.mapLabel', { title: d.title[lang] })
  if (preview.kind === 'features') {
    const kind = t(`dataset.geometry.${d.geometry ?? 'Point'}`)
    return (
      <>
        <DatasetMap data={preview.data as unknown as GeoJSON.FeatureCollection} bbox={d.bbox} label={label} describedBy="dataset-map-alt" />
        <p id="dataset-map-alt" className="mt-2" data-testid="dataset-map-alt" data-features={preview.data.features.length}>
          {t('dataset.mapAlt', { count: preview.data.features.length, kind })}
        </p>
      </>
    )
  }
  const file = d.distributions.find((x) => x.format === 'geojson')
  return (
    <>
      {file?.byteSize != null && <p className="callout-note">{t('dataset.mapTooBig', { size: formatBytes(file.byteSize, lang) })}</p>}
      {d.bbox && (
        <>
          <DatasetMap data={bboxPolygon(d.bbox)} bbox={d.bbox} label={label} describedBy="dataset-map-alt" outline />
          <p id="dataset-map-alt" className="mt-2" data-testid="dataset-map-alt">
            {t('dataset.mapArea', { area: t('dataset.bbox', bboxDegrees(d.bbox, lang)) })}
          </p>
        </>
      )}
    </>
  )
}
