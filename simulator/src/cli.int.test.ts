import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkPublished } from './published-check'
import { collect } from './testing/mqtt-collector'
import { mixedCity } from './testing/sim-device-factory'
import { startTestBroker, type TestBroker } from './testing/test-broker'

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url))
const devices = mixedCity()

let broker: TestBroker
let api: Server
let apiUrl = ''

beforeAll(async () => {
  broker = await startTestBroker()
  // A Gemello-shaped REST endpoint: GET /api/devices?limit=…&offset=… → { total, devices }.
  api = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== '/api/devices') {
      res.writeHead(404).end()
      return
    }
    const offset = Number(url.searchParams.get('offset') ?? 0)
    const page = devices.slice(offset, offset + 10).map((d) => ({ ...d, name: d.name ?? d.id, source: 'open-data', dataset: null, states: [] }))
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ total: devices.length, devices: page }))
  })
  api.listen(0, '127.0.0.1')
  await once(api, 'listening')
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`
})
afterAll(async () => {
  api.close()
  await broker.close()
})

describe('simulate CLI', () => {
  it('loads the devices from the API (all pages), publishes their readings, prints stats and exits cleanly on SIGTERM', async () => {
    const sub = await collect(broker.url)
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--api', apiUrl, '--mqtt', broker.url, '--speed', '600', '--catch-up', '30', '--stats-every', '0.5'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
    try {
      await sub.waitFor(100, 30_000)
      const deadline = performance.now() + 10_000
      while (!stderr.includes('published') && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    } finally {
      child.kill('SIGTERM')
    }
    const [code] = (await once(child, 'exit')) as [number | null]
    await sub.close()
    expect(code).toBe(0)
    expect(stderr).toMatch(/simulator: 16 devices/)
    expect(stderr).toMatch(/\[sim .*\] published \d+/)
    const ids = new Set(sub.messages.map((m) => m.topic.split('/')[3]))
    expect(ids.size).toBeGreaterThan(10)
    for (const m of sub.messages) expect(checkPublished(m.topic, m.payload).ok).toBe(true)
  })

  it('refuses bad arguments with a message and exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--load', 'lots'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(2)
    expect(stderr).toMatch(/--load must be <devices>:<rate per second>/)
  })
})
