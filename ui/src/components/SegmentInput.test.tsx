import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { COUNT_DEBOUNCE_MS, SegmentInput } from './SegmentInput'
import { tokenLength } from './SegmentField'
import { calls, mockFetch, problem, type Route } from '../test/mocks'

/** A toy server: counts a few known rules; "and or" style text fails with the column of the first bad token. */
const routes: Route[] = [
  ['GET', '/tags', () => ({ items: [{ tag: 'vip', count: 1234 }, { tag: 'tw', count: 5 }, { tag: 'churned', count: 2 }] })],
  [
    'GET',
    /^\/recipients\/count/,
    ({ url }) => {
      const segment = url.searchParams.get('segment')
      if (segment === null) return { count: url.searchParams.get('tag') === 'vip' ? 1234 : 0 }
      const bad = /\b(and|or)\s+(and|or)\b/i.exec(segment)
      if (bad) {
        const column = bad.index + bad[0].lastIndexOf(bad[2]) + 1
        return problem(400, {
          title: 'Invalid input',
          detail: `segment: column ${column}: unexpected "${bad[2]}"`,
          errors: [{ field: 'segment', message: `column ${column}: unexpected "${bad[2]}": expected a tag, a condition or "("`, column }],
        })
      }
      if (segment.endsWith('(')) {
        return problem(400, { title: 'Invalid input', errors: [{ field: 'segment', message: `column ${segment.length + 1}: unexpected the end`, column: segment.length + 1 }] })
      }
      return { count: segment.includes('not churned') ? 1001 : 7 }
    },
  ],
]

function Editor({ initial = '' }: { initial?: string }) {
  const [value, setValue] = useState(initial)
  return <SegmentInput value={value} onChange={setValue} />
}

afterEach(() => vi.useRealTimers())

describe('SegmentInput', () => {
  it('shows the live count of an expression, sent as segment= exactly as typed (a space is a +)', async () => {
    const fetchMock = mockFetch(routes)
    const user = userEvent.setup()
    render(<Editor />)
    await user.type(screen.getByTestId('campaign-segment'), 'vip and not churned')
    await waitFor(() => expect(screen.getByTestId('segment-count')).toHaveTextContent('1,001 recipients match'))
    expect(screen.getByTestId('segment-count')).toHaveAttribute('data-count', '1001')
    expect(calls(fetchMock).filter((c) => c.startsWith('GET /recipients/count')).at(-1)).toBe('GET /recipients/count?segment=vip+and+not+churned')
    expect(screen.getByTestId('campaign-segment')).toHaveAttribute('aria-invalid', 'false')
    expect(screen.queryByTestId('segment-error-mark')).not.toBeInTheDocument()
  })

  it('keeps tag lists on tag= and formats large counts', async () => {
    const fetchMock = mockFetch(routes)
    render(<Editor initial=" vip " />)
    await waitFor(() => expect(screen.getByTestId('segment-count')).toHaveTextContent('1,234 recipients match'))
    expect(calls(fetchMock)).toContain('GET /recipients/count?tag=vip')
  })

  it('marks the column of a parse error in place and clears it once fixed', async () => {
    mockFetch(routes)
    const user = userEvent.setup()
    render(<Editor />)
    const input = screen.getByTestId('campaign-segment')
    await user.type(input, 'vip and or tw')

    const mark = await screen.findByTestId('segment-error-mark')
    expect(mark).toHaveAttribute('data-column', '9')
    expect(mark).toHaveTextContent(/^or$/)
    // The mirror holds the same text as the input, so the mark sits under the ninth character.
    expect(screen.getByTestId('segment-mirror').textContent?.startsWith('vip and or tw')).toBe(true)
    expect(screen.getByTestId('segment-error')).toHaveTextContent('column 9: unexpected "or"')
    expect(input).toHaveAttribute('aria-invalid', 'true')

    await user.clear(input)
    await user.type(input, 'vip and tw')
    // While the new text is being counted the old mark is gone: it would point into other text.
    expect(screen.queryByTestId('segment-error-mark')).not.toBeInTheDocument()
    await waitFor(() => expect(screen.getByTestId('segment-count')).toHaveTextContent('7 recipients match'))
    expect(screen.queryByTestId('segment-error')).not.toBeInTheDocument()
    expect(input).toHaveAttribute('aria-invalid', 'false')
  })

  it('marks a blank cell after the text when the error is at the end', async () => {
    mockFetch(routes)
    render(<Editor initial="vip and (" />)
    const mark = await screen.findByTestId('segment-error-mark')
    expect(mark).toHaveAttribute('data-column', '10')
    expect(mark.textContent).toBe('\u00a0')
  })

  it('counts once per pause in typing, for the latest text only', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false })
    const fetchMock = mockFetch(routes)
    render(<Editor />)
    const input = screen.getByTestId('campaign-segment')
    for (const text of ['v', 'vi', 'vip', 'vip ', 'vip a', 'vip and', 'vip and tw']) {
      fireEvent.change(input, { target: { value: text } })
      await act(async () => vi.advanceTimersByTime(COUNT_DEBOUNCE_MS / 3))
    }
    expect(calls(fetchMock).filter((c) => c.startsWith('GET /recipients/count'))).toEqual([])
    expect(screen.getByTestId('segment-count')).toHaveTextContent('Counting…')
    await act(async () => vi.advanceTimersByTime(COUNT_DEBOUNCE_MS))
    vi.useRealTimers()
    await waitFor(() => expect(screen.getByTestId('segment-count')).toHaveTextContent('7 recipients match'))
    expect(calls(fetchMock).filter((c) => c.startsWith('GET /recipients/count'))).toEqual(['GET /recipients/count?segment=vip+and+tw'])
  })

  it('completes the word being typed from the tag suggestions in an expression', async () => {
    mockFetch(routes)
    const user = userEvent.setup()
    render(<Editor />)
    const input = screen.getByTestId('campaign-segment')
    await user.type(input, 'vip and not chu')
    const suggestions = await screen.findByTestId('tag-suggestions')
    expect(within(suggestions).getAllByTestId('tag-suggestion').map((b) => b.dataset.tag)).toEqual(['churned'])
    await user.click(within(suggestions).getByRole('button', { name: /churned/ }))
    expect(input).toHaveValue('vip and not churned')
    await user.type(input, ' ')
    await user.click(within(screen.getByTestId('tag-suggestions')).getByRole('button', { name: /tw/ }))
    expect(input).toHaveValue('vip and not churned and tw')
  })

  it('explains the syntax', () => {
    mockFetch(routes)
    render(<Editor />)
    const hint = screen.getByTestId('segment-hint')
    for (const part of ['and', 'or', 'not', 'city = "Taipei"', 'has(phone)', 'ends_with']) expect(hint).toHaveTextContent(part)
  })
})

describe('tokenLength', () => {
  it('covers a word, a quoted value, an operator or one character', () => {
    expect(tokenLength('vip and or tw', 8)).toBe(2)
    expect(tokenLength('city = "Tai pei" x', 7)).toBe(9)
    expect(tokenLength('city != "x"', 5)).toBe(2)
    expect(tokenLength('a ) b', 2)).toBe(1)
    expect(tokenLength('abc', 3)).toBe(0)
  })
})
