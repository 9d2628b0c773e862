/**
 * App IO on loopback for the tests (specs/app-io, Swagger 2.0): the subscription key is required, every
 * request body is validated against the published definitions (FiscalCodePayload, NewMessage — subject
 * 10–120, markdown 80–10,000, the fiscal code's format) and every answer against LimitedProfile or
 * CreatedMessage before it is sent. Citizens are registered with `profiles`; `script` makes the next
 * message calls fail: 'ok', '500', '429', 'slow' (takes the message, answers after 1 s), 'drop' (takes
 * it, cuts the connection). `messages` holds what IO accepted; `violations` what broke the specification.
 * It never logs a body (fiscal codes).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { OpenApiSpec } from './openapi-spec'

export const APPIO_SPEC = 'app-io/io-functions-services.openapi.yaml'

export interface AppIoMock {
  baseUrl: string
  key: string
  profiles: Map<string, { sender_allowed: boolean; preferred_languages: string[] }>
  messages: Array<{ fiscal_code: string; subject: string; markdown: string }>
  profileCalls: number
  violations: string[]
  script: 'ok' | '500' | '429' | 'slow' | 'drop'
  close(): Promise<void>
}

export async function startAppIoMock(): Promise<AppIoMock> {
  const spec = new OpenApiSpec(APPIO_SPEC)
  // Compiled now, not at the first request: on a busy machine a first compile outlasts a test's short call timeout.
  for (const d of ['FiscalCodePayload', 'LimitedProfile', 'NewMessage', 'CreatedMessage', 'ProblemJson']) spec.validator(d)
  const mock: AppIoMock = { baseUrl: '', key: 'io-test-subscription-key-0123456789', profiles: new Map(), messages: [], profileCalls: 0, violations: [], script: 'ok', close: async () => undefined }
  const server: Server = createServer((req, res) => {
    let raw = ''
    req.on('data', (d: Buffer) => (raw += d.toString()))
    req.on('end', () => {
      const send = (status: number, value: unknown, definition: string | null, headers: Record<string, string> = {}) => {
        if (definition) mock.violations.push(...spec.problems(definition, value))
        res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers }).end(JSON.stringify(value))
      }
      const problem = (status: number, title: string, headers: Record<string, string> = {}) => send(status, { type: 'about:blank', title, status }, 'ProblemJson', headers)
      if (req.headers['ocp-apim-subscription-key'] !== mock.key) return problem(401, 'Unauthorized')
      let body: unknown
      try {
        body = JSON.parse(raw)
      } catch {
        mock.violations.push(`${req.url}: body is not JSON`)
        return problem(400, 'Bad Request')
      }
      if (req.method === 'POST' && req.url === '/api/v1/profiles') {
        mock.profileCalls++
        const v = spec.problems('FiscalCodePayload', body)
        if (v.length) return mock.violations.push(...v), problem(400, 'Bad Request')
        const p = mock.profiles.get((body as { fiscal_code: string }).fiscal_code)
        return p ? send(200, p, 'LimitedProfile') : problem(404, 'Profile not found')
      }
      if (req.method === 'POST' && req.url === '/api/v1/messages') {
        const v = spec.problems('NewMessage', body)
        if (v.length || !(body as { fiscal_code?: string }).fiscal_code) return mock.violations.push(...v, ...(v.length ? [] : ['NewMessage: fiscal_code missing'])), problem(400, 'Bad Request')
        if (mock.script === '500') return problem(500, 'The message cannot be delivered')
        if (mock.script === '429') return problem(429, 'Too Many Requests', { 'retry-after': '15' })
        const b = body as { fiscal_code: string; content: { subject: string; markdown: string } }
        mock.messages.push({ fiscal_code: b.fiscal_code, ...b.content })
        const id = `01HZX${String(mock.messages.length).padStart(21, '0')}`
        if (mock.script === 'drop') return void req.socket.destroy()
        if (mock.script === 'slow') return void setTimeout(() => send(201, { id }, 'CreatedMessage', { location: `/api/v1/messages/x/${id}` }), 1_000)
        return send(201, { id }, 'CreatedMessage', { location: `/api/v1/messages/x/${id}` })
      }
      problem(404, 'Not Found')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  mock.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`
  mock.close = () => new Promise<void>((r) => server.close(() => r()))
  return mock
}
