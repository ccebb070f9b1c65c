import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Campaign, VariantStats } from '../api'
import { VariantComparison } from './VariantComparison'
import { mockFetch } from '../test/mocks'

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: 9,
  name: 'AB',
  channel: 'email',
  subject: 'S',
  template: 'T',
  content_type: 'html',
  text_template: null,
  from: null,
  reply_to: null,
  segment_rule: 'vip',
  status: 'COMPLETED',
  created_at: '2025-01-01T00:00:00Z',
  scheduled_at: null,
  started_at: null,
  completed_at: null,
  total: 0,
  queued: 0,
  sent: 0,
  failed: 0,
  unsubscribed: 0,
  delivered: 0,
  undelivered: 0,
  bounced: 0,
  complaints: 0,
  variants: [
    { name: 'A', subject: 'S', template: 'T', weight: 50 },
    { name: 'B', subject: 'S', template: 'T', weight: 50 },
  ],
  ab_test: { share: 20, metric: 'clicks', wait: 'PT2H', phase: 'WINNER', wait_until: '2025-01-01T02:00:00Z', winner: 'B' },
  ab_phase: 'WINNER',
  winner: 'B',
  ...over,
})

const row = (name: string, sent: number, clicks: number, winner: boolean) => ({
  name, weight: 50, total: sent, queued: 0, sent, failed: 0, cancelled: 0, delivered: 0, opens: 0, clicks,
  open_rate: 0, click_rate: sent ? clicks / sent : 0, winner,
})

describe('VariantComparison', () => {
  it('compares the variants and marks the winner', async () => {
    const stats: VariantStats = {
      campaign_id: 9, status: 'COMPLETED', ab_phase: 'WINNER', winner: 'B', metric: 'clicks',
      variants: [row('A', 100, 8, false), row('B', 900, 120, true)],
    }
    mockFetch([
      ['GET', /^\/campaigns\/9\/stats\?by=variant$/, () => stats],
      ['GET', '/campaigns/9/timeline', () => ({ campaign_id: 9, items: [
        { at: '2025-01-01T00:00:00Z', event: 'sending', detail: null },
        { at: '2025-01-01T02:00:00Z', event: 'winner', detail: 'winner B (clicks per sent: A 8/100, B 12/100)' },
      ] })],
    ])
    render(<VariantComparison campaign={campaign()} />)
    const rows = await screen.findAllByTestId('variant-row')
    await within(rows[1]).findByText('900')
    expect(rows.map((r) => r.getAttribute('data-variant'))).toEqual(['A', 'B'])
    expect(within(rows[0]).getByTestId('variant-click-rate')).toHaveTextContent('8.0 %')
    expect(within(rows[1]).getByTestId('variant-click-rate')).toHaveTextContent('13.3 %')
    expect(within(rows[1]).getByTestId('winner-badge')).toBeInTheDocument()
    expect(within(rows[0]).queryByTestId('winner-badge')).not.toBeInTheDocument()
    expect(screen.getByTestId('ab-phase')).toHaveAttribute('data-phase', 'WINNER')
    expect(screen.getByTestId('ab-winner')).toHaveTextContent('B')
    expect(screen.getByTestId('ab-settings')).toHaveTextContent('Test on 20 % · winner by clicks after PT2H')
    // Only the A/B entries of the timeline.
    const timeline = await screen.findByTestId('ab-timeline')
    expect(timeline).toHaveTextContent('winner B (clicks per sent: A 8/100, B 12/100)')
    expect(timeline).not.toHaveTextContent('sending')
    // Each variant's own subject and body, since the page's subject line is the first variant's.
    const content = screen.getAllByTestId('variant-content-item')
    expect(content).toHaveLength(2)
    expect(content[1]).toHaveTextContent('B · subject S')
  })

  it('says the test is waiting before a winner exists', async () => {
    mockFetch([
      ['GET', /^\/campaigns\/9\/stats\?by=variant$/, () => ({ campaign_id: 9, status: 'SENDING', ab_phase: 'WAITING', winner: null,
        metric: 'clicks', variants: [row('A', 10, 1, false), row('B', 10, 2, false)] })],
      ['GET', '/campaigns/9/timeline', () => ({ campaign_id: 9, items: [] })],
    ])
    render(<VariantComparison campaign={campaign({ status: 'SENDING', ab_phase: 'WAITING', winner: null })} />)
    expect(await screen.findByText(/Waiting for opens and clicks/)).toBeInTheDocument()
    expect(screen.queryByTestId('winner-badge')).not.toBeInTheDocument()
    expect(screen.queryByTestId('ab-winner')).not.toBeInTheDocument()
  })
})
