import { useState, type FormEvent } from 'react'
import { api, ApiError, errorMessage, type Me } from '../api'

/**
 * Secure mode's login: an API key, or (when the server has console users) a username and password.
 * The server answers with a session cookie and a CSRF cookie; nothing secret is kept in the page.
 */
export function LoginPage({ methods, onLoggedIn }: { methods: string[]; onLoggedIn: (me: Me) => void }) {
  const passwords = methods.includes('password')
  const [mode, setMode] = useState<'key' | 'password'>('key')
  const [key, setKey] = useState('')
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const me = await api.login(mode === 'key' ? { api_key: key.trim() } : { username: username.trim(), password })
      setKey('')
      setPassword('')
      onLoggedIn(me)
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        setError(err.problem.detail ?? 'Too many failed logins; wait a minute and try again.')
      } else if (err instanceof ApiError && err.status === 401) {
        setError(mode === 'key' ? 'That API key is not valid or has been revoked.' : 'Wrong username or password.')
      } else {
        setError(errorMessage(err))
      }
    } finally {
      setBusy(false)
    }
  }

  const ready = mode === 'key' ? key.trim() !== '' : username.trim() !== '' && password !== ''

  return (
    <main className="mx-auto max-w-md px-4 py-12">
      <h1 className="mb-1 text-2xl font-semibold">
        Herald <span className="font-normal text-slate-500">console</span>
      </h1>
      <p className="mb-6 text-sm text-slate-600">Sign in to manage campaigns.</p>
      <form className="card space-y-4" onSubmit={submit} data-testid="login-form" aria-label="Sign in">
        {passwords && (
          <div className="flex gap-2" role="tablist" aria-label="Sign-in method">
            <button
              type="button"
              role="tab"
              aria-selected={mode === 'key'}
              className={mode === 'key' ? 'btn-primary' : 'btn-secondary'}
              onClick={() => setMode('key')}
              data-testid="login-mode-key"
            >
              API key
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={mode === 'password'}
              className={mode === 'password' ? 'btn-primary' : 'btn-secondary'}
              onClick={() => setMode('password')}
              data-testid="login-mode-password"
            >
              Username
            </button>
          </div>
        )}
        {mode === 'key' ? (
          <div>
            <label className="label" htmlFor="login-key">
              API key
            </label>
            <input
              id="login-key"
              className="input font-mono"
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder="hk_…"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              data-testid="login-key"
              autoFocus
            />
          </div>
        ) : (
          <>
            <div>
              <label className="label" htmlFor="login-username">
                Username
              </label>
              <input
                id="login-username"
                className="input"
                autoComplete="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                data-testid="login-username"
                autoFocus
              />
            </div>
            <div>
              <label className="label" htmlFor="login-password">
                Password
              </label>
              <input
                id="login-password"
                className="input"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="login-password"
              />
            </div>
          </>
        )}
        {error && (
          <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 p-2 text-sm text-rose-800" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn-primary w-full" disabled={busy || !ready} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
