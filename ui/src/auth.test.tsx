import { describe, expect, it } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router'
import { AuthProvider } from './auth'
import { Layout } from './components/Layout'
import { CampaignsPage } from './pages/CampaignsPage'
import { calls, mockFetch, problem } from './test/mocks'

const unauthorized = () =>
  problem(401, { title: 'Authentication required', detail: 'Log in', mode: 'secure', login_methods: ['api_key', 'password'] })

function renderConsole() {
  return render(
    <MemoryRouter initialEntries={['/']}>
      <AuthProvider>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<CampaignsPage />} />
          </Route>
        </Routes>
      </AuthProvider>
    </MemoryRouter>,
  )
}

describe('login', () => {
  it('shows the login form in secure mode and logs in with an API key', async () => {
    let loggedIn = false
    const fetch = mockFetch([
      ['GET', '/auth/me', () => (loggedIn ? { authenticated: true, mode: 'secure', name: 'ci', role: 'editor' } : unauthorized())],
      [
        'POST',
        '/auth/login',
        ({ init }) => {
          const body = JSON.parse(String(init?.body))
          if (body.api_key !== 'hk_good') return problem(401, { title: 'Login failed', detail: 'bad key' })
          loggedIn = true
          return { authenticated: true, mode: 'secure', name: 'ci', role: 'editor', method: 'api_key' }
        },
      ],
      ['GET', '/campaigns', () => ({ items: [], next_cursor: null })],
    ])
    document.cookie = 'XSRF-TOKEN=tok123'
    renderConsole()
    const user = userEvent.setup()

    await user.type(await screen.findByTestId('login-key'), 'hk_wrong')
    await user.click(screen.getByTestId('login-submit'))
    expect(await screen.findByTestId('login-error')).toHaveTextContent(/not valid/)

    await user.clear(screen.getByTestId('login-key'))
    await user.type(screen.getByTestId('login-key'), 'hk_good')
    await user.click(screen.getByTestId('login-submit'))

    expect(await screen.findByTestId('user-name')).toHaveTextContent('ci')
    expect(screen.getByTestId('user-role')).toHaveTextContent('editor')
    expect(screen.getByTestId('logout-button')).toBeInTheDocument()
    expect(await screen.findByTestId('campaigns-new')).toBeInTheDocument()
    // The login POST carries the CSRF token from the cookie.
    const loginCall = fetch.mock.calls.find(([, init]) => (init as RequestInit | undefined)?.method === 'POST')
    expect(((loginCall?.[1] as RequestInit).headers as Record<string, string>)['X-XSRF-TOKEN']).toBe('tok123')
    expect(calls(fetch)).toContain('POST /auth/login')
  })

  it('logs in with username and password and hides write actions from a viewer', async () => {
    let loggedIn = false
    mockFetch([
      ['GET', '/auth/me', () => (loggedIn ? { authenticated: true, mode: 'secure', name: 'bob', role: 'viewer' } : unauthorized())],
      [
        'POST',
        '/auth/login',
        ({ init }) => {
          const body = JSON.parse(String(init?.body))
          expect(body).toEqual({ username: 'bob', password: 'pw' })
          loggedIn = true
          return { authenticated: true, mode: 'secure', name: 'bob', role: 'viewer', method: 'password' }
        },
      ],
      ['GET', '/campaigns', () => ({ items: [], next_cursor: null })],
    ])
    renderConsole()
    const user = userEvent.setup()
    await user.click(await screen.findByTestId('login-mode-password'))
    await user.type(screen.getByTestId('login-username'), 'bob')
    await user.type(screen.getByTestId('login-password'), 'pw')
    await user.click(screen.getByTestId('login-submit'))

    expect(await screen.findByTestId('user-role')).toHaveTextContent('viewer')
    await screen.findByTestId('campaigns-empty')
    expect(screen.queryByTestId('campaigns-new')).not.toBeInTheDocument()
    expect(screen.queryByTestId('nav-new-campaign')).not.toBeInTheDocument()
  })

  it('says when there were too many failed logins', async () => {
    mockFetch([
      ['GET', '/auth/me', unauthorized],
      ['POST', '/auth/login', () => problem(429, { title: 'Too many failed logins', detail: 'Too many failed login attempts; try again in 6 s' })],
    ])
    renderConsole()
    const user = userEvent.setup()
    await user.type(await screen.findByTestId('login-key'), 'hk_x')
    await user.click(screen.getByTestId('login-submit'))
    expect(await screen.findByTestId('login-error')).toHaveTextContent('try again in 6 s')
  })

  it('needs no login in local mode and shows no logout button', async () => {
    mockFetch([
      ['GET', '/auth/me', () => ({ authenticated: true, mode: 'local', name: 'local', role: 'admin' })],
      ['GET', '/campaigns', () => ({ items: [], next_cursor: null })],
    ])
    renderConsole()
    await screen.findByTestId('campaigns-new')
    expect(screen.queryByTestId('login-form')).not.toBeInTheDocument()
    expect(screen.queryByTestId('logout-button')).not.toBeInTheDocument()
  })

  it('tells a webhook-role key that it cannot use the console, and lets it log out', async () => {
    let loggedIn = true
    const fetch = mockFetch([
      ['GET', '/auth/me', () => (loggedIn ? { authenticated: true, mode: 'secure', name: 'twilio', role: 'webhook' } : unauthorized())],
      ['POST', '/auth/logout', () => { loggedIn = false; return new Response(null, { status: 204 }) }],
    ])
    renderConsole()
    expect(await screen.findByTestId('webhook-role-notice')).toHaveTextContent(/twilio.*webhook.*receipts, bounces and complaints/)
    expect(screen.queryByTestId('nav-campaigns')).not.toBeInTheDocument()
    expect(calls(fetch)).not.toContain('GET /campaigns')
    await userEvent.setup().click(screen.getByTestId('logout-button'))
    await waitFor(() => expect(screen.getByTestId('login-key')).toBeInTheDocument())
  })

  it('returns to the login screen after logging out', async () => {
    let loggedIn = true
    mockFetch([
      ['GET', '/auth/me', () => (loggedIn ? { authenticated: true, mode: 'secure', name: 'ci', role: 'admin' } : unauthorized())],
      ['POST', '/auth/logout', () => { loggedIn = false; return new Response(null, { status: 204 }) }],
      ['GET', '/campaigns', () => ({ items: [], next_cursor: null })],
    ])
    renderConsole()
    const user = userEvent.setup()
    await user.click(await screen.findByTestId('logout-button'))
    await waitFor(() => expect(screen.getByTestId('login-key')).toBeInTheDocument())
  })
})
