/**
 * Log hygiene (ADR 0005, reliability-security.md §4.4): logs must never hold session ids, tokens,
 * passwords, API keys (Authorization, the platforms' key headers, Open311 api_key), fiscal codes,
 * e-mail addresses or phone numbers. `scanLog(text)` finds them; the CLI scans the logs a
 * full test run left (every test-started Gemello process and the test runners' output, collected in
 * TEST_LOG_DIR by .ci/run) and fails with the file, line and kind of each finding — never the
 * secret itself.
 *
 *   npx tsx scripts/log-hygiene.ts <dir or file>…
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export interface Finding {
  line: number
  kind: string
}

/** What no log line may contain. Each pattern is specific enough not to fire on ids, hashes or paths. */
const PATTERNS: Array<[kind: string, re: RegExp]> = [
  ['session cookie', /(?:__Host-)?gemello_session=[A-Za-z0-9_-]{20,}/],
  ['JWT', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
  ['bearer token', /\bBearer\s+[A-Za-z0-9._~+/-]{16,}/i],
  ['personal access token', /\bgmt_[A-Za-z0-9_-]{20,}/],
  ['authorization code or token parameter', /[?&](?:code|id_token|access_token|refresh_token|token)=[A-Za-z0-9._~-]{12,}/],
  // Codice fiscale: 6 letters, 2 digits, month letter, 2 digits, a letter, 3 digits, check letter (omocodia digits as letters too).
  ['fiscal code', /\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b/],
  ['e-mail address', /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/],
  ['password field', /"password"\s*:\s*"[^"]+"/i],
  // An Authorization header's credentials of any scheme (Basic, a bare key), and the platforms' key headers (pagoPA, App IO, SEND).
  ['authorization header', /\bauthorization\s*[:=]\s*["']?(?:basic|digest|apikey)?\s*[A-Za-z0-9._~+/=-]{16,}/i],
  ['api key header', /\b(?:ocp-apim-subscription-key|x-api-key)["']?\s*[:=]\s*["']?[A-Za-z0-9_-]{12,}/i],
  ['Open311 api key', /\bo311_[A-Za-z0-9_-]{20,}|[?&"]api_key["']?\s*[=:]\s*["']?[A-Za-z0-9_-]{12,}/],
  ['client assertion', /\bclient_assertion["']?\s*[=:]\s*["']?[A-Za-z0-9._-]{20,}/],
  // Italian phone numbers: with the +39/0039 prefix, or a mobile (3xx) written with separators; a "phone" field.
  ['phone number', /(?:\+|\b00)39[\s.-]?\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{2,4}\b|\b3\d{2}[\s.-]\d{3}[\s.-]?\d{3,4}\b|"phone"\s*:\s*"[^"]+"/],
]

/** The passwords the tests use: none may reach a log (tests/helpers/staff-session.ts and the suites). */
export const TEST_SECRETS = ['test-admin-password-only', 'planner-password-e2e', '-password-for-tests', '-long-password', 'test-client-secret']

export function scanLog(text: string, secrets: readonly string[] = TEST_SECRETS): Finding[] {
  const out: Finding[] = []
  text.split('\n').forEach((line, i) => {
    for (const [kind, re] of PATTERNS) if (re.test(line)) out.push({ line: i + 1, kind })
    for (const s of secrets) if (line.includes(s)) out.push({ line: i + 1, kind: 'a test password' })
  })
  return out
}

/** Whether a file is text (a log), not a binary artefact of the run (a screenshot, a tile): no NUL byte in its first 8 KiB. */
export function isText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192)
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return false
  return true
}

function filesUnder(p: string): string[] {
  if (!statSync(p, { throwIfNoEntry: false })) return []
  if (statSync(p).isFile()) return [p]
  return readdirSync(p).flatMap((f) => filesUnder(path.join(p, f)))
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = process.argv.slice(2).flatMap(filesUnder)
  if (files.length === 0) {
    console.error('log-hygiene: no log files found in', process.argv.slice(2).join(' ') || '(no argument)')
    process.exit(2)
  }
  let bad = 0
  let lines = 0
  let binary = 0
  for (const f of files) {
    const bytes = readFileSync(f)
    // Screenshots and other binary artefacts hold no log lines; their bytes can look like an address by chance.
    if (!isText(bytes)) {
      binary++
      continue
    }
    const text = bytes.toString('utf8')
    lines += text.split('\n').length
    for (const x of scanLog(text)) {
      bad++
      if (bad <= 50) console.error(`${f}:${x.line}: ${x.kind}`)
    }
  }
  if (bad > 0) {
    console.error(`log-hygiene: ${bad} finding(s) in ${files.length} log file(s)`)
    process.exit(1)
  }
  console.log(`log-hygiene: ${files.length - binary} log file(s), ${lines} lines, nothing secret or personal (${binary} binary file(s) skipped)`)
}
