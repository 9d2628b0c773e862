import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from './api-error'
import { createApp, type AppLog } from './app'

interface Line {
  level: 'error' | 'info' | 'debug'
  o: Record<string, unknown>
  m?: string
}

let server: Server | null = null
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())))

/** The app with three routes (ok, an API error, a crash), on a real port; the log lines it writes. */
async function start(o: { trustProxy?: boolean; clientDir?: string; dashboardEmbedOrigins?: string[] } = {}): Promise<{ url: string; lines: Line[] }> {
  const lines: Line[] = []
  const log: AppLog = {
    error: (o, m) => lines.push({ level: 'error', o: o as Record<string, unknown>, m }),
    info: (o, m) => lines.push({ level: 'info', o: o as Record<string, unknown>, m }),
    debug: (o, m) => lines.push({ level: 'debug', o: o as Record<string, unknown>, m }),
  }
  const app = createApp({
    clientDir: null,
    log,
    ...o,
    mountRoutes: (a) => {
      a.get('/api/ok', (_req, res) => void res.json({ ok: true }))
      a.get('/api/missing', () => {
        throw new ApiError('NOT_FOUND', 'No such thing.')
      })
      a.get('/api/crash', () => {
        throw new Error('boom')
      })
    },
  })
  server = createServer(app)
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines }
}

const settle = () => new Promise((r) => setTimeout(r, 20))

describe('request ids and request logs', () => {
  it('keeps a caller’s request id, names it in the answer and in the log line', async () => {
    const { url, lines } = await start()
    const r = await fetch(`${url}/api/missing?email=someone@example.org`, { headers: { 'x-request-id': 'proxy-42' } })
    expect(r.status).toBe(404)
    expect(r.headers.get('x-request-id')).toBe('proxy-42')
    await settle()
    expect(lines).toContainEqual({ level: 'info', o: expect.objectContaining({ reqId: 'proxy-42', method: 'GET', path: '/api/missing', status: 404 }), m: 'request refused' })
    // The query string (what a person typed) never reaches the log.
    expect(JSON.stringify(lines)).not.toContain('someone@example.org')
  })

  it('makes a new id when the caller gives none or an unsafe one', async () => {
    const { url } = await start()
    const a = (await fetch(`${url}/api/ok`)).headers.get('x-request-id')
    const b = (await fetch(`${url}/api/ok`, { headers: { 'x-request-id': 'bad id\twith spaces' } })).headers.get('x-request-id')
    expect(a).toMatch(/^[0-9a-f-]{36}$/)
    expect(b).toMatch(/^[0-9a-f-]{36}$/)
    expect(a).not.toBe(b)
  })

  it('answers a crash with INTERNAL and the request id that finds its stack in the log', async () => {
    const { url, lines } = await start()
    const r = await fetch(`${url}/api/crash`)
    const id = r.headers.get('x-request-id')!
    expect(r.status).toBe(500)
    expect(((await r.json()) as { error: { code: string; message: string } }).error).toEqual({ code: 'INTERNAL', message: `Internal error; the server log has the details (request id ${id}).` })
    const line = lines.find((l) => l.level === 'error')
    expect(line?.o).toMatchObject({ reqId: id, path: '/api/crash', err: 'boom' })
    expect(String(line?.o.stack)).toContain('boom')
  })
})

describe('security headers', () => {
  it('sends a Content Security Policy without inline or eval’d script (inline styles allowed) on pages and API answers alike', async () => {
    const { url } = await start()
    for (const path of ['/', '/api/ok', '/api/missing']) {
      const res = await fetch(url + path)
      const csp = res.headers.get('content-security-policy') ?? ''
      const script = csp.split(';').map((d) => d.trim()).filter((d) => /^(script-src|default-src)\b/.test(d))
      expect(script, path).toEqual(["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'"])
      expect(csp, path).not.toMatch(/'unsafe-eval'/)
      expect(csp, path).toMatch(/frame-ancestors 'none'/)
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
    }
  })

  it('lets other https sites frame only a public dashboard’s embed view, and nobody when the settings say none', async () => {
    const clientDir = mkdtempSync(path.join(tmpdir(), 'gemello-client-'))
    for (const f of ['index.html', 'cittadini.html']) writeFileSync(path.join(clientDir, f), `<!doctype html><title>${f}</title>`)
    const framing = async (url: string) => {
      const r = await fetch(url)
      expect(r.status, url).toBe(200)
      return { ancestors: /frame-ancestors ([^;]+)/.exec(r.headers.get('content-security-policy') ?? '')?.[1], xfo: r.headers.get('x-frame-options') }
    }
    const { url } = await start({ clientDir })
    expect(await framing(`${url}/cittadini/cruscotti/cases?embed=1&days=30`)).toEqual({ ancestors: "'self' https:", xfo: null })
    for (const page of ['/cittadini/cruscotti/cases', '/cittadini/cruscotti?embed=1', '/cittadini/dati?embed=1', '/cittadini/segnala?embed=1', '/?embed=1']) {
      expect(await framing(url + page), page).toEqual({ ancestors: "'none'", xfo: 'DENY' })
    }
    await new Promise<void>((r) => server!.close(() => r()))
    const closed = await start({ clientDir, dashboardEmbedOrigins: ['none'] })
    expect(await framing(`${closed.url}/cittadini/cruscotti/cases?embed=1`)).toEqual({ ancestors: "'none'", xfo: 'DENY' })
    await new Promise<void>((r) => server!.close(() => r()))
    const listed = await start({ clientDir, dashboardEmbedOrigins: ['https://www.comune.bologna.it'] })
    expect(await framing(`${listed.url}/cittadini/cruscotti/works?embed=1`)).toEqual({ ancestors: "'self' https://www.comune.bologna.it", xfo: null })
  })

  it('isolates the window and turns off browser APIs it does not use; asks for https only when served over https', async () => {
    const { url } = await start({ trustProxy: true })
    const plain = await fetch(`${url}/api/ok`)
    expect(plain.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(plain.headers.get('permissions-policy')).toMatch(/camera=\(\), microphone=\(\), geolocation=\(\)/)
    expect(plain.headers.get('strict-transport-security')).toBeNull()
    const viaTls = await fetch(`${url}/api/ok`, { headers: { 'x-forwarded-proto': 'https' } })
    expect(viaTls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
    await new Promise<void>((r) => server!.close(() => r()))
    server = null
    const untrusted = await start()
    const spoofed = await fetch(`${untrusted.url}/api/ok`, { headers: { 'x-forwarded-proto': 'https' } })
    expect(spoofed.headers.get('strict-transport-security')).toBeNull()
  })
})
