import { useState, type FormEvent, type ReactElement } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../api/api-error'
import { useServices } from '../app/services'

/**
 * Runs a dangerous action; when the server answers STEP_UP_REQUIRED, asks the user to confirm who they
 * are (password, or the identity provider for provider accounts) and runs it again.
 */
export function useStepUp(): { run<T>(action: () => Promise<T>): Promise<T | null>; prompt: ReactElement | null } {
  const { t } = useTranslation()
  const { api, session } = useServices()
  const [pending, setPending] = useState<{ retry(): void; cancel(): void } | null>(null)
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)

  const run = <T,>(action: () => Promise<T>): Promise<T | null> =>
    action().catch((err: unknown) => {
      if (!(err instanceof ApiError) || err.code !== 'STEP_UP_REQUIRED') throw err
      if (session.user?.source === 'oidc') {
        window.location.assign(`/api/auth/oidc/start?stepUp=1&returnTo=${encodeURIComponent(window.location.pathname + window.location.search)}`)
        return null
      }
      return new Promise<T | null>((resolve, reject) => {
        setPending({
          retry: () => void action().then(resolve, reject),
          cancel: () => resolve(null),
        })
      })
    })

  const confirm = async (e: FormEvent) => {
    e.preventDefault()
    try {
      await api.signIn(session.user!.username, password)
      setPassword('')
      setError(null)
      const p = pending
      setPending(null)
      p?.retry()
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'SIGN_IN_FAILED' ? t('signIn.failed') : err instanceof Error ? err.message : String(err))
    }
  }

  const prompt = pending ? (
    <form className="step-up" onSubmit={(e) => void confirm(e)} role="dialog" aria-label={t('stepUp.title')}>
      <p>{t('stepUp.intro')}</p>
      <label>
        {t('signIn.password')}
        <input name="step-up-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} autoFocus />
      </label>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary-button">
        {t('stepUp.confirm')}
      </button>{' '}
      <button
        type="button"
        className="text-button"
        onClick={() => {
          pending.cancel()
          setPending(null)
        }}
      >
        {t('stepUp.cancel')}
      </button>
    </form>
  ) : null
  return { run, prompt }
}
