import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { AboutResponse, SessionInfo } from '../../../contracts/api'
import { ApiError } from '../api/api-error'
import type { RestClient } from '../api/rest-client'
import { LanguageSwitch } from '../panels/language-switch'

export interface SignInPageProps {
  api: RestClient
  session: SessionInfo
  about: AboutResponse | null
  /** The one-time token of the first-run link (#setup=…), when the page was opened with it. */
  setupToken: string | null
  /** Why the page shows: the session ended, the provider refused, or a role that may not see the map. */
  notice: string | null
  onSignedIn(info: SessionInfo): void
}

/**
 * Staff sign-in (ADR 0005): the local account form, or the identity provider's button; on a first
 * run opened from the console's link, the form that creates the administrator. The city's data
 * attributions stay visible before sign-in.
 */
export function SignInPage({ api, session, about, setupToken, notice, onSignedIn }: SignInPageProps) {
  const { t } = useTranslation()
  const setup = setupToken !== null && session.setupNeeded
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (setup && password !== confirm) {
      setError(t('signIn.mismatch'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      const info = setup ? await api.setup({ token: setupToken, username, password }) : await api.signIn(username, password)
      onSignedIn(info)
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'SIGN_IN_FAILED' ? t('signIn.failed') : err instanceof Error ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }

  const returnTo = `${window.location.pathname}${window.location.search.replace(/([?&])signInError=[^&]*&?/, '$1').replace(/[?&]$/, '')}`
  return (
    <main className="sign-in-page" aria-labelledby="sign-in-title">
      <div className="sign-in-card">
        <p className="product">Gemello</p>
        <h1 id="sign-in-title">{setup ? t('signIn.setupTitle') : t('signIn.title')}</h1>
        {about && <p className="muted">{about.city.label}</p>}
        {notice && (
          <p className="sign-in-notice" role="alert">
            {notice}
          </p>
        )}
        {setup && <p>{t('signIn.setupIntro')}</p>}
        {session.signIn.oidc && !setup ? (
          <a className="primary-button" href={`/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo || '/')}`}>
            {t('signIn.withProvider')}
          </a>
        ) : (
          <form onSubmit={(e) => void submit(e)} className="sign-in-form">
            <label>
              {t('signIn.username')}
              <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
            </label>
            <label>
              {t('signIn.password')}
              <input name="password" type="password" autoComplete={setup ? 'new-password' : 'current-password'} required value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
            {setup && (
              <label>
                {t('signIn.confirm')}
                <input name="confirm" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
              </label>
            )}
            {error && (
              <p className="error-text" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="primary-button" disabled={busy}>
              {setup ? t('signIn.createAdmin') : t('signIn.submit')}
            </button>
          </form>
        )}
        {!setup && session.setupNeeded && <p className="muted">{t('signIn.firstRun')}</p>}
        <LanguageSwitch />
        {about && about.attributions.length > 0 && (
          <footer className="sign-in-attributions">
            {about.attributions.map((a) => (
              <small key={a.text}>{a.text}</small>
            ))}
          </footer>
        )}
      </div>
    </main>
  )
}
