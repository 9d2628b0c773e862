/**
 * The open-data portal's calls (contracts/opendata-api.ts OPENDATA_ROUTES), in the manner of
 * client/src/api: JSON parsed with the contract schemas, failures as ApiError. The catalogue is kept
 * a minute, so going from the list to a dataset and back asks once. Files are read from this origin's
 * path (the Content-Security-Policy allows connections only here), whatever public address the
 * catalogue's download links name.
 */
import { FeatureCollectionSchema } from '../../../../contracts/api'
import { OPENDATA_ROUTES, OpenDataCatalogueSchema, type OpenDataCatalogue } from '../../../../contracts/opendata-api'
import type { z } from 'zod'
import { ApiError, apiErrorFromBody } from '../../api/api-error'
import { sendJson, type FetchLike } from '../../api/send-json'

export type DatasetFeatures = z.infer<typeof FeatureCollectionSchema>
export type DataFileFormat = 'csv' | 'geojson'

export interface OpenDataClient {
  catalogue(): Promise<OpenDataCatalogue>
  /** A dataset's GeoJSON file, parsed. */
  features(id: string, signal?: AbortSignal): Promise<DatasetFeatures>
  /** A dataset's file as a byte stream (the caller reads what it needs and cancels). */
  fileStream(id: string, format: DataFileFormat, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>>
}

const CATALOGUE_KEEP_MS = 60_000

/** The same-origin path of a dataset's file. */
export const dataFilePath = (id: string, format: DataFileFormat) => OPENDATA_ROUTES.openDataFile.path.replace(':id', encodeURIComponent(id)).replace(':format', format)

export function createOpenDataClient(o: { baseUrl?: string; fetch?: typeof fetch; now?: () => number } = {}): OpenDataClient {
  const baseUrl = o.baseUrl ?? ''
  const doFetch: FetchLike = o.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const now = o.now ?? Date.now
  let kept: { atMs: number; answer: Promise<OpenDataCatalogue> } | null = null

  const open = async (path: string, accept: string, signal?: AbortSignal): Promise<Response> => {
    let res: Response
    try {
      res = await doFetch(`${baseUrl}${path}`, { credentials: 'same-origin', headers: { accept }, signal })
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err
      throw new ApiError('NETWORK', `Cannot reach the server (${err instanceof Error ? err.message : String(err)})`, 0)
    }
    if (!res.ok) throw apiErrorFromBody(res.status, res.statusText, await res.json().catch(() => null))
    return res
  }

  return {
    catalogue() {
      if (kept && now() - kept.atMs < CATALOGUE_KEEP_MS) return kept.answer
      const answer = sendJson(doFetch, baseUrl, 'GET', OPENDATA_ROUTES.openDataCatalogue.path, OpenDataCatalogueSchema)
      const entry = { atMs: now(), answer }
      kept = entry
      answer.catch(() => {
        if (kept === entry) kept = null
      })
      return answer
    },
    async features(id, signal) {
      const path = dataFilePath(id, 'geojson')
      const res = await open(path, 'application/geo+json', signal)
      const parsed = FeatureCollectionSchema.safeParse(await res.json().catch(() => null))
      if (!parsed.success) throw new ApiError('BAD_RESPONSE', `${path}: the file is not a GeoJSON FeatureCollection`, res.status)
      return parsed.data
    },
    async fileStream(id, format, signal) {
      const path = dataFilePath(id, format)
      const res = await open(path, format === 'csv' ? 'text/csv' : 'application/geo+json', signal)
      if (!res.body) throw new ApiError('BAD_RESPONSE', `${path}: the answer has no body`, res.status)
      return res.body
    },
  }
}
