import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CITY_DATA_DIR } from '../../tests/helpers/test-env'
import { DATASETS, fileChecksum, missingFiles } from './manifest'
import { makeTempDir, removeTempDirs } from './testing/edge-case-files'

afterAll(removeTempDirs)

const README = path.join(CITY_DATA_DIR, 'README.md')

describe('the dataset manifest', () => {
  it('lists each dataset once, in import order, each with its source CRS', () => {
    expect(new Set(DATASETS.map((d) => d.id)).size).toBe(DATASETS.length)
    expect(DATASETS.map((d) => d.id)).toEqual([
      'bologna-streets',
      'bologna-quartieri',
      'bologna-zone',
      'bologna-aree-statistiche',
      'bologna-ztl',
      'bologna-loops',
      'bologna-ztl-gates',
      'bologna-bike-counters',
      'arpae-stations',
      'generated-connectivity',
      'bologna-street-nodes',
      'osm-drive-edges',
      'osm-drive-nodes',
      'osm-landuse',
      'milan-buildings',
      'sumo-acosta',
      'sumo-pasubio',
      'sumo-joined',
      // After the networks: one device per traffic-light program id they hold.
      'bologna-signal-controllers',
      // After the controllers' devices: the workbench's controllers and plans link to them.
      'bologna-signal-plans',
    ])
    for (const d of DATASETS) expect(d.sourceCrs).toBe(d.id.startsWith('sumo-') || d.id.startsWith('bologna-signal-') ? 'SUMO <location> (UTM + netOffset)' : 'EPSG:4326')
  })

  it.skipIf(!existsSync(README))('uses the attributions of the data bundle README verbatim', () => {
    const readme = readFileSync(README, 'utf8')
    for (const d of DATASETS) expect(readme).toContain(`| ${d.attribution} |`)
  })

  it.skipIf(!existsSync(README))('finds every file in the city data directory', () => {
    expect(missingFiles(CITY_DATA_DIR)).toEqual([])
  })

  it('reports every file missing when the directory does not exist', () => {
    expect(missingFiles('/nonexistent/gemello-city').length).toBeGreaterThanOrEqual(DATASETS.length - 1)
  })
})

describe('fileChecksum', () => {
  const dir = makeTempDir()
  const a = path.join(dir, 'a.csv')
  const b = path.join(dir, 'b.csv')
  writeFileSync(a, 'x;y\n1;2\n')
  writeFileSync(b, 'z\n3\n')

  it('is the sha256 of the file', () => {
    expect(fileChecksum(a)).toBe(createHash('sha256').update('x;y\n1;2\n').digest('hex'))
  })

  it('changes when a related file changes', () => {
    const before = fileChecksum(a, [b])
    writeFileSync(b, 'z\n4\n')
    expect(fileChecksum(a, [b])).not.toBe(before)
  })
})
