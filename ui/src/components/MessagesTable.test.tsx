import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { Message } from '../api'
import { calls, mockFetch } from '../test/mocks'
import { MessagesTable } from './MessagesTable'

const message = (over: Partial<Message>): Message => ({
  id: 1,
  recipient: { id: 1, name: 'Ann', email: 'ann@x.io' },
  tags: ['vip'],
  status: 'SENT',
  attempts: 1,
  created_at: '2025-01-01T00:00:00Z',
  sent_at: '2025-01-01T00:00:01Z',
  latency_ms: 25,
  last_error: null,
  provider_message_id: null,
  segments: null,
  encoding: null,
  delivery_status: null,
  delivered_at: null,
  delivery_error: null,
  ...over,
})

const page = () => ({
  items: [
    message({ id: 3, provider_message_id: 'SM0123456789abcdef', segments: 2, encoding: 'UCS-2', delivery_status: 'delivered', delivered_at: '2025-01-01T00:00:05Z' }),
    message({
      id: 2,
      recipient: { id: 2, name: 'Bo', email: null },
      provider_message_id: 'SMfedcba',
      segments: 1,
      encoding: 'GSM-7',
      delivery_status: 'undelivered',
      delivery_error: 'error 30003: Unreachable destination handset',
    }),
    message({ id: 1, recipient: { id: 3, name: 'Cy', email: 'cy@x.io' }, segments: 1, encoding: 'GSM-7' }),
    // Accepted by the gateway, no receipt yet: the sid alone.
    message({ id: 0, recipient: { id: 4, name: 'Di', email: null }, provider_message_id: 'SMwaiting', segments: 1, encoding: 'GSM-7' }),
  ],
  next_cursor: null,
})

describe('MessagesTable', () => {
  it('shows the delivery report, its error, the provider id and the SMS segments of each message', async () => {
    mockFetch([['GET', /^\/campaigns\/7\/messages/, page]])
    render(<MessagesTable campaignId={7} channel="sms" />)
    const rows = await screen.findAllByTestId('message-row')
    expect(rows).toHaveLength(4)

    const [ann, bo, cy, di] = rows
    expect(within(ann).getByTestId('message-delivery-status')).toHaveAttribute('data-status', 'delivered')
    expect(within(ann).getByTestId('message-delivery-status')).toHaveTextContent('delivered')
    expect(within(ann).getByTestId('message-delivered-at')).not.toBeEmptyDOMElement()
    expect(within(ann).getByTestId('message-provider-id')).toHaveTextContent('SM0123456789abcdef')
    expect(within(ann).getByTestId('message-segments')).toHaveTextContent('UCS-2 · 2 segments')
    expect(within(ann).getByTestId('message-segments')).toHaveAttribute('data-segments', '2')

    expect(within(bo).getByTestId('message-delivery-status')).toHaveAttribute('data-status', 'undelivered')
    expect(within(bo).getByTestId('message-delivery-error')).toHaveTextContent('error 30003: Unreachable destination handset')
    expect(within(bo).getByTestId('message-segments')).toHaveTextContent('GSM-7 · 1 segment')

    // No report yet: an empty cell, no badge.
    expect(within(cy).queryByTestId('message-delivery-status')).not.toBeInTheDocument()
    expect(within(cy).getByTestId('message-delivery')).toBeEmptyDOMElement()
    expect(within(cy).queryByTestId('message-provider-id')).not.toBeInTheDocument()
    expect(within(di).queryByTestId('message-delivery-status')).not.toBeInTheDocument()
    expect(within(di).getByTestId('message-provider-id')).toHaveTextContent('SMwaiting')
    expect(screen.getByRole('columnheader', { name: 'SMS' })).toBeInTheDocument()
  })

  it('labels bounces and complaints and has no SMS column for email', async () => {
    mockFetch([
      [
        'GET',
        /^\/campaigns\/8\/messages/,
        () => ({
          items: [
            message({ id: 5, delivery_status: 'bounced', delivery_error: '550 5.1.1 user unknown' }),
            message({ id: 4, delivery_status: 'complained' }),
            message({ id: 3, delivery_status: 'soft_bounced', delivery_error: 'mailbox full' }),
          ],
          next_cursor: null,
        }),
      ],
    ])
    render(<MessagesTable campaignId={8} channel="email" />)
    const badges = await screen.findAllByTestId('message-delivery-status')
    expect(badges.map((b) => b.textContent)).toEqual(['bounced', 'complaint', 'soft bounce'])
    expect(screen.getAllByTestId('message-delivery-error').map((e) => e.textContent)).toEqual(['550 5.1.1 user unknown', 'mailbox full'])
    expect(screen.queryByTestId('message-segments')).not.toBeInTheDocument()
    expect(screen.queryByRole('columnheader', { name: 'SMS' })).not.toBeInTheDocument()
  })

  it('keeps the status filter as it was (the send status, not the delivery report)', async () => {
    const fetchMock = mockFetch([['GET', /^\/campaigns\/7\/messages/, page]])
    render(<MessagesTable campaignId={7} />)
    await screen.findAllByTestId('message-row')
    await userEvent.setup().selectOptions(screen.getByTestId('messages-status-filter'), 'FAILED')
    await screen.findAllByTestId('message-row')
    expect(calls(fetchMock)).toContain('GET /campaigns/7/messages?status=FAILED&limit=50')
    expect(within(screen.getByTestId('messages-status-filter')).getAllByRole('option').map((o) => o.getAttribute('value'))).toEqual([
      '',
      'QUEUED',
      'RETRYING',
      'SENT',
      'FAILED',
      'CANCELLED',
    ])
  })
})
