import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { CampaignForm } from './CampaignForm'
import { calls, json, mockFetch, problem, type Route } from '../test/mocks'

const baseRoutes: Route[] = [
  ['GET', '/tags', () => ({ items: [{ tag: 'vip', count: 8 }, { tag: 'tw', count: 5 }, { tag: 'jp', count: 2 }] })],
  [
    'GET',
    /^\/recipients\?limit=20$/,
    () => ({
      items: [
        { id: 1, name: 'Ann', email: 'a@x.io', phone: null, tags: ['vip'], attributes: { city: 'Taipei' }, status: 'ACTIVE', created_at: '2025-01-01T00:00:00Z' },
        { id: 2, name: 'Bo', email: null, phone: '+886', tags: [], attributes: { plan: 'gold', name: 'dup' }, status: 'ACTIVE', created_at: '2025-01-01T00:00:00Z' },
      ],
      next_cursor: null,
    }),
  ],
  [
    'GET',
    /^\/recipients\/count/,
    ({ url }) => ({ count: ({ vip: 8, 'vip,tw': 3 } as Record<string, number>)[url.searchParams.get('tag') ?? ''] ?? 0 }),
  ],
]

describe('CampaignForm', () => {
  it('shows a debounced live count of recipients matching the segment', async () => {
    const fetchMock = mockFetch(baseRoutes)
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)

    const count = screen.getByTestId('segment-count')
    expect(count).toHaveTextContent(/enter at least one tag/i)

    await user.type(screen.getByTestId('campaign-segment'), 'vip')
    await waitFor(() => expect(count).toHaveTextContent('8 matching recipients'))
    // Debounced: not one request per keystroke, and the last one is for the full rule.
    const countCalls = calls(fetchMock).filter((c) => c.startsWith('GET /recipients/count'))
    expect(countCalls.length).toBeLessThan(3)
    expect(countCalls.at(-1)).toBe('GET /recipients/count?tag=vip')

    // Picking a suggested tag extends the AND rule and recounts.
    await user.type(screen.getByTestId('campaign-segment'), ',')
    const suggestions = await screen.findByTestId('tag-suggestions')
    await user.click(within(suggestions).getByRole('button', { name: /tw/ }))
    expect(screen.getByTestId('campaign-segment')).toHaveValue('vip,tw')
    await waitFor(() => expect(count).toHaveTextContent('3 matching recipients'))
  })

  it('lists template variables including attributes from a recipient sample', async () => {
    mockFetch(baseRoutes)
    render(<CampaignForm onCreated={() => {}} />)
    const vars = screen.getByTestId('template-variables')
    await waitFor(() => expect(vars).toHaveTextContent('{{city}}'))
    const names = within(vars)
      .getAllByRole('button')
      .map((b) => b.textContent)
    expect(names).toEqual(['{{name}}', '{{email}}', '{{phone}}', '{{city}}', '{{plan}}'])
  })

  it('shows the API problem field errors next to the fields', async () => {
    const fetchMock = mockFetch([
      ...baseRoutes,
      [
        'POST',
        '/campaigns',
        () =>
          problem(400, {
            title: 'Bad Request',
            detail: 'Validation failed',
            errors: [
              { field: 'segment_rule', message: 'unknown tag: nope' },
              { field: 'template', message: 'unknown variable {{foo}}' },
            ],
          }),
      ],
    ])
    const onCreated = vi.fn()
    const user = userEvent.setup()
    render(<CampaignForm onCreated={onCreated} />)

    await user.type(screen.getByTestId('campaign-name'), 'Welcome back')
    await user.type(screen.getByTestId('campaign-template'), 'Hi {{{{foo}}')
    await user.type(screen.getByTestId('campaign-segment'), 'nope')
    await user.click(screen.getByTestId('campaign-submit'))

    expect(await screen.findByTestId('field-error-segment_rule')).toHaveTextContent('unknown tag: nope')
    expect(screen.getByTestId('field-error-template')).toHaveTextContent('unknown variable {{foo}}')
    expect(screen.queryByTestId('field-error-name')).not.toBeInTheDocument()
    expect(screen.getByTestId('campaign-segment')).toHaveAttribute('aria-invalid', 'true')
    expect(onCreated).not.toHaveBeenCalled()

    const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST')!
    expect(JSON.parse(String(post[1]!.body))).toEqual({ name: 'Welcome back', template: 'Hi {{foo}}', segment_rule: 'nope' })

    // Editing a field clears its error.
    await user.type(screen.getByTestId('campaign-segment'), 'x')
    expect(screen.queryByTestId('field-error-segment_rule')).not.toBeInTheDocument()
    expect(screen.getByTestId('field-error-template')).toBeInTheDocument()
  })

  it('shows the problem detail when the error is not about a field', async () => {
    mockFetch([...baseRoutes, ['POST', '/campaigns', () => problem(500, { title: 'Internal Server Error', detail: 'database is down' })]])
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)
    await user.click(screen.getByTestId('campaign-submit'))
    expect(await screen.findByTestId('form-error')).toHaveTextContent('database is down')
  })

  it('sends scheduled_at as ISO-8601 with an offset and reports the created campaign', async () => {
    const fetchMock = mockFetch([...baseRoutes, ['POST', '/campaigns', ({ init }) => json({ id: 42, ...JSON.parse(String(init!.body)), status: 'SCHEDULED' }, 201)]])
    const onCreated = vi.fn()
    const user = userEvent.setup()
    render(<CampaignForm onCreated={onCreated} />)
    await user.type(screen.getByTestId('campaign-name'), 'Later')
    await user.type(screen.getByTestId('campaign-template'), 'Hi')
    await user.type(screen.getByTestId('campaign-segment'), ' vip , tw ')
    await user.type(screen.getByTestId('campaign-schedule'), '2030-05-01T09:30')
    await user.click(screen.getByTestId('campaign-submit'))

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(expect.objectContaining({ id: 42 })))
    const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST')!
    const body = JSON.parse(String(post[1]!.body))
    expect(body.segment_rule).toBe('vip,tw')
    expect(body.scheduled_at).toMatch(/^2030-05-01T09:30:00(Z|[+-]\d\d:\d\d)$/)
    expect(new Date(body.scheduled_at).getTime()).toBe(new Date('2030-05-01T09:30').getTime())
  })
})
