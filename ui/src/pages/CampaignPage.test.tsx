import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router'
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Campaign, Stats } from '../api'
import { CampaignPage } from './CampaignPage'
import { calls, json, mockFetch, MockEventSource, problem, type Route as MockRoute } from '../test/mocks'

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: 7,
  name: 'Welcome Back',
  channel: 'sms',
  subject: null,
  template: 'Hi {{name}}',
  content_type: 'text',
  text_template: null,
  from: null,
  reply_to: null,
  segment_rule: 'vip',
  status: 'SENDING',
  created_at: '2025-01-01T00:00:00Z',
  scheduled_at: null,
  started_at: '2025-01-01T00:01:00Z',
  completed_at: null,
  total: 100,
  queued: 60,
  sent: 38,
  failed: 2,
  unsubscribed: 0,
  delivered: 0,
  undelivered: 0,
  bounced: 0,
  complaints: 0,
  ...over,
})

const stats = (over: Partial<Stats> = {}): Stats => ({
  campaign_id: 7,
  status: 'SENDING',
  total: 100,
  queued: 55,
  sent: 42,
  failed: 3,
  retries: 5,
  cancelled: 0,
  unsubscribed: 4,
  segments: 42,
  delivered: 30,
  undelivered: 2,
  bounced: 1,
  complaints: 0,
  p50_ms: 12,
  p95_ms: 120,
  p99_ms: 480,
  ...over,
})

const routes = (c: () => Campaign, extra: MockRoute[] = []): MockRoute[] => [
  ...extra,
  ['GET', '/campaigns/7', () => c()],
  ['GET', '/campaigns/7/preview', () => ({ total_targets: 2, items: [{ recipient_id: 1, name: 'Ann', email: 'a@x.io', rendered: 'Hi Ann' }, { recipient_id: 2, name: 'Bo', email: null, rendered: 'Hi Bo' }] })],
  [
    'GET',
    /^\/campaigns\/7\/messages/,
    () => ({
      items: [
        { id: 1, recipient: { id: 1, name: 'Ann', email: 'a@x.io' }, tags: ['vip'], status: 'FAILED', attempts: 3, created_at: '2025-01-01T00:00:00Z', sent_at: null, latency_ms: null, last_error: 'provider timeout' },
      ],
      next_cursor: null,
    }),
  ],
]

// The charts are lazy-loaded; transform recharts once up front so slow CI doesn't time out a findBy.
beforeAll(async () => {
  await import('../components/StatsCharts')
}, 30000)

function renderPage() {
  return render(
    <MemoryRouter initialEntries={['/campaigns/7']}>
      <Routes>
        <Route path="/campaigns/:id" element={<CampaignPage />} />
      </Routes>
    </MemoryRouter>,
  )
}

describe('CampaignPage live stats', () => {
  beforeEach(() => MockEventSource.install())

  it('renders numbers from the stats event stream', async () => {
    mockFetch(routes(() => campaign()))
    renderPage()
    await screen.findByTestId('campaign-status')
    const es = await waitFor(() => MockEventSource.last())
    expect(es.url).toBe('/campaigns/7/stats/stream')

    act(() => es.emit('stats', stats()))
    expect(screen.getByTestId('stat-total')).toHaveTextContent('100')
    expect(screen.getByTestId('stat-queued')).toHaveTextContent('55')
    expect(screen.getByTestId('stat-sent')).toHaveTextContent('42')
    expect(screen.getByTestId('stat-failed')).toHaveTextContent('3')
    expect(screen.getByTestId('stat-retries')).toHaveTextContent('5')
    expect(screen.getByTestId('stat-unsubscribed')).toHaveTextContent('4')
    expect(screen.getByTestId('stat-p50')).toHaveTextContent('12 ms')
    expect(screen.getByTestId('stat-p95')).toHaveTextContent('120 ms')
    expect(screen.getByTestId('stat-p99')).toHaveTextContent('480 ms')
    expect(screen.getByTestId('stats-mode')).toHaveAttribute('data-mode', 'stream')

    act(() => es.emit('stats', stats({ sent: 50, queued: 47 })))
    expect(screen.getByTestId('stat-sent')).toHaveTextContent('50')
    // Two samples are enough to draw the charts.
    expect(await screen.findByTestId('throughput-chart')).not.toHaveTextContent(/waiting for samples/i)
  })

  it('falls back to polling GET /stats every second when the stream errors', async () => {
    let n = 0
    const fetchMock = mockFetch(routes(() => campaign(), [['GET', '/campaigns/7/stats', () => stats({ sent: 60 + n++ })]]))
    renderPage()
    await screen.findByTestId('campaign-status')
    const es = await waitFor(() => MockEventSource.last())

    act(() => es.fail())
    expect(es.closed).toBe(true)
    await waitFor(() => expect(screen.getByTestId('stat-sent')).toHaveTextContent('60'))
    expect(screen.getByTestId('stats-mode')).toHaveAttribute('data-mode', 'poll')
    expect(screen.getByTestId('stat-p99')).toHaveTextContent('480 ms')
    // ...and keeps polling.
    await waitFor(() => expect(screen.getByTestId('stat-sent')).toHaveTextContent('61'), { timeout: 2500 })
    expect(calls(fetchMock).filter((c) => c === 'GET /campaigns/7/stats').length).toBeGreaterThanOrEqual(2)
  })

  it('polls when the browser has no EventSource and stops once the campaign is final', async () => {
    vi.stubGlobal('EventSource', undefined)
    const fetchMock = mockFetch(routes(() => campaign({ status: 'COMPLETED' }), [['GET', '/campaigns/7/stats', () => stats({ status: 'COMPLETED', sent: 97, queued: 0 })]]))
    renderPage()
    await waitFor(() => expect(screen.getByTestId('stat-sent')).toHaveTextContent('97'))
    expect(screen.getByTestId('stats-mode')).toHaveAttribute('data-mode', 'stopped')
    await new Promise((r) => setTimeout(r, 1300))
    expect(calls(fetchMock).filter((c) => c === 'GET /campaigns/7/stats')).toHaveLength(1)
  })

  it('keeps the newest campaign read when an earlier read answers last', async () => {
    // The first read answers at once; the second (asked for when the stream says PAUSED) is held back and answers
    // SENDING only after the third (asked for when the stream says COMPLETED) has answered COMPLETED.
    let reads = 0
    let answerSecond: (c: Campaign) => void = () => {}
    mockFetch(
      routes(() => campaign(), [
        [
          'GET',
          '/campaigns/7',
          () => {
            reads++
            if (reads === 2) return new Promise<Campaign>((resolve) => (answerSecond = resolve))
            return campaign({ status: reads === 1 ? 'SENDING' : 'COMPLETED' })
          },
        ],
      ]),
    )
    renderPage()
    expect(await screen.findByTestId('campaign-status')).toHaveTextContent('SENDING')
    const es = await waitFor(() => MockEventSource.last())

    act(() => es.emit('stats', stats({ status: 'PAUSED' })))
    await waitFor(() => expect(reads).toBe(2))
    act(() => es.emit('stats', stats({ status: 'COMPLETED', queued: 0 })))
    await waitFor(() => expect(screen.getByTestId('campaign-status')).toHaveTextContent('COMPLETED'))

    await act(async () => answerSecond(campaign({ status: 'SENDING' })))
    await new Promise((r) => setTimeout(r, 50))
    expect(screen.getByTestId('campaign-status')).toHaveTextContent('COMPLETED')
    expect(reads).toBe(3)
  })
})

describe('CampaignPage provider feedback', () => {
  beforeEach(() => MockEventSource.install())

  it('shows segments, receipts, bounces and complaints of an SMS campaign live, with rates of sent', async () => {
    mockFetch(routes(() => campaign()))
    renderPage()
    await screen.findByTestId('campaign-status')
    const es = await waitFor(() => MockEventSource.last())

    act(() => es.emit('stats', stats({ sent: 40, segments: 56, delivered: 30, undelivered: 2, bounced: 1, complaints: 0 })))
    expect(screen.getByTestId('stat-segments')).toHaveTextContent('56')
    expect(screen.getByTestId('stat-segments-per-message')).toHaveTextContent('1.4 per message')
    expect(screen.getByTestId('stat-delivered')).toHaveTextContent('30')
    expect(screen.getByTestId('stat-delivered-rate')).toHaveTextContent('75% of sent')
    expect(screen.getByTestId('stat-undelivered')).toHaveTextContent('2')
    expect(screen.getByTestId('stat-undelivered-rate')).toHaveTextContent('5% of sent')
    expect(screen.getByTestId('stat-bounced-rate')).toHaveTextContent('2.5% of sent')
    expect(screen.getByTestId('stat-complaints')).toHaveTextContent('0')
    expect(screen.getByTestId('stat-complaints-rate')).toHaveTextContent('0% of sent')

    // A receipt arriving during the send moves the numbers without a reload.
    act(() => es.emit('stats', stats({ sent: 40, segments: 56, delivered: 36, undelivered: 2, bounced: 1, complaints: 1 })))
    expect(screen.getByTestId('stat-delivered')).toHaveTextContent('36')
    expect(screen.getByTestId('stat-delivered-rate')).toHaveTextContent('90% of sent')
    expect(screen.getByTestId('stat-complaints-rate')).toHaveTextContent('2.5% of sent')
  })

  it('shows dashes, not rates, before anything was sent', async () => {
    mockFetch(routes(() => campaign({ status: 'DRAFT' })))
    renderPage()
    await screen.findByTestId('campaign-status')
    const es = await waitFor(() => MockEventSource.last())
    act(() => es.emit('stats', stats({ status: 'DRAFT', sent: 0, failed: 0, segments: 0, delivered: 0, undelivered: 0, bounced: 0, complaints: 0 })))
    expect(screen.getByTestId('stat-delivered')).toHaveTextContent('0')
    expect(screen.getByTestId('stat-delivered-rate')).toHaveTextContent('—')
    expect(screen.getByTestId('stat-segments-per-message')).toHaveTextContent('—')
  })

  it('shows only bounces and complaints for email (receipts come from SMS gateways)', async () => {
    mockFetch(routes(() => campaign({ channel: 'email', subject: 'S', content_type: 'html' })))
    renderPage()
    await screen.findByTestId('campaign-status')
    const es = await waitFor(() => MockEventSource.last())
    act(() => es.emit('stats', stats({ sent: 200, segments: 0, delivered: 0, undelivered: 0, bounced: 3, complaints: 1 })))
    expect(screen.getByTestId('stat-bounced')).toHaveTextContent('3')
    expect(screen.getByTestId('stat-bounced-rate')).toHaveTextContent('1.5% of sent')
    expect(screen.getByTestId('stat-complaints-rate')).toHaveTextContent('0.5% of sent')
    expect(screen.queryByTestId('stat-segments')).not.toBeInTheDocument()
    expect(screen.queryByTestId('stat-delivered')).not.toBeInTheDocument()
    expect(screen.queryByTestId('stat-undelivered')).not.toBeInTheDocument()
  })

  it('keeps reading the counters every 10 s after the send finished, for receipts that come later', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    try {
      vi.stubGlobal('EventSource', undefined)
      let delivered = 5
      const fetchMock = mockFetch(
        routes(() => campaign({ status: 'COMPLETED', queued: 0 }), [
          ['GET', '/campaigns/7/stats', () => stats({ status: 'COMPLETED', queued: 0, sent: 10, delivered })],
        ]),
      )
      renderPage()
      await waitFor(() => expect(screen.getByTestId('stat-delivered')).toHaveTextContent('5'))
      expect(screen.getByTestId('stats-mode')).toHaveAttribute('data-mode', 'stopped')
      delivered = 9
      await act(() => vi.advanceTimersByTimeAsync(10_000))
      await waitFor(() => expect(screen.getByTestId('stat-delivered')).toHaveTextContent('9'))
      expect(screen.getByTestId('stat-delivered-rate')).toHaveTextContent('90% of sent')
      expect(screen.getByTestId('stats-mode')).toHaveAttribute('data-mode', 'stopped')
      expect(calls(fetchMock).filter((c) => c === 'GET /campaigns/7/stats')).toHaveLength(2)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('CampaignPage throughput history', () => {
  beforeEach(() => MockEventSource.install())

  const series = {
    campaign_id: 7,
    bucket_seconds: 2,
    points: [
      { t: '2025-01-01T00:01:00Z', sent: 20, failed: 0, sent_per_sec: 10 },
      { t: '2025-01-01T00:01:02Z', sent: 30, failed: 2, sent_per_sec: 15 },
      { t: '2025-01-01T00:01:04Z', sent: 10, failed: 0, sent_per_sec: 5 },
    ],
  }

  it('draws the whole run from the server series before any live sample arrives', async () => {
    const fetchMock = mockFetch(routes(() => campaign(), [['GET', /^\/campaigns\/7\/stats\/throughput/, () => series]]))
    renderPage()
    const chart = await screen.findByTestId('throughput-chart')
    await waitFor(() => expect(chart).toHaveAttribute('data-source', 'series'))
    expect(calls(fetchMock)).toContain('GET /campaigns/7/stats/throughput?points=120')
  })

  it('shows the series of a campaign that finished before the page opened', async () => {
    vi.stubGlobal('EventSource', undefined)
    mockFetch(
      routes(() => campaign({ status: 'COMPLETED', completed_at: '2025-01-01T00:01:06Z' }), [
        ['GET', '/campaigns/7/stats', () => stats({ status: 'COMPLETED', sent: 60, failed: 2, queued: 0 })],
        ['GET', /^\/campaigns\/7\/stats\/throughput/, () => series],
      ]),
    )
    renderPage()
    await waitFor(() => expect(screen.getByTestId('throughput-chart')).toHaveAttribute('data-source', 'series'))
    expect(screen.getByTestId('throughput-chart')).toHaveAttribute('data-final', 'true')
    expect(screen.getByTestId('throughput-chart')).toHaveTextContent('on average')
  })
})

describe('CampaignPage errors', () => {
  beforeEach(() => MockEventSource.install())

  it('shows the problem detail for an unknown campaign and opens no stats stream', async () => {
    const fetchMock = mockFetch([['GET', '/campaigns/7', () => problem(404, { title: 'Not Found', detail: 'Campaign 7 not found' })]])
    renderPage()
    expect(await screen.findByTestId('error')).toHaveTextContent('Campaign 7 not found')
    await new Promise((r) => setTimeout(r, 50))
    expect(MockEventSource.instances).toHaveLength(0)
    expect(calls(fetchMock)).toEqual(['GET /campaigns/7'])
  })
})

describe('CampaignPage actions', () => {
  beforeEach(() => MockEventSource.install())

  it('shows only the actions allowed for the status and confirms before sending', async () => {
    let current = campaign({ status: 'DRAFT', sent: 0, failed: 0, queued: 0, total: 0, started_at: null })
    const fetchMock = mockFetch(
      routes(() => current, [
        [
          'POST',
          '/campaigns/7/send',
          () => {
            current = { ...current, status: 'SENDING' }
            return json({ campaign_id: 7, status: 'SENDING', queued: 2 }, 202)
          },
        ],
      ]),
    )
    const user = userEvent.setup()
    renderPage()

    expect(await screen.findByTestId('campaign-status')).toHaveTextContent('DRAFT')
    expect(screen.getByTestId('send-button')).toBeInTheDocument()
    expect(screen.getByTestId('cancel-button')).toBeInTheDocument()
    expect(screen.queryByTestId('pause-button')).not.toBeInTheDocument()
    expect(screen.queryByTestId('resume-button')).not.toBeInTheDocument()
    expect(screen.queryByTestId('retry-failed-button')).not.toBeInTheDocument()
    // Draft campaigns show their preview straight away.
    expect(await screen.findAllByTestId('preview-item')).toHaveLength(2)
    expect(screen.getByTestId('preview-total')).toHaveTextContent('2')

    await user.click(screen.getByTestId('send-button'))
    const dialog = screen.getByRole('dialog')
    expect(within(dialog).getByTestId('confirm-button')).toHaveFocus()
    expect(calls(fetchMock)).not.toContain('POST /campaigns/7/send')
    await user.click(within(dialog).getByTestId('confirm-button'))

    await waitFor(() => expect(screen.getByTestId('campaign-status')).toHaveTextContent('SENDING'))
    expect(calls(fetchMock)).toContain('POST /campaigns/7/send')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(screen.getByTestId('pause-button')).toBeInTheDocument()
    expect(screen.queryByTestId('send-button')).not.toBeInTheDocument()
  })

  it('Escape closes the dialog without calling the API; a 409 shows the problem detail', async () => {
    const fetchMock = mockFetch(
      routes(() => campaign({ status: 'PAUSED' }), [['POST', '/campaigns/7/resume', () => problem(409, { title: 'Conflict', detail: 'Campaign is not paused' })]]),
    )
    const user = userEvent.setup()
    renderPage()
    await user.click(await screen.findByTestId('resume-button'))
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(calls(fetchMock)).not.toContain('POST /campaigns/7/resume')

    await user.click(screen.getByTestId('resume-button'))
    await user.click(screen.getByTestId('confirm-button'))
    expect(await screen.findByTestId('action-error')).toHaveTextContent('Campaign is not paused')
  })

  it('offers Retry failed when messages failed, and lists messages with attempts and last error', async () => {
    const fetchMock = mockFetch(routes(() => campaign(), [['POST', '/campaigns/7/retry-failed', () => ({ campaign_id: 7, requeued: 2 })]]))
    const user = userEvent.setup()
    renderPage()
    const row = await screen.findByTestId('message-row')
    expect(row).toHaveTextContent('provider timeout')
    expect(within(row).getByTestId('message-attempts')).toHaveTextContent('3')

    await user.click(screen.getByTestId('retry-failed-button'))
    expect(await screen.findByTestId('action-notice')).toHaveTextContent('Re-queued 2 failed messages')
    expect(calls(fetchMock)).toContain('POST /campaigns/7/retry-failed')
  })
})

describe('CampaignPage email campaigns', () => {
  beforeEach(() => MockEventSource.install())

  const emailCampaign = (over: Partial<Campaign> = {}) =>
    campaign({
      channel: 'email',
      subject: 'Hi {{name}}, news inside',
      template: '<p>Hello {{name}}</p><a href="{{unsubscribe_url}}">Unsubscribe</a>',
      content_type: 'html',
      text_template: 'Hello {{name}}',
      from: 'news@herald.test',
      reply_to: null,
      status: 'DRAFT',
      ...over,
    })

  it('shows the channel, the subject, the sender and the unsubscribed count', async () => {
    mockFetch([
      [
        'GET',
        '/campaigns/7/preview',
        () => ({
          total_targets: 6,
          unreachable: 2,
          items: [{ recipient_id: 1, name: 'Ann', email: 'a@x.io', phone: null, subject: 'Hi Ann, news inside', rendered: '<p>Hello Ann</p>', text: 'Hello Ann' }],
        }),
      ],
      ...routes(() => emailCampaign()),
    ])
    const user = userEvent.setup()
    renderPage()

    expect(await screen.findByTestId('campaign-channel-badge')).toHaveTextContent('Email')
    expect(screen.getByTestId('campaign-channel-badge')).toHaveAttribute('data-channel', 'email')
    expect(screen.getByTestId('campaign-subject-view')).toHaveTextContent('Hi {{name}}, news inside')
    expect(screen.getByTestId('campaign-from-view')).toHaveTextContent('news@herald.test')
    expect(screen.getByTestId('campaign-text-template-view')).toHaveTextContent('Hello {{name}}')

    // The stored campaign's preview renders the email like the form does.
    const frame = await screen.findByTestId('email-preview-frame')
    expect(frame).toHaveAttribute('sandbox', '')
    expect(frame).toHaveAttribute('srcdoc', '<p>Hello Ann</p>')
    expect(screen.getByTestId('email-preview-subject')).toHaveTextContent('Hi Ann, news inside')
    expect(screen.getByTestId('preview-unreachable')).toHaveTextContent('2 match but have no email address')
    await user.click(screen.getByTestId('email-preview-tab-text'))
    expect(screen.getByTestId('email-preview-text')).toHaveTextContent('Hello Ann')

    const es = await waitFor(() => MockEventSource.last())
    act(() => es.emit('stats', stats({ status: 'DRAFT', unsubscribed: 12345 })))
    expect(screen.getByTestId('stat-unsubscribed')).toHaveTextContent((12345).toLocaleString())
  })

  it('shows SMS campaigns without a subject', async () => {
    mockFetch(routes(() => campaign({ status: 'DRAFT' })))
    renderPage()
    expect(await screen.findByTestId('campaign-channel-badge')).toHaveTextContent('SMS')
    expect(screen.queryByTestId('campaign-subject-view')).not.toBeInTheDocument()
    expect(await screen.findAllByTestId('preview-item')).toHaveLength(2)
    expect(screen.queryByTestId('email-preview-frame')).not.toBeInTheDocument()
  })
})

describe('CampaignPage tracking', () => {
  beforeEach(() => MockEventSource.install())

  const tracked = (over: Partial<Campaign> = {}) =>
    campaign({ channel: 'email', subject: 'S', content_type: 'html', template: '<a href="https://x.io">x</a>', track_opens: true, track_clicks: true, ...over })
  const links = { items: [{ url: 'https://shop.example.com/offer', clicks: 7, unique_clicks: 5 }, { url: 'http://news.example.com/', clicks: 1, unique_clicks: 1 }] }
  const engagement = {
    campaign_id: 7,
    bucket_minutes: 1,
    points: [
      { t: '2025-01-01T00:02:00Z', opens: 10, clicks: 2 },
      { t: '2025-01-01T00:03:00Z', opens: 5, clicks: 3 },
    ],
  }

  it('shows open and click rates, clicks per link and the curve, and reloads them when the live counts move', async () => {
    let linkAnswer = links
    const fetchMock = mockFetch(
      routes(() => tracked(), [
        ['GET', '/campaigns/7/links', () => linkAnswer],
        ['GET', /^\/campaigns\/7\/stats\/engagement/, () => engagement],
      ]),
    )
    renderPage()
    const es = await waitFor(() => MockEventSource.last())
    act(() => es.emit('stats', stats({ sent: 40, opens: 15, clicks: 5, open_rate: 0.375, click_rate: 0.125 })))
    expect(screen.getByTestId('stat-opens')).toHaveTextContent('15')
    expect(screen.getByTestId('stat-opens-rate')).toHaveTextContent('37.5% open rate')
    expect(screen.getByTestId('stat-clicks')).toHaveTextContent('5')
    expect(screen.getByTestId('stat-clicks-rate')).toHaveTextContent('12.5% click rate')

    const rows = await screen.findAllByTestId('link-row')
    expect(rows.map((r) => r.getAttribute('data-url'))).toEqual(['https://shop.example.com/offer', 'http://news.example.com/'])
    expect(within(rows[0]).getByTestId('link-clicks-count')).toHaveTextContent('7')
    expect(within(rows[0]).getByTestId('link-unique-clicks')).toHaveTextContent('5')
    expect(within(rows[0]).getByTestId('link-unique-rate')).toHaveTextContent('12.5%')

    const chart = await screen.findByTestId('engagement-chart')
    expect(chart).toHaveAttribute('data-points', '2')
    expect(screen.getByTestId('engagement-opens')).toHaveTextContent('15')
    expect(screen.getByTestId('engagement-clicks')).toHaveTextContent('5')
    expect(calls(fetchMock)).toContain('GET /campaigns/7/stats/engagement?points=120')

    // A new unique click on the stream reloads the table at once.
    linkAnswer = { items: [{ ...links.items[0], clicks: 9, unique_clicks: 6 }, links.items[1]] }
    act(() => es.emit('stats', stats({ sent: 40, opens: 15, clicks: 6, open_rate: 0.375, click_rate: 0.15 })))
    await waitFor(() => expect(screen.getAllByTestId('link-clicks-count')[0]).toHaveTextContent('9'))
    expect(screen.getByTestId('stat-clicks-rate')).toHaveTextContent('15% click rate')
  })

  it('shows only what is tracked: opens without clicks has no link table', async () => {
    mockFetch(
      routes(() => tracked({ track_clicks: false }), [
        ['GET', '/campaigns/7/links', () => ({ items: [] })],
        ['GET', /^\/campaigns\/7\/stats\/engagement/, () => engagement],
      ]),
    )
    renderPage()
    const es = await waitFor(() => MockEventSource.last())
    act(() => es.emit('stats', stats({ sent: 40, opens: 15, clicks: 0, open_rate: 0.375, click_rate: 0 })))
    expect(screen.getByTestId('stat-opens')).toHaveTextContent('15')
    expect(screen.queryByTestId('stat-clicks')).not.toBeInTheDocument()
    await screen.findByTestId('engagement-chart')
    expect(screen.queryByTestId('link-clicks')).not.toBeInTheDocument()
    expect(screen.queryByTestId('engagement-clicks')).not.toBeInTheDocument()
  })

  it.each([
    ['sms', campaign()],
    ['a plain-text email', tracked({ content_type: 'text' })],
    ['an email with tracking off', tracked({ track_opens: false, track_clicks: false })],
  ])('shows no engagement for %s', async (_, c) => {
    const fetchMock = mockFetch(routes(() => c))
    renderPage()
    const es = await waitFor(() => MockEventSource.last())
    act(() => es.emit('stats', stats({ opens: 0, clicks: 0 })))
    expect(screen.getByTestId('stat-sent')).toBeInTheDocument()
    expect(screen.queryByTestId('stats-engagement')).not.toBeInTheDocument()
    expect(screen.queryByTestId('engagement')).not.toBeInTheDocument()
    expect(calls(fetchMock).some((call) => call.includes('/links') || call.includes('/engagement'))).toBe(false)
  })

  it('asks for no engagement before a draft is sent', async () => {
    const fetchMock = mockFetch(routes(() => tracked({ status: 'DRAFT' })))
    renderPage()
    const es = await waitFor(() => MockEventSource.last())
    act(() => es.emit('stats', stats({ status: 'DRAFT', sent: 0, opens: 0, clicks: 0 })))
    expect(screen.getByTestId('stat-opens-rate')).toHaveTextContent('—')
    expect(screen.queryByTestId('engagement')).not.toBeInTheDocument()
    expect(calls(fetchMock).some((call) => call.includes('/links'))).toBe(false)
  })
})
