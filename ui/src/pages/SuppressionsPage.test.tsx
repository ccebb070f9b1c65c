import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes, useLocation } from 'react-router'
import { describe, expect, it } from 'vitest'
import type { Suppression } from '../api'
import { AuthProvider } from '../auth'
import { calls, json, mockFetch, problem, type Route as MockRoute } from '../test/mocks'
import { SuppressionsPage } from './SuppressionsPage'

const entry = (over: Partial<Suppression>): Suppression => ({
  id: 1,
  address: 'a@b.com',
  channel: 'email',
  reason: 'manual',
  detail: null,
  recipient_id: null,
  campaign_id: null,
  created_by: 'local',
  created_at: '2025-01-01T00:00:00Z',
  ...over,
})

const seed = (): Suppression[] => [
  entry({ id: 4, address: 'hiro@example.com', reason: 'complaint', recipient_id: 8, campaign_id: 1, created_by: 'webhook:ses' }),
  entry({ id: 3, address: 'bob@example.com', reason: 'hard_bounce', detail: '550 5.1.1 user unknown', recipient_id: 2, campaign_id: 1 }),
  entry({ id: 2, address: '+886912345678', channel: 'sms', reason: 'manual', detail: 'asked by phone' }),
]

/** An in-memory suppression list behind the mocked API, paged 2 at a time when `limit=2`. */
function server(list = seed()) {
  let nextId = 10
  const routes: MockRoute[] = [
    [
      'GET',
      /^\/suppressions/,
      ({ url }) => {
        const reason = url.searchParams.get('reason')
        const q = url.searchParams.get('q')
        const cursor = url.searchParams.get('cursor')
        let items = list.filter((s) => (!reason || s.reason === reason) && (!q || s.address.includes(q)))
        if (cursor) items = items.filter((s) => s.id < Number(cursor))
        const limit = Number(url.searchParams.get('limit') ?? 50)
        const page = items.slice(0, limit)
        return { items: page, next_cursor: items.length > limit ? String(page[page.length - 1].id) : null }
      },
    ],
    [
      'POST',
      '/suppressions',
      ({ init }) => {
        const body = JSON.parse(String(init?.body)) as { address?: string; detail?: string }
        const address = (body.address ?? '').toLowerCase()
        if (!address.includes('@') && !address.startsWith('+')) {
          return problem(400, { title: 'Invalid input', detail: `address "${address}" is not a phone number`, errors: [{ field: 'address', message: `"${address}" is not a phone number` }] })
        }
        const existing = list.find((s) => s.address === address)
        if (existing) {
          const message = `${address} is already on the suppression list (${existing.reason})`
          return problem(409, { title: 'Already suppressed', detail: message, errors: [{ field: 'address', message }], existing_id: existing.id })
        }
        const added = entry({ id: nextId++, address, detail: body.detail ?? null })
        list.unshift(added)
        return json(added, 201)
      },
    ],
    [
      'DELETE',
      /^\/suppressions\/\d+$/,
      ({ url }) => {
        const id = Number(url.pathname.split('/').pop())
        const i = list.findIndex((s) => s.id === id)
        if (i < 0) return problem(404, { title: 'Not found', detail: `no suppression with id ${id}` })
        list.splice(i, 1)
        return new Response(null, { status: 204 })
      },
    ],
  ]
  return { list, routes }
}

function Where() {
  const l = useLocation()
  return <span data-testid="where">{l.pathname + l.search}</span>
}

function renderPage(path = '/suppressions') {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route
          path="/suppressions"
          element={
            <>
              <SuppressionsPage />
              <Where />
            </>
          }
        />
        <Route path="/campaigns/:id" element={<Where />} />
      </Routes>
    </MemoryRouter>,
  )
}

const rows = () => screen.getAllByTestId('suppression-row')
const addresses = () => screen.getAllByTestId('suppression-row-address').map((c) => c.textContent)

describe('SuppressionsPage list', () => {
  it('lists addresses with channel, reason badge, detail, campaign link, who and when', async () => {
    const { routes } = server()
    mockFetch(routes)
    renderPage()
    await screen.findAllByTestId('suppression-row')
    expect(addresses()).toEqual(['hiro@example.com', 'bob@example.com', '+886912345678'])
    const [hiro, bob, phone] = rows()
    expect(hiro).toHaveAttribute('data-reason', 'complaint')
    expect(within(hiro).getByTestId('suppression-reason')).toHaveTextContent('Complaint')
    expect(hiro).toHaveTextContent('webhook:ses')
    expect(within(bob).getByTestId('suppression-reason')).toHaveTextContent('Hard bounce')
    expect(within(bob).getByTestId('suppression-detail')).toHaveTextContent('550 5.1.1 user unknown')
    expect(within(phone).getByTestId('suppression-reason')).toHaveAttribute('data-reason', 'manual')
    expect(within(phone).getByText('SMS')).toBeInTheDocument()
    expect(within(phone).queryByTestId('suppression-campaign-link')).not.toBeInTheDocument()

    await userEvent.setup().click(within(bob).getByTestId('suppression-campaign-link'))
    expect(screen.getByTestId('where')).toHaveTextContent('/campaigns/1')
  })

  it('filters by reason (kept in the URL) and by part of the address', async () => {
    const { routes } = server()
    const fetchMock = mockFetch(routes)
    renderPage()
    await screen.findAllByTestId('suppression-row')
    const user = userEvent.setup()

    await user.selectOptions(screen.getByTestId('suppressions-reason-filter'), 'hard_bounce')
    await waitFor(() => expect(addresses()).toEqual(['bob@example.com']))
    expect(screen.getByTestId('where')).toHaveTextContent('/suppressions?reason=hard_bounce')
    expect(calls(fetchMock)).toContain('GET /suppressions?reason=hard_bounce&limit=50')

    await user.selectOptions(screen.getByTestId('suppressions-reason-filter'), '')
    await user.type(screen.getByTestId('suppressions-search'), '+886')
    await waitFor(() => expect(addresses()).toEqual(['+886912345678']))
    expect(calls(fetchMock)).toContain('GET /suppressions?q=+886&limit=50')

    await user.type(screen.getByTestId('suppressions-search'), '0000')
    expect(await screen.findByTestId('suppressions-empty')).toHaveTextContent('No suppressed address matches these filters.')
  })

  it('opens with the reason of the URL and pages on with the cursor', async () => {
    const many = Array.from({ length: 60 }, (_, i) => entry({ id: 100 - i, address: `u${100 - i}@x.io`, reason: 'hard_bounce' }))
    const { routes } = server([...many, entry({ id: 1, address: 'keep@x.io', reason: 'manual' })])
    const fetchMock = mockFetch(routes)
    renderPage('/suppressions?reason=hard_bounce')
    await waitFor(() => expect(rows()).toHaveLength(50))
    expect(screen.getByTestId('suppressions-reason-filter')).toHaveValue('hard_bounce')
    await userEvent.setup().click(screen.getByTestId('suppressions-load-more'))
    await waitFor(() => expect(rows()).toHaveLength(60))
    expect(calls(fetchMock)).toContain('GET /suppressions?reason=hard_bounce&limit=50&cursor=51')
    expect(screen.queryByTestId('suppressions-load-more')).not.toBeInTheDocument()
  })

  it('says so when the list is empty', async () => {
    mockFetch(server([]).routes)
    renderPage()
    expect(await screen.findByTestId('suppressions-empty')).toHaveTextContent(/Nothing is suppressed yet/)
  })
})

describe('SuppressionsPage add and remove', () => {
  it('adds an address and lists it; shows the 400 and 409 messages under the address', async () => {
    const { routes } = server()
    const fetchMock = mockFetch(routes)
    renderPage()
    await screen.findAllByTestId('suppression-row')
    const user = userEvent.setup()
    const input = screen.getByTestId('suppression-address-input')
    expect(screen.getByTestId('suppression-add-submit')).toBeDisabled()

    await user.type(input, 'nope')
    await user.click(screen.getByTestId('suppression-add-submit'))
    expect(await screen.findByTestId('field-error-address')).toHaveTextContent('"nope" is not a phone number')
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(input).toHaveFocus()
    // Typing again clears the message.
    await user.clear(input)
    expect(screen.queryByTestId('field-error-address')).not.toBeInTheDocument()

    await user.type(input, 'New@Example.com')
    await user.type(screen.getByTestId('suppression-detail-input'), 'asked by phone')
    await user.click(screen.getByTestId('suppression-add-submit'))
    expect(await screen.findByTestId('suppressions-notice')).toHaveTextContent('new@example.com added to the suppression list.')
    await waitFor(() => expect(addresses()[0]).toBe('new@example.com'))
    expect(within(rows()[0]).getByTestId('suppression-detail')).toHaveTextContent('asked by phone')
    expect(input).toHaveValue('')
    const posts = fetchMock.mock.calls.filter(([, init]) => (init as RequestInit | undefined)?.method === 'POST')
    expect(JSON.parse(String((posts[1][1] as RequestInit).body))).toEqual({ address: 'New@Example.com', detail: 'asked by phone' })

    await user.type(input, 'bob@example.com')
    await user.click(screen.getByTestId('suppression-add-submit'))
    expect(await screen.findByTestId('field-error-address')).toHaveTextContent(
      'bob@example.com is already on the suppression list (hard_bounce)',
    )
    // The earlier "added" notice is not left standing beside the error.
    expect(screen.queryByTestId('suppressions-notice')).not.toBeInTheDocument()
    expect(screen.queryByTestId('suppression-add-error')).not.toBeInTheDocument()
  })

  it('shows a problem without a field error above the form', async () => {
    mockFetch([
      ['POST', '/suppressions', () => problem(503, { title: 'Service Unavailable', detail: 'database is down' })],
      ...server().routes,
    ])
    renderPage()
    await screen.findAllByTestId('suppression-row')
    const user = userEvent.setup()
    await user.type(screen.getByTestId('suppression-address-input'), 'x@y.com')
    await user.click(screen.getByTestId('suppression-add-submit'))
    expect(await screen.findByTestId('suppression-add-error')).toHaveTextContent('database is down')
    expect(screen.queryByTestId('field-error-address')).not.toBeInTheDocument()
  })

  it('removes an address after confirming, and not when the dialog is dismissed', async () => {
    const { routes, list } = server()
    const fetchMock = mockFetch(routes)
    renderPage()
    await screen.findAllByTestId('suppression-row')
    const user = userEvent.setup()
    const bob = rows()[1]

    await user.click(within(bob).getByTestId('suppression-remove'))
    const dialog = screen.getByTestId('confirm-dialog')
    expect(dialog).toHaveTextContent('bob@example.com will be messaged again')
    expect(dialog).toHaveTextContent('Its recipient becomes ACTIVE again')
    await user.click(screen.getByTestId('confirm-dismiss'))
    expect(screen.queryByTestId('confirm-dialog')).not.toBeInTheDocument()
    expect(calls(fetchMock).some((c) => c.startsWith('DELETE'))).toBe(false)

    await user.click(within(rows()[1]).getByTestId('suppression-remove'))
    await user.click(screen.getByTestId('confirm-button'))
    expect(await screen.findByTestId('suppressions-notice')).toHaveTextContent('bob@example.com removed from the suppression list.')
    await waitFor(() => expect(addresses()).toEqual(['hiro@example.com', '+886912345678']))
    expect(calls(fetchMock)).toContain('DELETE /suppressions/3')
    expect(list.map((s) => s.id)).toEqual([4, 2])
  })

  it('shows the problem when the address was already removed elsewhere, and reloads', async () => {
    const { routes, list } = server()
    mockFetch(routes)
    renderPage()
    await screen.findAllByTestId('suppression-row')
    list.splice(1, 1) // someone else removed bob meanwhile
    const user = userEvent.setup()
    await user.click(within(rows()[1]).getByTestId('suppression-remove'))
    await user.click(screen.getByTestId('confirm-button'))
    expect(await screen.findByTestId('suppression-remove-error')).toHaveTextContent('no suppression with id 3')
    await waitFor(() => expect(addresses()).toEqual(['hiro@example.com', '+886912345678']))
  })

  it('offers a viewer neither the form nor the remove buttons', async () => {
    mockFetch([['GET', '/auth/me', () => ({ authenticated: true, mode: 'secure', name: 'val', role: 'viewer' })], ...server().routes])
    render(
      <MemoryRouter initialEntries={['/suppressions']}>
        <AuthProvider>
          <SuppressionsPage />
        </AuthProvider>
      </MemoryRouter>,
    )
    await screen.findAllByTestId('suppression-row')
    expect(rows()).toHaveLength(3)
    expect(screen.queryByTestId('suppression-form')).not.toBeInTheDocument()
    expect(screen.queryByTestId('suppression-remove')).not.toBeInTheDocument()
  })
})
