import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { STAFF_ROLES, type Role } from '../../../contracts/access'
import type { StaffUser } from '../api/rest-client'
import { useServices } from '../app/services'
import { SideSheet } from './side-sheet'
import { useStepUp } from './step-up'

/** Staff accounts (users:admin): roles, disable, create a local account. Changes need a recent sign-in. */
export function UsersPanel({ onClose }: { onClose(): void }) {
  const { t } = useTranslation()
  const { api, session } = useServices()
  const { run, prompt } = useStepUp()
  const [users, setUsers] = useState<StaffUser[]>([])
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [draft, setDraft] = useState<{ username: string; password: string; roles: Role[] }>({ username: '', password: '', roles: ['operator'] })

  const load = useCallback(() => {
    void run(() => api.listUsers())
      .then((r) => r && setUsers(r.users))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
  }, [api, run])
  useEffect(load, [])

  const act = (what: () => Promise<unknown>, message: string) => {
    setError(null)
    setDone(null)
    void run(what)
      .then((r) => {
        if (r !== null) {
          setDone(message)
          load()
        }
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
  }

  const create = (e: FormEvent) => {
    e.preventDefault()
    act(() => api.createUser(draft), t('users.created', { username: draft.username }))
  }
  const toggleRole = (roles: Role[], r: Role) => (roles.includes(r) ? roles.filter((x) => x !== r) : [...roles, r])

  return (
    <SideSheet title={t('users.title')} closeLabel={t('users.close')} onClose={onClose} side="right" wide className="users-panel">
      {prompt}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {done && <p role="status">{done}</p>}
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t('users.username')}</th>
            <th scope="col">{t('users.roles')}</th>
            <th scope="col">{t('users.sessions')}</th>
            <th scope="col">{t('users.state')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.username} data-username={u.username}>
              <td>
                {u.displayName} <code>{u.username}</code> <small className="muted">{u.source === 'oidc' ? t('users.provider') : t('users.local')}</small>
              </td>
              <td>
                {STAFF_ROLES.map((r) => (
                  <label key={r} className="role-toggle">
                    <input
                      type="checkbox"
                      checked={u.roles.includes(r)}
                      disabled={u.source === 'oidc'}
                      title={u.source === 'oidc' ? t('users.providerRoles') : undefined}
                      onChange={() => act(() => api.updateUser(u.username, { roles: toggleRole(u.roles, r) }), t('users.updated', { username: u.username }))}
                    />
                    {t(`roles.${r}`)}
                  </label>
                ))}
              </td>
              <td>{u.activeSessions}</td>
              <td>
                <button
                  type="button"
                  className="text-button"
                  disabled={u.username === session.user?.username}
                  onClick={() => act(() => api.updateUser(u.username, { disabled: !u.disabled }), t('users.updated', { username: u.username }))}
                >
                  {u.disabled ? t('users.enable') : t('users.disable')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="users-create" onSubmit={create}>
        <h3>{t('users.create')}</h3>
        <label>
          {t('users.username')}
          <input name="new-username" required value={draft.username} onChange={(e) => setDraft({ ...draft, username: e.target.value })} />
        </label>
        <label>
          {t('signIn.password')}
          <input name="new-password" type="password" autoComplete="new-password" required minLength={12} value={draft.password} onChange={(e) => setDraft({ ...draft, password: e.target.value })} />
        </label>
        <fieldset>
          <legend>{t('users.roles')}</legend>
          {STAFF_ROLES.map((r) => (
            <label key={r} className="role-toggle">
              <input type="checkbox" name={`new-role-${r}`} checked={draft.roles.includes(r)} onChange={() => setDraft({ ...draft, roles: toggleRole(draft.roles, r) })} />
              {t(`roles.${r}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary-button">
          {t('users.createSubmit')}
        </button>
      </form>
    </SideSheet>
  )
}
