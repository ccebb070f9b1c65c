import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes, useLocation } from 'react-router'
import { afterEach, describe, expect, it } from 'vitest'
import type { OpsSummary, WorkerInfo } from '../api'
import { calls, mockFetch, problem, type Route as MockRoute } from '../test/mocks'
import { OperationsPage } from './OperationsPage'

const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

const worker = (over: Partial<WorkerInfo>): WorkerInfo => ({
  id: 'w-1',
  host: 'worker-a',
  pid: 1001,
  roles: ['worker'],
  transport: 'rabbitmq',
  started_at: ago(3_600_000),
  last_heartbeat_at: ago(4_000),
  batches_last_minute: 3,
  messages_last_minute: 1500,
  state: 'alive',
  ...over,
})

const workers = (): WorkerInfo[] => [
  worker({ id: 'w-1', host: 'worker-a', pid: 1001 }),
  worker({ id: 'w-2', host: 'worker-b', pid: 1002, last_heartbeat_at: ago(185_000), batches_last_minute: 0, messages_last_minute: 0, state: 'lost' }),
  worker({ id: 'api-1', host: 'api-a', pid: 900, roles: ['api', 'scheduler'], batches_last_minute: 0, messages_last_minute: 0 }),
]

/** Three minutes of throughput: 600 sent, 40 failed, then a quiet minute. */
const summary = (over: Partial<OpsSummary> = {}): OpsSummary => ({
  queues: [
    { transport: 'rabbitmq', queue: 'herald.deliveries', depth: 1234, kind: 'depth' },
    { transport: 'kafka', queue: 'herald.deliveries', depth: 56, kind: 'lag' },
  ],
  messages_per_second: 812.5,
  throughput: [
    { at: '2026-12-01T11:57:00Z', sent: 250, failed: 10 },
    { at: '2026-12-01T11:58:00Z', sent: 350, failed: 30 },
    { at: '2026-12-01T11:59:00Z', sent: 0, failed: 0 },
  ],
  failures_per_minute: [
    { channel: 'email', provider: 'webhook', failures: 30 },
    { channel: 'sms', provider: 'http-sms', failures: 0 },
  ],
  dead_letters: 7,
  campaigns_sending: [{ id: 7, name: 'Spring sale', sent: 600, failed: 40, total: 2000 }],
  workers: { alive: 2, lost: 1 },
  providers: [
    { channel: 'email', provider: 'webhook', state: 'OPEN' },
    { channel: 'sms', provider: 'http-sms', state: 'CLOSED' },
  ],
  ...over,
})

const emptySummary = (): OpsSummary => ({
  queues: [],
  messages_per_second: 0,
  throughput: [],
  failures_per_minute: [],
  dead_letters: 0,
  campaigns_sending: [],
  workers: { alive: 0, lost: 0 },
  providers: [],
})

const routes = (w: () => unknown = () => ({ items: workers() }), s: () => unknown = () => summary()): MockRoute[] => [
  ['GET', '/workers', w],
  ['GET', '/ops/summary', s],
]

function Where() {
  const l = useLocation()
  return <span data-testid="where">{l.pathname}</span>
}

function renderPage(pollMs = 60_000) {
  return render(
    <MemoryRouter initialEntries={['/ops']}>
      <Routes>
        <Route path="/ops" element={<OperationsPage pollMs={pollMs} />} />
        <Route path="/campaigns/:id" element={<Where />} />
      </Routes>
    </MemoryRouter>,
  )
}

const setVisibility = (state: 'visible' | 'hidden') => {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
  document.dispatchEvent(new Event('visibilitychange'))
}

afterEach(() => {
  // Back to jsdom's own (visible) getter.
  delete (document as unknown as Record<string, unknown>).visibilityState
})

describe('OperationsPage', () => {
  it('lists the workers, the lost one first and highlighted, with heartbeats as relative times', async () => {
    mockFetch(routes())
    renderPage()
    await screen.findAllByTestId('worker-row')
    const rows = screen.getAllByTestId('worker-row')
    expect(rows.map((r) => r.getAttribute('data-worker-id'))).toEqual(['w-2', 'w-1', 'api-1'])

    const [lost, alive, apiRow] = rows
    expect(lost).toHaveAttribute('data-state', 'lost')
    expect(lost).toHaveClass('bg-rose-50')
    expect(within(lost).getByTestId('worker-state')).toHaveTextContent('lost')
    expect(within(lost).getByTestId('worker-heartbeat')).toHaveTextContent('3 minutes ago')
    expect(alive).not.toHaveClass('bg-rose-50')
    expect(within(alive).getByTestId('worker-state')).toHaveTextContent('alive')
    expect(within(alive).getByTestId('worker-heartbeat').textContent).toMatch(/^\d seconds ago$/)
    expect(within(alive).getByTestId('worker-host')).toHaveTextContent('worker-a')
    expect(within(alive).getByTestId('worker-pid')).toHaveTextContent('1001')
    expect(within(alive).getByTestId('worker-batches')).toHaveTextContent('3')
    expect(within(alive).getByTestId('worker-messages')).toHaveTextContent((1500).toLocaleString())
    expect(alive).toHaveTextContent('rabbitmq')
    expect(apiRow).toHaveTextContent('api, scheduler')

    // Column headers are real table headers, for screen readers.
    const table = screen.getByTestId('ops-workers-table')
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Host', 'PID', 'Roles', 'Transport', 'Started', 'Last heartbeat', 'Batches / min', 'Messages / min', 'State',
    ])
    expect(screen.getByRole('heading', { name: 'Workers' })).toBeInTheDocument()
  })

  it('shows queue depth and lag, the tiles, breakers, failures, campaigns sending and the hour chart', async () => {
    mockFetch(routes())
    renderPage()
    const queues = await screen.findAllByTestId('queue-row')
    expect(queues.map((q) => [q.getAttribute('data-queue'), q.getAttribute('data-kind')])).toEqual([
      ['herald.deliveries', 'depth'],
      ['herald.deliveries', 'lag'],
    ])
    expect(within(queues[0]).getByTestId('queue-depth')).toHaveTextContent(`${(1234).toLocaleString()} in queue`)
    expect(queues[0]).toHaveTextContent('rabbitmq')
    expect(within(queues[1]).getByTestId('queue-depth')).toHaveTextContent('56 lag')
    expect(queues[1]).toHaveTextContent('kafka')

    expect(screen.getByTestId('ops-messages-per-second')).toHaveTextContent('812.5')
    expect(screen.getByTestId('ops-workers-alive')).toHaveTextContent('2')
    expect(screen.getByTestId('ops-workers-lost')).toHaveTextContent('1')
    expect(screen.getByTestId('ops-workers-lost')).toHaveClass('text-rose-700')
    expect(screen.getByTestId('ops-dead-letters')).toHaveTextContent('7')

    const providers = screen.getAllByTestId('provider-row')
    expect(providers.map((p) => [p.getAttribute('data-provider'), p.getAttribute('data-state')])).toEqual([
      ['webhook', 'OPEN'],
      ['http-sms', 'CLOSED'],
    ])
    expect(within(providers[0]).getByTestId('provider-state')).toHaveTextContent('open')
    expect(providers[0]).toHaveTextContent('outage: messages wait')

    const failures = screen.getAllByTestId('failure-row')
    expect(failures.map((f) => within(f).getByTestId('failure-count').textContent)).toEqual(['30', '0'])
    expect(failures[0]).toHaveTextContent('email')

    const campaign = screen.getByTestId('ops-campaign-row')
    expect(within(campaign).getByTestId('ops-campaign-counts')).toHaveTextContent('600 / 2,000 sent · 40 failed')
    const bar = within(campaign).getByRole('progressbar')
    expect(bar).toHaveAttribute('aria-valuenow', '600')
    expect(bar).toHaveAttribute('aria-valuemax', '2000')

    // The chart (lazy) with the hour's totals in text.
    const chart = await screen.findByTestId('ops-throughput-chart')
    expect(chart).toHaveAttribute('data-points', '3')
    expect(screen.getByTestId('ops-hour-sent')).toHaveTextContent('600')
    expect(screen.getByTestId('ops-hour-failed')).toHaveTextContent('40')
    expect(chart).toHaveTextContent('(6.3% errors)')

    await userEvent.setup().click(within(campaign).getByTestId('ops-campaign-link'))
    expect(screen.getByTestId('where')).toHaveTextContent('/campaigns/7')
  })

  it('says what is empty: no workers, queues, breakers, failures, campaigns or deliveries', async () => {
    mockFetch(routes(() => ({ items: [] }), emptySummary))
    renderPage()
    expect(await screen.findByTestId('ops-workers-empty')).toHaveTextContent('No process has reported a heartbeat')
    expect(screen.getByTestId('ops-queues-empty')).toHaveTextContent('No queue reported.')
    expect(screen.getByTestId('ops-providers-empty')).toBeInTheDocument()
    expect(screen.getByTestId('ops-failures-empty')).toBeInTheDocument()
    expect(screen.getByTestId('ops-campaigns-empty')).toHaveTextContent('No campaign is sending right now.')
    expect(await screen.findByTestId('ops-throughput-empty')).toHaveTextContent('Nothing was delivered in the last hour.')
    expect(screen.getByTestId('ops-hour-sent')).toHaveTextContent('0')
    expect(screen.getByTestId('ops-workers-lost')).not.toHaveClass('text-rose-700')
    expect(screen.queryByTestId('worker-row')).not.toBeInTheDocument()
  })

  it("shows the API's problem when nothing could be loaded, and loads on Try again", async () => {
    let down = true
    const fetchMock = mockFetch(
      routes(
        () => (down ? problem(503, { title: 'Service Unavailable', detail: 'database is down' }) : { items: workers() }),
        () => (down ? problem(503, { title: 'Service Unavailable', detail: 'database is down' }) : summary()),
      ),
    )
    renderPage()
    const error = await screen.findByTestId('ops-error')
    expect(error).toHaveTextContent('Service Unavailable')
    expect(error).toHaveTextContent('database is down')
    expect(screen.queryByTestId('ops-workers')).not.toBeInTheDocument()
    expect(calls(fetchMock)).toEqual(['GET /workers', 'GET /ops/summary'])

    down = false
    await userEvent.setup().click(within(error).getByRole('button', { name: 'Try again' }))
    expect(await screen.findAllByTestId('worker-row')).toHaveLength(3)
    expect(screen.queryByTestId('ops-error')).not.toBeInTheDocument()
  })

  it('keeps the last figures and says so when a refresh fails', async () => {
    let summaryCalls = 0
    mockFetch(
      routes(undefined, () => (++summaryCalls === 1 ? summary() : problem(500, { title: 'Internal Server Error', detail: 'boom' }))),
    )
    renderPage(100)
    await screen.findAllByTestId('queue-row')
    expect(await screen.findByTestId('ops-summary-error')).toHaveTextContent('boom')
    expect(screen.getByTestId('ops-stale')).toHaveTextContent('from the last successful refresh')
    expect(screen.getAllByTestId('queue-row')).toHaveLength(2)
    expect(screen.getByTestId('ops-dead-letters')).toHaveTextContent('7')
    expect(screen.getAllByTestId('worker-row')).toHaveLength(3)
    expect(screen.queryByTestId('ops-workers-error')).not.toBeInTheDocument()
  })

  it('refreshes while visible, asks nothing while the tab is hidden, and catches up when shown', async () => {
    let dead = 7
    const fetchMock = mockFetch(routes(undefined, () => summary({ dead_letters: dead++ })))
    const summaries = () => calls(fetchMock).filter((c) => c === 'GET /ops/summary').length
    renderPage(100)
    await waitFor(() => expect(summaries()).toBeGreaterThanOrEqual(3))
    expect(screen.getByTestId('ops-live-status')).toHaveTextContent('refreshed every')
    // The numbers follow the server.
    await waitFor(() => expect(Number(screen.getByTestId('ops-dead-letters').textContent)).toBeGreaterThan(8))

    setVisibility('hidden')
    expect(await screen.findByText('Paused while this tab is hidden.')).toBeInTheDocument()
    const whenHidden = summaries()
    await new Promise((r) => setTimeout(r, 500))
    expect(summaries()).toBe(whenHidden)

    setVisibility('visible')
    await waitFor(() => expect(summaries()).toBeGreaterThan(whenHidden))
    expect(screen.getByTestId('ops-live-status')).toHaveAttribute('data-paused', 'false')
  })
})
