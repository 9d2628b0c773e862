/**
 * A citizen's SPID sign-in as a browser makes it, against the local OpenID Connect gateway
 * (oidc-provider.ts) and a server mounting the citizen routes: start → the gateway (which signs the
 * person in at once, with the claims given) → the callback. For the route tests of citizens' pages.
 */
import type { TestOp } from './oidc-provider'

export const SPID_L2 = 'https://www.spid.gov.it/SpidL2'
export const SPID_L3 = 'https://www.spid.gov.it/SpidL3'

export interface TestCitizen {
  sub: string
  /** The fiscal code the gateway asserts (as `TINIT-<code>` in fiscal_number). */
  fiscal: string
  given: string
  family: string
}

/**
 * Signs `who` in: the citizen cookie (`gemello-citizen=…`), or null with the callback's answer when the
 * server refused. `acr` is the level the gateway asserts (SPID L2 by default); `fiscal: null` leaves
 * the fiscal code out of the token.
 */
export async function citizenSignIn(op: TestOp, appUrl: string, who: TestCitizen, o: { acr?: string; fiscal?: string | null } = {}): Promise<{ cookie: string | null; callback: Response }> {
  op.user = {
    sub: who.sub,
    preferred_username: who.sub,
    name: `${who.given} ${who.family}`,
    roles: [],
    claims: { ...(o.fiscal === null ? {} : { fiscal_number: `TINIT-${o.fiscal ?? who.fiscal}` }), acr: o.acr ?? SPID_L2, given_name: who.given, family_name: who.family },
  }
  const start = await fetch(`${appUrl}/api/my/auth/start?returnTo=/cittadini/le-mie-segnalazioni`, { redirect: 'manual' })
  if (start.status !== 302) throw new Error(`citizen sign-in: /api/my/auth/start answered ${start.status}, not a redirect to the gateway`)
  const atGateway = await fetch(start.headers.get('location')!, { redirect: 'manual' })
  const callback = await fetch(atGateway.headers.get('location')!, { redirect: 'manual' })
  const set = callback.headers.get('set-cookie')
  const cookie = set ? (/(gemello-citizen=[^;]+)/.exec(set)?.[1] ?? null) : null
  return { cookie, callback }
}
