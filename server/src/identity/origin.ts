/**
 * Cross-site request refusal for state-changing requests (besides SameSite cookies): a browser sends
 * Origin (or at least Sec-Fetch-Site) with them; a page of another site is refused. Programs that send
 * neither (curl, QGIS, scripts) carry no ambient cookie, so they are not the threat.
 */
export function crossSite(headers: { origin?: string | undefined; host?: string | undefined; 'sec-fetch-site'?: string | undefined }, allowed: readonly string[]): boolean {
  const origin = headers.origin
  if (origin && origin !== 'null') {
    if (allowed.includes(origin)) return false
    try {
      return new URL(origin).host !== headers.host
    } catch {
      return true
    }
  }
  if (origin === 'null') return true
  return headers['sec-fetch-site'] === 'cross-site'
}
