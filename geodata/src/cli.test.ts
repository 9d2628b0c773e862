import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DATASETS } from './manifest'
import { DATASET_KINDS } from './importers/dataset-kinds'
import { makeTempDir, removeTempDirs, writeFeatureCollection } from './testing/edge-case-files'
import { parseBbox, runCli, type CliIo } from './cli'

afterAll(removeTempDirs)

function io(env: NodeJS.ProcessEnv = {}): CliIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = []
  const errLines: string[] = []
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), env, cwd: '/tmp' }
}

describe('runCli (no database needed)', () => {
  it('prints the usage without arguments', async () => {
    const t = io()
    expect(await runCli([], t)).toBe(2)
    expect(t.errLines.join('\n')).toMatch(/^Usage: tsx geodata\/src\/cli.ts <dataset\|all\|demo> \[path\]/)
  })

  it('refuses an unknown dataset', async () => {
    const t = io()
    expect(await runCli(['bologna-buses'], t)).toBe(2)
    expect(t.errLines[0]).toMatch(/^Unknown dataset "bologna-buses"/)
  })

  it('stops on a configuration error', async () => {
    const t = io({ DATABASE_URL: 'mysql://nope' })
    expect(await runCli(['all'], t)).toBe(2)
    expect(t.errLines[0]).toMatch(/DATABASE_URL must start with postgres/)
  })

  it('imports nothing from a directory without the city files', async () => {
    const t = io({ CITY_DATA_DIR: '/nonexistent/city' })
    expect(await runCli(['all'], t)).toBe(1)
    expect(t.errLines[0]).toMatch(/^\/nonexistent\/city does not exist\nNothing imported/)
  })
})

describe('runCli: the <kind> <file> form, before any database is opened', () => {
  const dir = makeTempDir()
  const file = writeFeatureCollection(path.join(dir, 'Centro Storico.geojson'), [])

  it('needs a file', async () => {
    const t = io()
    expect(await runCli(['buildings'], t)).toBe(2)
    expect(t.errLines[0]).toMatch(/^buildings needs a file: npm run import -- buildings <file>/)
  })

  it('fails on a missing file, importing nothing', async () => {
    const t = io()
    expect(await runCli(['buildings', 'nope.geojson'], t)).toBe(1)
    expect(t.errLines).toEqual(['buildings: nothing imported — /tmp/nope.geojson does not exist.'])
  })

  it('refuses a dataset id that does not name its kind, or is a manifest dataset', async () => {
    const t = io()
    expect(await runCli(['buildings', file, '--id', 'centro'], t)).toBe(2)
    expect(t.errLines[0]).toBe('dataset id "centro" must start with "buildings-" (the kind tells how to read it again).')
    expect(await runCli(['landuse', file, '--id=osm-landuse'], t)).toBe(2)
    expect(t.errLines[1]).toBe('"osm-landuse" is a manifest dataset; import it with: npm run import -- osm-landuse <file>.')
  })

  it('fails on an areas file whose layout it cannot tell', async () => {
    const odd = writeFeatureCollection(path.join(dir, 'odd.geojson'), [{ properties: { nome: 'x' }, geometry: null }])
    const t = io()
    expect(await runCli(['areas', odd], t)).toBe(1)
    expect(t.errLines[0]).toMatch(/^areas: nothing imported — .*odd\.geojson is not an areas file: its features have none of the property pairs cod_quartiere\+quartiere/)
  })

  it('refuses unknown options, options of another form and a bad bbox', async () => {
    const t = io()
    expect(await runCli(['buildings', file, '--licnce', 'CC0'], t)).toBe(2)
    expect(t.errLines[0]).toMatch(/^Unknown option --licnce\./)
    expect(await runCli(['osm-landuse', '--licence', 'CC0'], t)).toBe(2)
    expect(t.errLines[1]).toMatch(/^--licence is for the <kind> <file> form only\./)
    expect(await runCli(['buildings', file, '--bbox', '9,45,8,46'], t)).toBe(2)
    expect(t.errLines[2]).toMatch(/^--bbox must be minLon,minLat,maxLon,maxLat/)
    expect(await runCli(['buildings', file, '--title'], t)).toBe(2)
    expect(t.errLines[3]).toMatch(/^Option --title needs a value\./)
  })

  it('lists every kind in the usage, none named like a dataset', async () => {
    const t = io()
    await runCli([], t)
    for (const k of Object.keys(DATASET_KINDS)) expect(t.errLines[0]).toContain(`\n  ${k.padEnd(14)} `)
    for (const d of DATASETS) expect(Object.keys(DATASET_KINDS)).not.toContain(d.id)
  })

  it('parses a bbox', () => {
    expect(parseBbox('9.1, 45.4, 9.3, 45.5')).toEqual({ minLon: 9.1, minLat: 45.4, maxLon: 9.3, maxLat: 45.5 })
    expect(parseBbox('9.1,45.4,9.3')).toBeNull()
  })
})
