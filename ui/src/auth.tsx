import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import { api, ApiError, UNAUTHORIZED_EVENT, type Me, type Role } from './api'
import { ErrorBox } from './components/ErrorBox'
import { Loading } from './components/Loading'
import { LoginPage } from './pages/LoginPage'

// webhook keys stand outside the ladder: they may only report receipts and bounces (/webhooks/**).
const RANK: Record<Role, number> = { webhook: -1, viewer: 0, editor: 1, admin: 2 }

export interface Auth {
  me: Me
  /** editor or admin: create/edit/send/pause/resume/cancel campaigns, import recipients */
  canWrite: boolean
  /** admin: API keys, audit log */
  canAdmin: boolean
  logout: () => Promise<void>
}

export function authFor(me: Me, logout: () => Promise<void> = async () => {}): Auth {
  return { me, canWrite: RANK[me.role] >= RANK.editor, canAdmin: me.role === 'admin', logout }
}

// Outside an AuthProvider (component tests) the console behaves as in local mode: everything allowed.
const LOCAL: Me = { authenticated: true, mode: 'local', name: 'local', role: 'admin' }
const AuthContext = createContext<Auth>(authFor(LOCAL))

export function useAuth(): Auth {
  return useContext(AuthContext)
}

type State = { kind: 'loading' } | { kind: 'in'; me: Me } | { kind: 'out'; methods: string[] } | { kind: 'error'; error: unknown }

/**
 * Asks GET /auth/me who the user is. Local mode answers at once (no login); secure mode answers 401
 * until the user logs in with an API key or a username and password. A 401 on any later call (session
 * expired, key revoked) brings the login screen back.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'loading' })

  const check = useCallback(async () => {
    try {
      setState({ kind: 'in', me: await api.me() })
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        const methods = (e.problem as { login_methods?: string[] }).login_methods
        setState({ kind: 'out', methods: Array.isArray(methods) && methods.length ? methods : ['api_key'] })
      } else {
        setState({ kind: 'error', error: e })
      }
    }
  }, [])

  useEffect(() => {
    void check()
    const onUnauthorized = () => void check()
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized)
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized)
  }, [check])

  const logout = useCallback(async () => {
    try {
      await api.logout()
    } finally {
      await check()
    }
  }, [check])

  if (state.kind === 'loading') return <Loading label="Checking your session…" />
  if (state.kind === 'error') {
    return (
      <main className="mx-auto max-w-md px-4 py-10">
        <ErrorBox error={state.error} onRetry={() => void check()} />
      </main>
    )
  }
  if (state.kind === 'out') return <LoginPage methods={state.methods} onLoggedIn={(me) => setState({ kind: 'in', me })} />
  if (state.me.role === 'webhook') return <WebhookKeyNotice name={state.me.name} onLogout={logout} />
  return <AuthContext.Provider value={authFor(state.me, logout)}>{children}</AuthContext.Provider>
}

/** A webhook-role key can log in but may read nothing: say so instead of a console full of 403s. */
function WebhookKeyNotice({ name, onLogout }: { name: string; onLogout: () => Promise<void> }) {
  return (
    <main className="mx-auto max-w-md px-4 py-10">
      <div className="card space-y-3" data-testid="webhook-role-notice">
        <h1 className="text-lg font-semibold">This key is for provider webhooks</h1>
        <p className="text-sm text-slate-600">
          <strong>{name}</strong> has the <code className="rounded bg-slate-100 px-1">webhook</code> role: it may only report
          delivery receipts, bounces and complaints (<code className="rounded bg-slate-100 px-1">/webhooks/…</code>), not use
          the console. Sign in with a viewer, editor or admin key instead.
        </p>
        <button type="button" className="btn-secondary" onClick={() => void onLogout()} data-testid="logout-button">
          Log out
        </button>
      </div>
    </main>
  )
}
