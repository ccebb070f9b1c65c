import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { CampaignForm } from './CampaignForm'
import { calls, mockFetch, problem, type Route } from '../test/mocks'

const routes: Route[] = [
  ['GET', '/tags', () => ({ items: [{ tag: 'vip', count: 8 }] })],
  ['GET', /^\/recipients\?limit=20$/, () => ({ items: [], next_cursor: null })],
  ['GET', /^\/recipients\/count/, () => ({ count: 8 })],
  ['POST', '/campaigns/preview', () => ({ total_targets: 8, unreachable: 0, items: [] })],
]

function bodiesOf(fetchMock: ReturnType<typeof mockFetch>, call: string): Record<string, unknown>[] {
  return fetchMock.mock.calls
    .filter((_, i) => calls(fetchMock)[i] === call)
    .map(([, init]) => JSON.parse(String(init!.body)) as Record<string, unknown>)
}

describe('A/B variants in the campaign form', () => {
  it('turns the subject and body into variant tabs and sends variants with the winner settings', async () => {
    const fetchMock = mockFetch([...routes, ['POST', '/campaigns', () => ({ id: 5 })]])
    const onCreated = vi.fn()
    const user = userEvent.setup()
    render(<CampaignForm onCreated={onCreated} />)

    await user.type(screen.getByTestId('campaign-name'), 'Spring')
    await user.type(screen.getByTestId('campaign-subject'), 'Hello')
    await user.type(screen.getByTestId('campaign-template'), '<p>Body A</p>')
    await user.click(screen.getByTestId('ab-toggle'))

    // A starts from what was typed, B as a copy of it; the single-body fields are gone.
    expect(screen.queryByTestId('campaign-subject')).not.toBeInTheDocument()
    expect(screen.getByTestId('variant-tab-0')).toHaveTextContent('A')
    expect(screen.getByTestId('variant-tab-1')).toHaveTextContent('B')
    expect(screen.getByTestId('variant-subject')).toHaveValue('Hello')
    await user.click(screen.getByTestId('variant-tab-1'))
    expect(screen.getByTestId('variant-tab-1')).toHaveAttribute('aria-selected', 'true')
    await user.clear(screen.getByTestId('variant-subject'))
    await user.type(screen.getByTestId('variant-subject'), 'Hi there')
    await user.clear(screen.getByTestId('variant-weight'))
    await user.type(screen.getByTestId('variant-weight'), '30')
    // Up to five variants.
    for (let i = 0; i < 3; i++) await user.click(screen.getByTestId('variant-add'))
    expect(screen.getByTestId('variant-tab-4')).toHaveTextContent('E')
    expect(screen.queryByTestId('variant-add')).not.toBeInTheDocument()
    await user.click(screen.getByTestId('variant-remove'))
    await user.click(screen.getByTestId('variant-remove'))
    await user.click(screen.getByTestId('variant-remove'))
    expect(screen.queryByTestId('variant-tab-2')).not.toBeInTheDocument()
    expect(screen.queryByTestId('variant-remove')).not.toBeInTheDocument()

    await user.clear(screen.getByTestId('ab-share'))
    await user.type(screen.getByTestId('ab-share'), '10')
    await user.selectOptions(screen.getByTestId('ab-metric'), 'opens')
    await user.clear(screen.getByTestId('ab-wait'))
    await user.type(screen.getByTestId('ab-wait'), 'PT30M')
    await user.type(screen.getByTestId('campaign-segment'), 'vip')
    await user.click(screen.getByTestId('campaign-submit'))

    await waitFor(() => expect(onCreated).toHaveBeenCalled())
    expect(bodiesOf(fetchMock, 'POST /campaigns')).toEqual([
      {
        name: 'Spring',
        channel: 'email',
        variants: [
          { name: 'A', subject: 'Hello', template: '<p>Body A</p>', weight: 50 },
          { name: 'B', subject: 'Hi there', template: '<p>Body A</p>', weight: 30 },
        ],
        ab_test: { share: 10, metric: 'opens', wait: 'PT30M' },
        content_type: 'html',
        segment_rule: 'vip',
        track_opens: true,
        track_clicks: true,
      },
    ])
  })

  it('shows a variant error on its tab and opens that tab', async () => {
    mockFetch([
      ...routes,
      [
        'POST',
        '/campaigns',
        () =>
          problem(400, {
            title: 'Invalid input',
            detail: 'variants[1].template: does not parse',
            errors: [
              { field: 'variants[1].template', message: 'does not parse (line 1, column 4)' },
              { field: 'ab_test.wait', message: 'must be an ISO-8601 duration such as PT2H' },
            ],
          }),
      ],
    ])
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)
    await user.type(screen.getByTestId('campaign-name'), 'Broken')
    await user.click(screen.getByTestId('ab-toggle'))
    await user.type(screen.getByTestId('campaign-segment'), 'vip')
    await user.click(screen.getByTestId('campaign-submit'))

    expect(await screen.findByTestId('field-error-variants[1].template')).toHaveTextContent('line 1, column 4')
    expect(screen.getByTestId('variant-tab-1')).toHaveAttribute('aria-selected', 'true')
    expect(screen.getByTestId('variant-tab-1')).toHaveTextContent('!')
    expect(screen.getByTestId('variant-template')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByTestId('field-error-ab_test.wait')).toBeInTheDocument()
    // Every error sits on a field: no extra box at the top.
    expect(screen.queryByTestId('form-error')).not.toBeInTheDocument()
  })

  it('leaves the winner settings out when the automatic winner is off', async () => {
    const fetchMock = mockFetch([...routes, ['POST', '/campaigns', () => ({ id: 6 })]])
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)
    await user.type(screen.getByTestId('campaign-name'), 'Split only')
    await user.click(screen.getByTestId('ab-toggle'))
    await user.click(screen.getByTestId('ab-winner-toggle'))
    expect(screen.queryByTestId('ab-share')).not.toBeInTheDocument()
    await user.type(screen.getByTestId('variant-template'), 'x')
    await user.type(screen.getByTestId('campaign-segment'), 'vip')
    await user.click(screen.getByTestId('campaign-submit'))
    await waitFor(() => expect(bodiesOf(fetchMock, 'POST /campaigns')).toHaveLength(1))
    const [body] = bodiesOf(fetchMock, 'POST /campaigns')
    expect(body).not.toHaveProperty('ab_test')
    expect(body).not.toHaveProperty('template')
    expect((body.variants as unknown[]).length).toBe(2)
  })
})
