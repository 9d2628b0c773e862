/** The citizen pages' addresses under /cittadini/ (served by the server's citizen page). */
export type CitizenRoute =
  | { page: 'home' }
  | { page: 'report' }
  | { page: 'mine' }
  | { page: 'case'; id: number }
  | { page: 'opendata' }
  | { page: 'dataset'; id: string }
  | { page: 'dashboards' }
  | { page: 'dashboard'; id: string }
  | { page: 'not-found' }

export const CITIZEN_BASE = '/cittadini/'

export function parseCitizenPath(pathname: string): CitizenRoute {
  const rest = pathname.startsWith(CITIZEN_BASE) ? pathname.slice(CITIZEN_BASE.length) : pathname === '/cittadini' ? '' : null
  if (rest === null) return { page: 'not-found' }
  const path = rest.replace(/\/+$/, '')
  if (path === '') return { page: 'home' }
  if (path === 'segnala') return { page: 'report' }
  if (path === 'le-mie-segnalazioni') return { page: 'mine' }
  const m = /^segnalazioni\/([1-9]\d{0,15})$/.exec(path)
  if (m) return { page: 'case', id: Number(m[1]) }
  // The open-data portal: the catalogue's homepage and each dataset's landing page (contracts/opendata-api.ts ids).
  if (path === 'dati') return { page: 'opendata' }
  const d = /^dati\/([a-z0-9-]{1,80})$/.exec(path)
  if (d) return { page: 'dataset', id: d[1]! }
  // The thematic dashboards: the list and one dashboard (a theme or a loaded dataset; contracts/theme-dashboard-api.ts ids).
  if (path === 'cruscotti') return { page: 'dashboards' }
  const b = /^cruscotti\/([a-z][a-z0-9-]{1,59})$/.exec(path)
  if (b) return { page: 'dashboard', id: b[1]! }
  return { page: 'not-found' }
}

export function citizenPath(r: CitizenRoute): string {
  switch (r.page) {
    case 'home':
    case 'not-found':
      return CITIZEN_BASE
    case 'report':
      return `${CITIZEN_BASE}segnala`
    case 'mine':
      return `${CITIZEN_BASE}le-mie-segnalazioni`
    case 'case':
      return `${CITIZEN_BASE}segnalazioni/${r.id}`
    case 'opendata':
      return `${CITIZEN_BASE}dati`
    case 'dataset':
      return `${CITIZEN_BASE}dati/${r.id}`
    case 'dashboards':
      return `${CITIZEN_BASE}cruscotti`
    case 'dashboard':
      return `${CITIZEN_BASE}cruscotti/${r.id}`
  }
}
