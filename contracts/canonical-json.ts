/**
 * Canonical JSON: object keys sorted, undefined members left out, no whitespace. Two equal values
 * give the same string, so their sha256 is the same on the server, in the audit log and on a
 * controller that verifies a deployed plan (contracts/signal-deploy.ts).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const keys = Object.keys(value as object).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`
}
