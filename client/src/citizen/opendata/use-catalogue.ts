/** The open-data catalogue for a portal page: asked once per visit of the page (the client keeps it a minute). */
import { useEffect, useState } from 'react'
import type { OpenDataCatalogue } from '../../../../contracts/opendata-api'
import type { OpenDataClient } from './opendata-client'

export function useCatalogue(client: OpenDataClient): { catalogue: OpenDataCatalogue | null; error: string | null } {
  const [catalogue, setCatalogue] = useState<OpenDataCatalogue | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    client.catalogue().then(
      (c) => live && setCatalogue(c),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    )
    return () => {
      live = false
    }
  }, [client])
  return { catalogue, error }
}
