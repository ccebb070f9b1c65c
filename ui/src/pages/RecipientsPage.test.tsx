import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { describe, expect, it } from 'vitest'
import type { Recipient } from '../api'
import { calls, mockFetch, problem } from '../test/mocks'
import { RecipientsPage } from './RecipientsPage'

const recipient = (over: Partial<Recipient>): Recipient => ({
  id: 1,
  name: 'Ann',
  email: 'ann@x.io',
  phone: null,
  tags: [],
  attributes: {},
  status: 'ACTIVE',
  status_reason: null,
  created_at: '2025-01-01T00:00:00Z',
  ...over,
})

const all = [
  recipient({ id: 3, name: 'Bob', email: 'bob@x.io', status: 'BOUNCED', status_reason: 'hard bounce: 550 5.1.1 user unknown' }),
  recipient({ id: 2, name: 'Hiro', email: 'hiro@x.io', status: 'UNSUBSCRIBED', status_reason: 'complaint' }),
  recipient({ id: 1 }),
]

function renderPage() {
  return render(
    <MemoryRouter>
      <RecipientsPage />
    </MemoryRouter>,
  )
}

describe('RecipientsPage statuses', () => {
  it('shows BOUNCED and UNSUBSCRIBED recipients with the reason, and filters by status', async () => {
    const fetchMock = mockFetch([
      ['GET', '/tags', () => ({ items: [] })],
      [
        'GET',
        /^\/recipients/,
        ({ url }) => {
          const status = url.searchParams.get('status')
          return { items: status ? all.filter((r) => r.status === status) : all, next_cursor: null }
        },
      ],
    ])
    renderPage()
    const rows = await screen.findAllByTestId('recipient-row')
    expect(rows).toHaveLength(3)
    const bob = rows[0]
    expect(within(bob).getByTestId('recipient-status')).toHaveAttribute('data-status', 'BOUNCED')
    expect(within(bob).getByTestId('recipient-status')).toHaveTextContent('BOUNCED')
    expect(within(bob).getByTestId('recipient-status-reason')).toHaveTextContent('hard bounce: 550 5.1.1 user unknown')
    expect(within(bob).getByTestId('recipient-status').parentElement).toHaveAttribute('title', 'hard bounce: 550 5.1.1 user unknown')
    expect(within(rows[1]).getByTestId('recipient-status-reason')).toHaveTextContent('complaint')
    expect(within(rows[2]).queryByTestId('recipient-status-reason')).not.toBeInTheDocument()

    await userEvent.setup().selectOptions(screen.getByTestId('recipients-status-filter'), 'BOUNCED')
    await waitFor(() => expect(screen.getAllByTestId('recipient-row')).toHaveLength(1))
    expect(screen.getByTestId('recipient-row')).toHaveTextContent('Bob')
    expect(calls(fetchMock)).toContain('GET /recipients?status=BOUNCED&limit=50')
  })

  it('says no recipient matches when the status filter finds none', async () => {
    mockFetch([
      ['GET', '/tags', () => ({ items: [] })],
      ['GET', /^\/recipients/, ({ url }) => ({ items: url.searchParams.get('status') ? [] : all, next_cursor: null })],
    ])
    renderPage()
    await screen.findAllByTestId('recipient-row')
    await userEvent.setup().selectOptions(screen.getByTestId('recipients-status-filter'), 'BOUNCED')
    expect(await screen.findByTestId('recipients-empty')).toHaveTextContent('No recipient matches these filters.')
  })
})

describe('RecipientsPage segment filter', () => {
  it('filters by a segment expression and marks the column of one that does not parse', async () => {
    const fetchMock = mockFetch([
      ['GET', '/tags', () => ({ items: [{ tag: 'vip', count: 1 }] })],
      [
        'GET',
        /^\/recipients/,
        ({ url }) => {
          const segment = url.searchParams.get('segment')
          if (segment === 'vip and or x') {
            return problem(400, { title: 'Invalid input', detail: 'segment: column 9: unexpected "or"', errors: [{ field: 'segment', message: 'column 9: unexpected "or"', column: 9 }] })
          }
          return { items: segment === 'vip and city = "Taipei"' ? [all[2]] : all, next_cursor: null }
        },
      ],
    ])
    renderPage()
    expect(await screen.findAllByTestId('recipient-row')).toHaveLength(3)
    const user = userEvent.setup()
    const filter = screen.getByTestId('recipients-tag-filter')
    await user.type(filter, 'vip and city = "Taipei"')
    await waitFor(() => expect(screen.getAllByTestId('recipient-row')).toHaveLength(1))
    expect(calls(fetchMock).at(-1)).toBe('GET /recipients?segment=vip+and+city+=+"Taipei"&limit=50')

    await user.clear(filter)
    await user.type(filter, 'vip and or x')
    const mark = await screen.findByTestId('segment-error-mark')
    expect(mark).toHaveAttribute('data-column', '9')
    expect(mark).toHaveTextContent('or')
    expect(filter).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByTestId('recipients-error')).toHaveTextContent('column 9')
  })
})
