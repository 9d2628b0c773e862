/**
 * The citizen's own routes (contracts/my-api.ts, docs/cases.md "Citizens"): sign-in through the
 * SPID/CIE gateway, my reports, a new report. Every route but the session and the sign-in needs the
 * citizen's session (CITIZEN_SIGN_IN_REQUIRED), and a citizen reaches only their own cases — another
 * person's case is the same CASE_NOT_FOUND as one that does not exist.
 */
import type { Express, Request, Response } from 'express'
import { MY_ROUTES } from '../../../../contracts/my-api'
import { checkAttributes } from '../../cases/case-attributes'
import { CitizenIdentity, type Citizen } from '../../citizens/citizen-identity'
import type { Db } from '../../db/adapter'
import { CaseError, createCase, getService, listServices } from '../../db/cases'
import { getMyCase, listMyCases } from '../../db/my-cases'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import { OidcError } from '../../identity/oidc'
import { RateLimiter } from '../../identity/rate-limit'
import type { CasePlatforms } from '../../platforms/case-platforms'

export interface MyRouteDeps {
  db: Db
  citizens: CitizenIdentity
  platforms: CasePlatforms | null
  /** The creditor body's fiscal code (pagoPA notices name it beside the notice number). */
  creditorFiscalCode: string
  /** CASE_PERSONAL_RETENTION_DAYS, told to the citizen on the report form. */
  personalRetentionDays: number
  now?: () => number
}

/** Reports a citizen may make in an hour (reliability-security §4.4 #14, as Open311's per reporter). */
export const MY_REPORTS_PER_HOUR = 10

const requestIdOf = (res: Response): string | null => (typeof res.locals.requestId === 'string' ? res.locals.requestId : null)
/** RSSMRA80A01H501U → RSSMRA•••••••501U */
export const fiscalCodeHint = (code: string) => `${code.slice(0, 6)}${'•'.repeat(Math.max(0, code.length - 10))}${code.slice(-4)}`

export function mountMyRoutes(app: Express, d: MyRouteDeps): void {
  const now = d.now ?? Date.now
  const perCitizen = new RateLimiter(MY_REPORTS_PER_HOUR, 3_600_000, now)
  const citizenOf = async (req: Request): Promise<Citizen> => {
    const c = await d.citizens.citizenOf(req)
    if (!c) throw new ApiError('CITIZEN_SIGN_IN_REQUIRED', 'Sign in with SPID or CIE to see and make your reports.')
    return c
  }
  const signInFailed = (err: unknown): never => {
    if (err instanceof OidcError) throw new ApiError(err.code === 'FORBIDDEN' ? 'FORBIDDEN' : err.reason === 'not-configured' ? 'NOT_FOUND' : 'SIGN_IN_FAILED', err.message)
    throw err
  }

  mount(app, MY_ROUTES.mySession, async ({ req, res }) => {
    res.setHeader('Cache-Control', 'no-store')
    const c = await d.citizens.citizenOf(req)
    return {
      signedIn: c !== null,
      citizen: c ? { displayName: c.displayName, fiscalCodeHint: fiscalCodeHint(c.fiscalCode), level: c.acr, expiresAtMs: c.expiresAtMs } : null,
      signInAvailable: d.citizens.rp !== null,
      retentionDays: d.personalRetentionDays,
    }
  })

  mount(app, MY_ROUTES.myServices, async ({ res }) => {
    res.setHeader('Cache-Control', 'no-cache')
    return { services: (await listServices(d.db)).map(({ office: _o, assetCollections: _a, keywords: _k, active: _active, ...s }) => s) }
  })

  mount(app, MY_ROUTES.myAuthStart, async ({ query, res }) => {
    res.redirect(302, await d.citizens.start(query.returnTo).catch(signInFailed))
    return null
  })

  mount(app, MY_ROUTES.myAuthCallback, async ({ query, req, res }) => {
    const { id, returnTo } = await d.citizens.finish(query, req, requestIdOf(res)).catch(signInFailed)
    d.citizens.setCookie(res, id)
    res.redirect(302, returnTo)
    return null
  })

  mount(app, MY_ROUTES.mySignOut, async ({ req, res }) => {
    await d.citizens.signOut(req, requestIdOf(res))
    d.citizens.clearCookie(res)
    return { signedOut: true }
  })

  mount(app, MY_ROUTES.myCases, async ({ req, res }) => {
    res.setHeader('Cache-Control', 'no-store')
    return { cases: await listMyCases(d.db, (await citizenOf(req)).ref) }
  })

  mount(app, MY_ROUTES.myCase, async ({ req, res, params }) => {
    res.setHeader('Cache-Control', 'no-store')
    const c = await getMyCase(d.db, (await citizenOf(req)).ref, params.id, d.creditorFiscalCode)
    if (!c) throw new ApiError('CASE_NOT_FOUND', `You have no report #${params.id}. Your reports: GET /api/my/cases.`)
    return c
  })

  mount(app, MY_ROUTES.myReport, async ({ req, res, body }) => {
    const citizen = await citizenOf(req)
    const service = await getService(d.db, body.serviceCode)
    if (!service || !service.active) throw new ApiError('SERVICE_NOT_FOUND', `No service ${body.serviceCode}: GET /open311/v2/services.json lists them`, [{ path: 'serviceCode', message: 'unknown service' }])
    const checked = checkAttributes(service, body.attributes)
    if (checked.problems.length > 0) throw new ApiError('VALIDATION_FAILED', checked.problems.map((p) => p.message).join('; '), checked.problems.map((p) => ({ path: `attributes.${p.code}`, message: p.message })))
    const wait = perCitizen.hit(citizen.ref)
    if (wait > 0) throw new ApiError('RATE_LIMITED', `You made ${MY_REPORTS_PER_HOUR} reports in the last hour; try again in ${Math.ceil(wait / 60)} minutes.`)
    const [firstName, ...rest] = citizen.displayName.split(' ')
    try {
      const created = await createCase(
        d.db,
        {
          serviceCode: service.code,
          lon: body.position[0],
          lat: body.position[1],
          description: body.description,
          attributes: checked.values,
          address: body.address ?? null,
          addressId: null,
          mediaUrl: null,
          personal: { fiscalCode: citizen.fiscalCode, firstName: firstName ?? '', lastName: rest.join(' ') },
          source: 'web',
          open311ClientId: null,
          citizenRef: citizen.ref,
        },
        { actor: `citizen:${citizen.ref.slice(0, 16)}`, actorRole: 'citizen', requestId: requestIdOf(res) },
        now(),
        { onCreated: (tx, c, at) => d.platforms?.reported(tx, { caseId: c.id, service: c.service, debtor: { fiscalCode: citizen.fiscalCode, fullName: citizen.displayName } }, at) ?? Promise.resolve() },
      )
      res.status(201)
      return (await getMyCase(d.db, citizen.ref, created.id, d.creditorFiscalCode))!
    } catch (e) {
      if (e instanceof CaseError) throw new ApiError(e.code, e.message, e.field ? [{ path: e.field === 'lat' ? 'position' : e.field, message: e.message }] : undefined)
      throw e
    }
  })
}
