import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Stats } from '../api'
import { StatsPanel } from './StatsPanel'

const stats = (over: Partial<Stats>): Stats => ({
  campaign_id: 1,
  status: 'SENDING',
  total: 100,
  queued: 60,
  sent: 40,
  failed: 0,
  retries: 0,
  cancelled: 0,
  unsubscribed: 0,
  segments: 0,
  delivered: 0,
  undelivered: 0,
  bounced: 0,
  complaints: 0,
  p50_ms: 10,
  p95_ms: 20,
  p99_ms: 30,
  provider: 'webhook',
  provider_state: 'CLOSED',
  provider_state_since: null,
  provider_last_error: null,
  ...over,
})

describe('StatsPanel provider outage banner', () => {
  it('says nothing while the provider is healthy', () => {
    render(<StatsPanel stats={stats({})} mode="stream" channel="email" />)
    expect(screen.queryByTestId('provider-outage')).toBeNull()
  })

  it('names the provider, since when and the last error while its breaker is open', () => {
    render(
      <StatsPanel
        stats={stats({ provider_state: 'OPEN', provider_state_since: '2026-12-01T08:00:00Z', provider_last_error: 'webhook answered 503: maintenance' })}
        mode="stream"
        channel="email"
      />,
    )
    const banner = screen.getByTestId('provider-outage')
    expect(banner).toHaveAttribute('data-state', 'OPEN')
    expect(banner).toHaveTextContent('Provider webhook is unavailable since')
    expect(banner).toHaveTextContent('without using up their attempts')
    expect(screen.getByTestId('provider-last-error')).toHaveTextContent('webhook answered 503: maintenance')
  })

  it('shows probing while half open', () => {
    render(<StatsPanel stats={stats({ provider_state: 'HALF_OPEN', provider_state_since: '2026-12-01T08:00:30Z' })} mode="poll" channel="sms" />)
    expect(screen.getByTestId('provider-outage')).toHaveTextContent('is being probed')
    expect(screen.queryByTestId('provider-last-error')).toBeNull()
  })
})

describe('StatsPanel engagement', () => {
  it('shows unique opens and clicks with the rates the API computed, only for what is tracked', () => {
    const { rerender } = render(
      <StatsPanel stats={stats({ sent: 40, opens: 10, clicks: 3, open_rate: 0.25, click_rate: 0.075 })} mode="stream" channel="email" tracking={{ opens: true, clicks: true }} />,
    )
    expect(screen.getByTestId('stat-opens')).toHaveTextContent('10')
    expect(screen.getByTestId('stat-opens-rate')).toHaveTextContent('25% open rate')
    expect(screen.getByTestId('stat-clicks')).toHaveTextContent('3')
    expect(screen.getByTestId('stat-clicks-rate')).toHaveTextContent('7.5% click rate')

    rerender(<StatsPanel stats={stats({ sent: 40, opens: 10, clicks: 3, open_rate: 0.25, click_rate: 0.075 })} mode="stream" channel="email" tracking={{ opens: false, clicks: true }} />)
    expect(screen.queryByTestId('stat-opens')).toBeNull()
    expect(screen.getByTestId('stat-clicks')).toBeInTheDocument()

    rerender(<StatsPanel stats={stats({ sent: 40 })} mode="stream" channel="email" />)
    expect(screen.queryByTestId('stats-engagement')).toBeNull()
  })

  it('shows a dash, not 0%, before anything was sent', () => {
    render(<StatsPanel stats={stats({ sent: 0, opens: 0, clicks: 0, open_rate: 0, click_rate: 0 })} mode="stream" channel="email" tracking={{ opens: true, clicks: true }} />)
    expect(screen.getByTestId('stat-opens-rate')).toHaveTextContent('—')
    expect(screen.getByTestId('stat-clicks-rate')).toHaveTextContent('—')
  })
})
