import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, redactUrl } from './config'

describe('loadConfig', () => {
  it('defaults to the embedded database and broker, with city data beside the repository', () => {
    const c = loadConfig({}, '/srv/gemello')
    expect(c.db).toEqual({ kind: 'embedded', dataDir: '/srv/gemello/.gemello-data/pglite' })
    expect(c.mqtt).toEqual({ kind: 'embedded', port: 1883, host: '127.0.0.1' })
    expect(c.cityDataDir).toBe('/srv/shared/data')
    expect(c.http).toEqual({ port: 8080, host: '127.0.0.1', trustProxy: false, publicRateLimit: 600, dashboardEmbedOrigins: ['https:'] })
    expect(c.identity).toEqual({ oidc: null, citizenOidc: null, idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000, cookieSecure: true, allowedOrigins: [], bootstrapAdmin: null })
  })

  it('reads an OpenID Connect provider, and says what is missing or wrong', () => {
    const c = loadConfig({ OIDC_ISSUER: 'https://sso.comune.bologna.it/realms/gemello/', OIDC_CLIENT_ID: 'gemello', OIDC_REDIRECT_URL: 'https://twin.comune.bologna.it/api/auth/oidc/callback', OIDC_ROLE_MAP: 'sala-operativa=operator, ufficio-traffico=traffic_engineer' })
    expect(c.identity.oidc).toMatchObject({ issuer: 'https://sso.comune.bologna.it/realms/gemello', clientSecret: null, rolesClaim: 'realm_access.roles' })
    expect([...c.identity.oidc!.roleMap]).toEqual([['sala-operativa', 'operator'], ['ufficio-traffico', 'traffic_engineer']])
    expect(() => loadConfig({ OIDC_ISSUER: 'https://sso.example/realms/x' })).toThrow(/OIDC_CLIENT_ID: required with OIDC_ISSUER[\s\S]*OIDC_REDIRECT_URL: required/)
    expect(() => loadConfig({ OIDC_CLIENT_ID: 'gemello' })).toThrow(/OIDC_CLIENT_ID: set without OIDC_ISSUER/)
    expect(() => loadConfig({ OIDC_ISSUER: 'https://sso.example/realms/x', OIDC_CLIENT_ID: 'g', OIDC_REDIRECT_URL: 'https://t.example/callback' })).toThrow(/must end in \/api\/auth\/oidc\/callback/)
    expect(() => loadConfig({ OIDC_ROLE_MAP: 'boss=superuser' })).toThrow(/"superuser" is not a Gemello role/)
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://wall.example/path' })).toThrow(/not an origin/)
    expect(() => loadConfig({ DASHBOARD_EMBED_ORIGINS: 'www.comune.bologna.it' })).toThrow(/DASHBOARD_EMBED_ORIGINS: "www.comune.bologna.it" is not "https:", "none" or an origin/)
    expect(loadConfig({}).http.dashboardEmbedOrigins).toEqual(['https:'])
    expect(loadConfig({ DASHBOARD_EMBED_ORIGINS: 'https://www.comune.bologna.it/, http://intranet.comune.bologna.it' }).http.dashboardEmbedOrigins).toEqual(['https://www.comune.bologna.it', 'http://intranet.comune.bologna.it'])
    expect(() => loadConfig({ GEMELLO_ADMIN_USERNAME: 'admin' })).toThrow(/go together/)
    expect(() => loadConfig({ OIDC_ISUER: 'typo' })).toThrow(/OIDC_ISUER: unknown setting/)
  })

  it('switches to real services when their URLs are set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/g', MQTT_URL: 'mqtt://broker:1883', REDIS_URL: 'redis://r:6379', DEVICE_KEY: 'ab'.repeat(32) })
    expect(c.db).toEqual({ kind: 'server', url: 'postgres://u:p@db:5432/g' })
    expect(c.mqtt).toEqual({ kind: 'external', url: 'mqtt://broker:1883' })
    expect(c.redisUrl).toBe('redis://r:6379')
  })

  it('lists every invalid or unknown setting in one error a person can act on', () => {
    let err: unknown
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SIM_SPEEDD: '3' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    const msg = (err as Error).message
    expect(msg).toMatch(/PORT: /)
    expect(msg).toMatch(/DATABASE_URL must start with postgres:\/\//)
    expect(msg).toMatch(/SIM_SPEEDD: unknown setting/)
    expect(msg).toMatch(/README/)
  })

  it('never prints a password', () => {
    expect(redactUrl('postgres://gemello:s3cret@db:5432/g')).toBe('postgres://gemello:***@db:5432/g')
  })

  it('runs every part in one process by default, and a part alone only on shared services', () => {
    expect([...loadConfig({}).roles].sort()).toEqual(['ingest', 'server', 'simulator'])
    const services = { DATABASE_URL: 'postgres://db/g', MQTT_URL: 'mqtt://mq:1883', REDIS_URL: 'redis://r:6379', DEVICE_KEY: 'ab'.repeat(32) }
    expect([...loadConfig({ ...services, GEMELLO_ROLES: 'server, ingest' }).roles].sort()).toEqual(['ingest', 'server'])
    // Embedded PGlite and aedes live inside one process: a server-only process cannot share them.
    expect(() => loadConfig({ GEMELLO_ROLES: 'server' })).toThrow(/GEMELLO_ROLES: "server" runs part of Gemello.*set DATABASE_URL, MQTT_URL, REDIS_URL/)
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/g', MQTT_URL: 'mqtt://mq:1883', GEMELLO_ROLES: 'ingest' })).toThrow(/set REDIS_URL/)
    expect(() => loadConfig({ ...services, GEMELLO_ROLES: 'server,injest' })).toThrow(/unknown role "injest"/)
    expect([...loadConfig({ GEMELLO_ROLES: 'all' }).roles]).toHaveLength(3)
  })
})

describe('the national platforms’ settings', () => {
  it('turns a platform on only when its address and key are set, and names what a half-set one lacks', () => {
    expect(loadConfig({}).platforms).toEqual({ appio: null, gpd: null, send: null, creditorFiscalCode: '01232710374' })
    expect(loadConfig({ IO_SUBSCRIPTION_KEY: 'io-key-0123456789abcdef' }).platforms.appio).toEqual({ baseUrl: 'https://api.io.pagopa.it/api/v1', subscriptionKey: 'io-key-0123456789abcdef' })
    expect(() => loadConfig({ PAGOPA_GPD_URL: 'https://api.uat.platform.pagopa.it/gpd/debt-positions-service/v1', PAGOPA_GPD_SUBSCRIPTION_KEY: 'gpd-key-0123456789abcdef' })).toThrow(/PAGOPA_IBAN, PAGOPA_SEGREGATION_CODE: required/)
    expect(() => loadConfig({ PAGOPA_SEGRGATION_CODE: '47' })).toThrow(/PAGOPA_SEGRGATION_CODE: unknown setting/)
  })

  it('turns SEND on with its address and api-key, the sender being the pagoPA creditor, and names what a half-set SEND lacks', () => {
    const on = { SEND_URL: 'https://api.uat.notifichedigitali.it', SEND_API_KEY: 'send-key-0123456789abcdef' }
    expect(loadConfig({ ...on, SEND_TAXONOMY_CODE: '010101P' }).platforms.send).toEqual({
      baseUrl: 'https://api.uat.notifichedigitali.it',
      apiKey: 'send-key-0123456789abcdef',
      senderTaxId: '01232710374',
      senderDenomination: 'Comune di Bologna',
      taxonomyCode: '010101P',
      notificationFeePolicy: 'FLAT_RATE',
      physicalCommunicationType: 'AR_REGISTERED_LETTER',
    })
    expect(() => loadConfig({ SEND_API_KEY: on.SEND_API_KEY })).toThrow(/SEND_URL, SEND_TAXONOMY_CODE: required to send legal notices through SEND/)
    expect(() => loadConfig({ ...on, SEND_TAXONOMY_CODE: '010101P', SEND_NOTIFICATION_FEE_POLICY: 'DELIVERY_MODE' })).toThrow(/SEND_PA_FEE_EUROCENT, SEND_VAT_PERCENT: required to send legal notices through SEND with SEND_NOTIFICATION_FEE_POLICY=DELIVERY_MODE/)
    expect(loadConfig({ ...on, SEND_TAXONOMY_CODE: '010101P', SEND_NOTIFICATION_FEE_POLICY: 'DELIVERY_MODE', SEND_PA_FEE_EUROCENT: '100', SEND_VAT_PERCENT: '22' }).platforms.send).toMatchObject({ notificationFeePolicy: 'DELIVERY_MODE', paFeeEurocent: 100, vatPercent: 22 })
    expect(() => loadConfig({ ...on, SEND_TAXONOMY_CODE: '10101P' })).toThrow(/SEND_TAXONOMY_CODE: SEND_TAXONOMY_CODE is a SEND taxonomy code/)
    expect(() => loadConfig({ ...on, SEND_TAXONOMY_CODE: '010101P', PAGOPA_CREDITOR_NAME: 'C'.repeat(89) })).toThrow(/PAGOPA_CREDITOR_NAME: SEND shows the sender in at most 88 characters/)
    expect(() => loadConfig({ SEND_TAXONMY_CODE: '010101P' })).toThrow(/SEND_TAXONMY_CODE: unknown setting/)
  })

  it('needs the citizens’ gateway’s client and callback, and the callback at /api/my/auth/callback', () => {
    expect(() => loadConfig({ CITIZEN_OIDC_ISSUER: 'https://login.example.org/oidc' })).toThrow(/CITIZEN_OIDC_CLIENT_ID: required/)
    expect(() => loadConfig({ CITIZEN_OIDC_ISSUER: 'https://login.example.org/oidc', CITIZEN_OIDC_CLIENT_ID: 'g', CITIZEN_OIDC_REDIRECT_URL: 'https://g.example.org/cb' })).toThrow(/must end in \/api\/my\/auth\/callback/)
    const c = loadConfig({ CITIZEN_OIDC_ISSUER: 'https://login.example.org/oidc/', CITIZEN_OIDC_CLIENT_ID: 'g', CITIZEN_OIDC_REDIRECT_URL: 'https://g.example.org/api/my/auth/callback' })
    expect(c.identity.citizenOidc).toMatchObject({ issuer: 'https://login.example.org/oidc', fiscalCodeClaim: 'fiscal_number', acr: ['https://www.spid.gov.it/SpidL2', 'https://www.spid.gov.it/SpidL3'] })
  })
})
