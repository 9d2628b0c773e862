import { describe, expect, it } from 'vitest'
import type { OpenDataCatalogue } from '../../../../contracts/opendata-api'
import { ApiError } from '../../api/api-error'
import { createOpenDataClient, dataFilePath } from './opendata-client'

const CATALOGUE: OpenDataCatalogue = {
  title: { it: 'Dati', en: 'Data' }, description: { it: 'd', en: 'd' }, publisher: { name: 'Comune di Bologna', ipaCode: 'c_a944' }, place: { name: 'Bologna', geonames: 'http://sws.geonames.org/3181928/' }, contact: { name: 'Open data', email: 'opendata@comune.bologna.it' },
  homepage: 'https://x/cittadini/dati', modifiedMs: null, datasets: [], validation: null, links: { turtle: '/catalog.ttl', rdfXml: '/catalog.rdf', jsonLd: '/catalog.jsonld', ckan: '/api/3/action/package_search' },
}

/** A fetch answering from a table of paths, recording what was asked. */
function fakeFetch(answers: Record<string, () => Response>) {
  const asked: string[] = []
  const fetch = (async (input: RequestInfo | URL) => {
    const path = String(input)
    asked.push(path)
    const answer = answers[path]
    return answer ? answer() : new Response(JSON.stringify({ error: { code: 'DATASET_NOT_FOUND', message: 'no such dataset' } }), { status: 404 })
  }) as typeof globalThis.fetch
  return { fetch, asked }
}

describe('the open-data client', () => {
  it('reads the catalogue with its contract, and asks again only after a minute', async () => {
    let nowMs = 0
    const f = fakeFetch({ '/api/opendata': () => Response.json(CATALOGUE) })
    const client = createOpenDataClient({ fetch: f.fetch, now: () => nowMs })
    expect((await client.catalogue()).publisher.name).toBe('Comune di Bologna')
    nowMs = 59_000
    await client.catalogue()
    expect(f.asked).toEqual(['/api/opendata'])
    nowMs = 61_000
    await client.catalogue()
    expect(f.asked).toHaveLength(2)
  })

  it('refuses a catalogue that does not match the contract', async () => {
    const f = fakeFetch({ '/api/opendata': () => Response.json({ ...CATALOGUE, datasets: 'none' }) })
    await expect(createOpenDataClient({ fetch: f.fetch }).catalogue()).rejects.toMatchObject({ code: 'BAD_RESPONSE' })
  })

  it('reads files from this origin’s path, and turns a missing one into the contract’s error', async () => {
    expect(dataFilePath('sensori', 'geojson')).toBe('/opendata/datasets/sensori/data.geojson')
    const f = fakeFetch({
      '/opendata/datasets/sensori/data.geojson': () => Response.json({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [11.3, 44.5] }, properties: { id: 'a' } }] }),
      '/opendata/datasets/sensori/data.csv': () => new Response('wkt,id\r\nPOINT (11.3 44.5),a\r\n'),
    })
    const client = createOpenDataClient({ fetch: f.fetch })
    expect((await client.features('sensori')).features).toHaveLength(1)
    expect(await new Response(await client.fileStream('sensori', 'csv')).text()).toMatch(/^wkt,id/)
    const missing = await client.fileStream('nessuno', 'csv').catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(ApiError)
    expect(missing).toMatchObject({ code: 'DATASET_NOT_FOUND', status: 404 })
  })
})
