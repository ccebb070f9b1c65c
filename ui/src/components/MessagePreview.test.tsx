import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Preview, PreviewItem } from '../api'
import { MessagePreview } from './MessagePreview'

const item = (over: Partial<PreviewItem>): PreviewItem => ({
  recipient_id: 1,
  name: 'Ann',
  email: 'ann@x.io',
  phone: '+886912000000',
  subject: null,
  rendered: 'Hi Ann',
  text: null,
  ...over,
})

const preview = (items: PreviewItem[]): Preview => ({ total_targets: items.length, unreachable: 0, items })

describe('MessagePreview for SMS', () => {
  it('shows each text with its encoding, length and segments, and no UCS-2 hint for plain GSM-7', () => {
    render(
      <MessagePreview
        channel="sms"
        preview={preview([
          item({ recipient_id: 1, rendered: 'Hi Ann, we miss you', encoding: 'GSM-7', characters: 19, segments: 1 }),
          item({ recipient_id: 2, name: 'Bo', rendered: 'x'.repeat(161), encoding: 'GSM-7', characters: 161, segments: 2 }),
        ])}
      />,
    )
    const [first, second] = screen.getAllByTestId('preview-item')
    const len1 = within(first).getByTestId('preview-sms-length')
    expect(len1).toHaveTextContent('GSM-7 · 19 characters · 1 segment')
    expect(len1).toHaveAttribute('data-encoding', 'GSM-7')
    expect(len1).toHaveAttribute('data-segments', '1')
    expect(within(second).getByTestId('preview-sms-length')).toHaveTextContent('GSM-7 · 161 characters · 2 segments')
    expect(screen.queryByTestId('preview-ucs2-hint')).not.toBeInTheDocument()
  })

  it('says a text is UCS-2 (70 per SMS) when it has an emoji', () => {
    render(
      <MessagePreview
        channel="sms"
        preview={preview([item({ rendered: 'Hi Ann 😀 we miss you', encoding: 'UCS-2', characters: 38, segments: 1 })])}
      />,
    )
    expect(screen.getByTestId('preview-sms-length')).toHaveTextContent('UCS-2 · 38 characters · 1 segment')
    const hint = screen.getByTestId('preview-ucs2-hint')
    expect(hint).toHaveTextContent(/UCS-2/)
    expect(hint).toHaveTextContent(/70 characters per SMS/)
    expect(hint).toHaveTextContent(/emoji/)
  })

  it('shows no SMS length for a server that sends none, nor for email', () => {
    const { unmount } = render(<MessagePreview channel="sms" preview={preview([item({})])} />)
    expect(screen.getByTestId('preview-item')).toHaveTextContent('Hi Ann')
    expect(screen.queryByTestId('preview-sms-length')).not.toBeInTheDocument()
    unmount()
    render(<MessagePreview channel="email" preview={preview([item({ subject: 'S', rendered: '<p>Hi</p>', text: 'Hi', encoding: null })])} />)
    expect(screen.getByTestId('email-preview-subject')).toHaveTextContent('S')
    expect(screen.queryByTestId('preview-sms-length')).not.toBeInTheDocument()
    expect(screen.queryByTestId('preview-ucs2-hint')).not.toBeInTheDocument()
  })
})
