import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runDatasetLoadCli } from './dataset-load-cli'

const TOKEN = `gmt_${'a'.repeat(43)}`
const run = async (argv: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd()) => {
  const out: string[] = []
  const err: string[] = []
  const code = await runDatasetLoadCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd })
  return { code, out, err: err.join('\n') }
}

describe('npm run dashboards:load', () => {
  it('explains its usage when the server, the token or a file is missing (exit 2)', async () => {
    expect(await run(['def.json', 'data.csv'], { GEMELLO_TOKEN: TOKEN })).toMatchObject({ code: 2, err: expect.stringContaining('--url') })
    expect(await run(['--url', 'http://127.0.0.1:1', 'def.json', 'data.csv'])).toMatchObject({ code: 2, err: expect.stringContaining('GEMELLO_TOKEN') })
    expect(await run(['--url', 'http://127.0.0.1:1', '--token', 'hunter2', 'def.json', 'data.csv'])).toMatchObject({ code: 2, err: expect.stringContaining('not a Gemello personal access token') })
    expect(await run(['--url', 'http://127.0.0.1:1', 'def.json'], { GEMELLO_TOKEN: TOKEN })).toMatchObject({ code: 2, err: expect.stringContaining('Usage: npm run dashboards:load') })
  })

  it('names each problem of the definition file before sending anything (exit 2)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gemello-dashboards-cli-'))
    writeFileSync(path.join(dir, 'def.json'), JSON.stringify({ id: 'Bad Id', format: 'xlsx', extra: 1 }))
    writeFileSync(path.join(dir, 'data.csv'), 'a\n1\n')
    const r = await run(['--url', 'http://127.0.0.1:1', 'def.json', 'data.csv'], { GEMELLO_TOKEN: TOKEN }, dir)
    expect(r.code).toBe(2)
    expect(r.err).toContain('def.json: id:')
    expect(r.err).toContain('def.json: format:')
    expect(r.err).toMatch(/extra/)
  })

  it('says so when a file cannot be read (exit 2)', async () => {
    const r = await run(['--url', 'http://127.0.0.1:1', '/no/such/def.json', '/no/such/data.csv'], { GEMELLO_TOKEN: TOKEN })
    expect(r.code).toBe(2)
    expect(r.err).toContain('/no/such/def.json')
  })
})
