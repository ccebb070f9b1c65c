import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { CampaignForm } from './CampaignForm'
import { calls, json, mockFetch, problem, type Route } from '../test/mocks'
import { PREVIEW_DEBOUNCE_MS } from '../hooks/useDraftPreview'

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

/** JSON bodies of the calls to exactly "METHOD /path". */
function bodiesOf(fetchMock: ReturnType<typeof mockFetch>, call: string): Record<string, unknown>[] {
  return fetchMock.mock.calls
    .filter((_, i) => calls(fetchMock)[i] === call)
    .map(([, init]) => JSON.parse(String(init!.body)) as Record<string, unknown>)
}

/** POST /campaigns answers 201 with the campaign as sent. */
const createRoute: Route = ['POST', '/campaigns', ({ init }) => json({ id: 9, ...JSON.parse(String(init!.body)), status: 'DRAFT' }, 201)]

describe('CampaignForm', () => {
  it('shows a debounced live count of recipients matching the segment', async () => {
    const fetchMock = mockFetch(baseRoutes)
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)

    const count = screen.getByTestId('segment-count')
    expect(count).toHaveTextContent(/enter a tag or an expression/i)

    await user.type(screen.getByTestId('campaign-segment'), 'vip')
    await waitFor(() => expect(count).toHaveTextContent('8 recipients match'))
    // Debounced: not one request per keystroke, and the last one is for the full rule.
    const countCalls = calls(fetchMock).filter((c) => c.startsWith('GET /recipients/count'))
    expect(countCalls.length).toBeLessThan(3)
    expect(countCalls.at(-1)).toBe('GET /recipients/count?tag=vip')

    // Picking a suggested tag extends the AND rule and recounts.
    await user.type(screen.getByTestId('campaign-segment'), ',')
    const suggestions = await screen.findByTestId('tag-suggestions')
    await user.click(within(suggestions).getByRole('button', { name: /tw/ }))
    expect(screen.getByTestId('campaign-segment')).toHaveValue('vip,tw')
    await waitFor(() => expect(count).toHaveTextContent('3 recipients match'))
  })

  it('lists template variables including attributes from a recipient sample', async () => {
    mockFetch(baseRoutes)
    render(<CampaignForm onCreated={() => {}} />)
    const vars = screen.getByTestId('template-variables')
    await waitFor(() => expect(vars).toHaveTextContent('{{city}}'))
    const names = within(vars)
      .getAllByRole('button')
      .map((b) => b.textContent)
    // Email is the default channel: its templates may also link to the recipient's unsubscribe page.
    expect(names).toEqual(['{{name}}', '{{email}}', '{{phone}}', '{{city}}', '{{plan}}', '{{unsubscribe_url}}'])

    await userEvent.setup().selectOptions(screen.getByTestId('campaign-channel'), 'sms')
    expect(within(vars).getAllByRole('button').map((b) => b.textContent)).toEqual(['{{name}}', '{{email}}', '{{phone}}', '{{city}}', '{{plan}}'])
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
    await user.selectOptions(screen.getByTestId('campaign-channel'), 'sms')
    await user.type(screen.getByTestId('campaign-template'), 'Hi {{{{foo}}')
    await user.type(screen.getByTestId('campaign-segment'), 'nope')
    await user.click(screen.getByTestId('campaign-submit'))

    expect(await screen.findByTestId('field-error-segment_rule')).toHaveTextContent('unknown tag: nope')
    expect(screen.getByTestId('field-error-template')).toHaveTextContent('unknown variable {{foo}}')
    expect(screen.queryByTestId('field-error-name')).not.toBeInTheDocument()
    expect(screen.getByTestId('campaign-segment')).toHaveAttribute('aria-invalid', 'true')
    expect(onCreated).not.toHaveBeenCalled()
    // Focus moves to the first invalid field, at once (not on a later frame that could steal typing).
    expect(screen.getByTestId('campaign-template')).toHaveFocus()

    expect(bodiesOf(fetchMock, 'POST /campaigns')).toEqual([{ name: 'Welcome back', channel: 'sms', template: 'Hi {{foo}}', segment_rule: 'nope' }])

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
    await user.selectOptions(screen.getByTestId('campaign-channel'), 'sms')
    await user.type(screen.getByTestId('campaign-template'), 'Hi')
    await user.type(screen.getByTestId('campaign-segment'), ' vip , tw ')
    await user.type(screen.getByTestId('campaign-schedule'), '2030-05-01T09:30')
    await user.click(screen.getByTestId('campaign-submit'))

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(expect.objectContaining({ id: 42 })))
    const [body] = bodiesOf(fetchMock, 'POST /campaigns')
    expect(body.channel).toBe('sms')
    expect(body.segment_rule).toBe('vip,tw')
    expect(body.scheduled_at).toMatch(/^2030-05-01T09:30:00(Z|[+-]\d\d:\d\d)$/)
    expect(new Date(String(body.scheduled_at)).getTime()).toBe(new Date('2030-05-01T09:30').getTime())
  })
})

const previewAnswer = (over: Record<string, unknown> = {}) => ({
  total_targets: 8,
  unreachable: 2,
  items: [
    { recipient_id: 1, name: 'Ann', email: 'a@x.io', phone: null, subject: 'Hi Ann', rendered: '<p>Hello <b>Ann</b></p>', text: 'Hello Ann' },
    { recipient_id: 3, name: 'Cy', email: 'c@x.io', phone: null, subject: 'Hi Cy', rendered: '<p>Hello <b>Cy</b></p>', text: 'Hello Cy' },
  ],
  ...over,
})

/** Fills subject, body and segment of an email draft (the three things a preview needs). */
async function fillEmailDraft(user: ReturnType<typeof userEvent.setup>, segment = 'vip') {
  await user.type(screen.getByTestId('campaign-subject'), 'Hi {{{{name}}')
  await user.type(screen.getByTestId('campaign-template'), '<p>Hello <b>{{{{name}}</b></p>')
  await user.type(screen.getByTestId('campaign-segment'), segment)
}

describe('CampaignForm email', () => {
  it('defaults to email and shows the email fields only for email', async () => {
    mockFetch(baseRoutes)
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)

    expect(screen.getByTestId('campaign-channel')).toHaveValue('email')
    expect(screen.getByTestId('campaign-subject')).toBeInTheDocument()
    expect(screen.getByTestId('campaign-content-type')).toHaveValue('html')
    expect(screen.getByTestId('campaign-text-template')).toBeInTheDocument()
    // From / Reply-To sit in a collapsed Sender section.
    expect(screen.queryByTestId('campaign-from')).not.toBeInTheDocument()
    await user.click(screen.getByTestId('campaign-sender-toggle'))
    expect(screen.getByTestId('campaign-sender-toggle')).toHaveAttribute('aria-expanded', 'true')
    expect(screen.getByTestId('campaign-from')).toBeInTheDocument()
    expect(screen.getByTestId('campaign-reply-to')).toBeInTheDocument()

    // A plain-text email has no separate text alternative.
    await user.selectOptions(screen.getByTestId('campaign-content-type'), 'text')
    expect(screen.queryByTestId('campaign-text-template')).not.toBeInTheDocument()
    expect(screen.getByTestId('campaign-subject')).toBeInTheDocument()

    await user.selectOptions(screen.getByTestId('campaign-channel'), 'sms')
    for (const id of ['campaign-subject', 'campaign-content-type', 'campaign-text-template', 'campaign-sender-toggle', 'campaign-from', 'campaign-reply-to']) {
      expect(screen.queryByTestId(id)).not.toBeInTheDocument()
    }
    expect(screen.getByTestId('campaign-template')).toBeInTheDocument()

    // Switching back keeps what was typed.
    await user.selectOptions(screen.getByTestId('campaign-channel'), 'email')
    await user.type(screen.getByTestId('campaign-subject'), 'S')
    await user.selectOptions(screen.getByTestId('campaign-channel'), 'sms')
    await user.selectOptions(screen.getByTestId('campaign-channel'), 'email')
    expect(screen.getByTestId('campaign-subject')).toHaveValue('S')
  })

  it('inserts variables into the subject or the body, whichever was focused last', async () => {
    mockFetch(baseRoutes)
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)
    const vars = screen.getByTestId('template-variables')
    await waitFor(() => expect(vars).toHaveTextContent('{{city}}'))

    await user.type(screen.getByTestId('campaign-subject'), 'Hi ')
    await user.click(within(vars).getByRole('button', { name: '{{name}}' }))
    expect(screen.getByTestId('campaign-subject')).toHaveValue('Hi {{name}}')
    // The caret is back in the subject, after the token, as soon as the click is handled.
    expect(screen.getByTestId('campaign-subject')).toHaveFocus()
    expect((screen.getByTestId('campaign-subject') as HTMLInputElement).selectionStart).toBe(11)
    expect(screen.getByTestId('template-variables-target')).toHaveTextContent('subject')
    expect(screen.getByTestId('campaign-template')).toHaveValue('')

    await user.type(screen.getByTestId('campaign-template'), '<a href="">bye</a>')
    // Caret between the quotes of href="".
    const body = screen.getByTestId('campaign-template') as HTMLTextAreaElement
    body.setSelectionRange(9, 9)
    await user.click(within(vars).getByRole('button', { name: '{{unsubscribe_url}}' }))
    await waitFor(() => expect(screen.getByTestId('campaign-template')).toHaveValue('<a href="{{unsubscribe_url}}">bye</a>'))
    expect(screen.getByTestId('template-variables-target')).toHaveTextContent('body')
    expect(screen.getByTestId('campaign-subject')).toHaveValue('Hi {{name}}')
    // The text alternative is a template too.
    await user.click(screen.getByTestId('campaign-text-template'))
    await user.click(within(vars).getByRole('button', { name: '{{city}}' }))
    expect(screen.getByTestId('campaign-text-template')).toHaveValue('{{city}}')
    expect(screen.queryByTestId('template-unknown-vars')).not.toBeInTheDocument()
  })

  it('previews the draft through POST /campaigns/preview, debounced, once subject, body and segment are there', async () => {
    const fetchMock = mockFetch([['POST', '/campaigns/preview', () => previewAnswer()], ...baseRoutes])
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)

    expect(screen.getByTestId('draft-preview-hint')).toHaveTextContent('Enter a subject, a body and a segment rule')
    await user.type(screen.getByTestId('campaign-subject'), 'Hi {{{{name}}')
    await user.type(screen.getByTestId('campaign-template'), '<p>Hello <b>{{{{name}}</b></p>')
    expect(screen.getByTestId('draft-preview-hint')).toHaveTextContent('Enter a segment rule')
    await user.type(screen.getByTestId('campaign-segment'), 'vip,tw')
    // Nothing is asked while typing: the request waits until the draft has been still for a while.
    expect(calls(fetchMock)).not.toContain('POST /campaigns/preview')

    const frame = await screen.findByTestId('email-preview-frame')
    const posts = bodiesOf(fetchMock, 'POST /campaigns/preview')
    expect(posts.length).toBeLessThan(3)
    expect(posts.at(-1)).toEqual({
      channel: 'email',
      subject: 'Hi {{name}}',
      template: '<p>Hello <b>{{name}}</b></p>',
      content_type: 'html',
      text_template: null,
      segment_rule: 'vip,tw',
    })

    // The rendered HTML of the first sample recipient, in a sandbox that allows nothing (no scripts).
    expect(frame.tagName).toBe('IFRAME')
    expect(frame).toHaveAttribute('sandbox', '')
    expect(frame).toHaveAttribute('srcdoc', '<p>Hello <b>Ann</b></p>')
    expect(screen.getByTestId('email-preview-subject')).toHaveTextContent('Hi Ann')
    expect(screen.getByTestId('email-preview-recipient')).toHaveTextContent('Ann <a@x.io>')
    expect(screen.getByTestId('preview-total')).toHaveTextContent('8')
    expect(screen.getByTestId('preview-unreachable')).toHaveTextContent('2 match but have no email address')

    // Another sample recipient.
    await user.click(within(screen.getByTestId('preview-list')).getByRole('button', { name: 'Cy' }))
    expect(screen.getByTestId('email-preview-frame')).toHaveAttribute('srcdoc', '<p>Hello <b>Cy</b></p>')
    expect(screen.getByTestId('email-preview-subject')).toHaveTextContent('Hi Cy')

    // The plain-text part.
    expect(screen.queryByTestId('email-preview-text')).not.toBeInTheDocument()
    await user.click(screen.getByTestId('email-preview-tab-text'))
    expect(screen.getByTestId('email-preview-tab-text')).toHaveAttribute('aria-selected', 'true')
    expect(screen.getByTestId('email-preview-text')).toHaveTextContent('Hello Cy')
    expect(screen.queryByTestId('email-preview-frame')).not.toBeInTheDocument()
    await user.click(screen.getByTestId('email-preview-tab-html'))
    expect(screen.getByTestId('email-preview-frame')).toBeInTheDocument()

    // A text alternative is sent along once typed.
    await user.type(screen.getByTestId('campaign-text-template'), 'Hello {{{{name}}')
    await waitFor(() => expect(bodiesOf(fetchMock, 'POST /campaigns/preview').at(-1)).toMatchObject({ text_template: 'Hello {{name}}' }))
  })

  it('waits the debounce delay after the last change before asking', async () => {
    const fetchMock = mockFetch([['POST', '/campaigns/preview', () => previewAnswer()], ...baseRoutes])
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)
    await fillEmailDraft(user)
    await screen.findByTestId('email-preview-frame')
    const before = bodiesOf(fetchMock, 'POST /campaigns/preview').length

    await user.type(screen.getByTestId('campaign-subject'), '!')
    await new Promise((r) => setTimeout(r, PREVIEW_DEBOUNCE_MS / 2))
    expect(bodiesOf(fetchMock, 'POST /campaigns/preview')).toHaveLength(before)
    await waitFor(() => expect(bodiesOf(fetchMock, 'POST /campaigns/preview')).toHaveLength(before + 1))
    expect(bodiesOf(fetchMock, 'POST /campaigns/preview').at(-1)).toMatchObject({ subject: 'Hi {{name}}!' })
  })

  it('ignores a preview answer that arrives after a newer one', async () => {
    let releaseOld: () => void = () => {}
    const oldGate = new Promise<void>((r) => (releaseOld = r))
    const fetchMock = mockFetch([
      [
        'POST',
        '/campaigns/preview',
        async ({ init }) => {
          const body = JSON.parse(String(init!.body))
          if (body.subject === 'Hi {{name}}') {
            await oldGate
            return previewAnswer({ items: [{ ...previewAnswer().items[0], subject: 'OLD', rendered: '<p>old</p>' }] })
          }
          return previewAnswer({ items: [{ ...previewAnswer().items[0], subject: 'NEW', rendered: '<p>new</p>' }] })
        },
      ],
      ...baseRoutes,
    ])
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)
    await fillEmailDraft(user)
    await waitFor(() => expect(bodiesOf(fetchMock, 'POST /campaigns/preview')).toHaveLength(1))

    await user.type(screen.getByTestId('campaign-subject'), '!')
    await waitFor(() => expect(screen.getByTestId('email-preview-subject')).toHaveTextContent('NEW'))
    releaseOld()
    await new Promise((r) => setTimeout(r, 50))
    expect(screen.getByTestId('email-preview-subject')).toHaveTextContent('NEW')
    expect(screen.getByTestId('email-preview-frame')).toHaveAttribute('srcdoc', '<p>new</p>')
  })

  it('shows the preview problem field errors next to their fields', async () => {
    mockFetch([
      [
        'POST',
        '/campaigns/preview',
        () =>
          problem(400, {
            title: 'Invalid input',
            detail: 'subject does not parse',
            errors: [
              { field: 'subject', message: 'unclosed tag at line 1, column 4' },
              { field: 'segment_rule', message: 'unknown tag: vop' },
            ],
          }),
      ],
      ...baseRoutes,
    ])
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)
    await fillEmailDraft(user, 'vop')

    expect(await screen.findByTestId('field-error-subject')).toHaveTextContent('unclosed tag at line 1, column 4')
    expect(screen.getByTestId('field-error-segment_rule')).toHaveTextContent('unknown tag: vop')
    expect(screen.getByTestId('campaign-subject')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByTestId('draft-preview-invalid')).toBeInTheDocument()
    expect(screen.queryByTestId('email-preview-frame')).not.toBeInTheDocument()
    expect(screen.queryByTestId('draft-preview-error')).not.toBeInTheDocument()
  })

  it('shows a preview problem that is not about a field in the preview panel', async () => {
    mockFetch([['POST', '/campaigns/preview', () => problem(503, { title: 'Service Unavailable', detail: 'database is down' })], ...baseRoutes])
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)
    await fillEmailDraft(user)
    expect(await screen.findByTestId('draft-preview-error')).toHaveTextContent('database is down')
  })

  it('creates an email campaign with subject, content type, text alternative and sender', async () => {
    const fetchMock = mockFetch([
      ['POST', '/campaigns/preview', () => previewAnswer()],
      createRoute,
      ...baseRoutes,
    ])
    const onCreated = vi.fn()
    const user = userEvent.setup()
    render(<CampaignForm onCreated={onCreated} />)
    await user.type(screen.getByTestId('campaign-name'), 'News')
    await fillEmailDraft(user)
    await user.type(screen.getByTestId('campaign-text-template'), 'Hello {{{{name}}')
    await user.click(screen.getByTestId('campaign-sender-toggle'))
    await user.type(screen.getByTestId('campaign-from'), ' news@herald.test ')
    await user.type(screen.getByTestId('campaign-reply-to'), 'help@herald.test')
    await user.click(screen.getByTestId('campaign-submit'))

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(expect.objectContaining({ id: 9 })))
    expect(bodiesOf(fetchMock, 'POST /campaigns')).toEqual([
      {
        name: 'News',
        channel: 'email',
        subject: 'Hi {{name}}',
        template: '<p>Hello <b>{{name}}</b></p>',
        content_type: 'html',
        text_template: 'Hello {{name}}',
        from: 'news@herald.test',
        reply_to: 'help@herald.test',
        segment_rule: 'vip',
        track_opens: true,
        track_clicks: true,
      },
    ])
  })

  it('offers Track opens and Track clicks for email, both on, and sends what is ticked', async () => {
    const fetchMock = mockFetch([['POST', '/campaigns/preview', () => previewAnswer()], createRoute, ...baseRoutes])
    const onCreated = vi.fn()
    const user = userEvent.setup()
    render(<CampaignForm onCreated={onCreated} />)
    expect(screen.getByTestId('campaign-track-opens')).toBeChecked()
    expect(screen.getByTestId('campaign-track-clicks')).toBeChecked()
    expect(screen.getByRole('checkbox', { name: 'Track opens' })).toBe(screen.getByTestId('campaign-track-opens'))
    expect(screen.getByTestId('campaign-tracking-hint')).toHaveTextContent('1×1 image')

    await user.type(screen.getByTestId('campaign-name'), 'News')
    await fillEmailDraft(user)
    await user.click(screen.getByRole('checkbox', { name: 'Track clicks' }))
    expect(screen.getByTestId('campaign-track-clicks')).not.toBeChecked()
    await user.click(screen.getByTestId('campaign-submit'))
    await waitFor(() => expect(onCreated).toHaveBeenCalled())
    expect(bodiesOf(fetchMock, 'POST /campaigns')[0]).toMatchObject({ track_opens: true, track_clicks: false })

    // Plain text is never tracked; the form says so.
    await user.selectOptions(screen.getByTestId('campaign-content-type'), 'text')
    expect(screen.getByTestId('campaign-tracking-hint')).toHaveTextContent('HTML bodies only')
  })

  it("starts the tracking boxes from the server's defaults", async () => {
    const fetchMock = mockFetch([
      ['GET', '/campaigns/defaults', () => ({ track_opens: false, track_clicks: true })],
      ['POST', '/campaigns/preview', () => previewAnswer()],
      createRoute,
      ...baseRoutes,
    ])
    const onCreated = vi.fn()
    const user = userEvent.setup()
    render(<CampaignForm onCreated={onCreated} />)
    await waitFor(() => expect(screen.getByTestId('campaign-track-opens')).not.toBeChecked())
    expect(screen.getByTestId('campaign-track-clicks')).toBeChecked()

    await user.type(screen.getByTestId('campaign-name'), 'News')
    await fillEmailDraft(user)
    await user.click(screen.getByTestId('campaign-submit'))
    await waitFor(() => expect(onCreated).toHaveBeenCalled())
    expect(bodiesOf(fetchMock, 'POST /campaigns')[0]).toMatchObject({ track_opens: false, track_clicks: true })
  })

  it('has no tracking for sms and sends no track_* field', async () => {
    const fetchMock = mockFetch([['POST', '/campaigns/preview', () => ({ total_targets: 0, items: [] })], createRoute, ...baseRoutes])
    const onCreated = vi.fn()
    const user = userEvent.setup()
    render(<CampaignForm onCreated={onCreated} />)
    await user.selectOptions(screen.getByTestId('campaign-channel'), 'sms')
    expect(screen.queryByTestId('campaign-tracking')).not.toBeInTheDocument()
    await user.type(screen.getByTestId('campaign-name'), 'Text')
    await user.type(screen.getByTestId('campaign-template'), 'Hi')
    await user.type(screen.getByTestId('campaign-segment'), 'vip')
    await user.click(screen.getByTestId('campaign-submit'))
    await waitFor(() => expect(onCreated).toHaveBeenCalled())
    const body = bodiesOf(fetchMock, 'POST /campaigns')[0]
    expect(body).not.toHaveProperty('track_opens')
    expect(body).not.toHaveProperty('track_clicks')
  })

  it('shows a track_clicks field error next to the checkbox', async () => {
    mockFetch([
      ['POST', '/campaigns/preview', () => previewAnswer()],
      ['POST', '/campaigns', () => problem(400, { title: 'Bad Request', detail: 'Invalid input', errors: [{ field: 'track_clicks', message: 'must be true or false' }] })],
      ...baseRoutes,
    ])
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)
    await user.type(screen.getByTestId('campaign-name'), 'News')
    await fillEmailDraft(user)
    await user.click(screen.getByTestId('campaign-submit'))
    expect(await screen.findByTestId('field-error-track_clicks')).toHaveTextContent('must be true or false')
    expect(screen.getByTestId('campaign-track-clicks')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.queryByTestId('form-error')).not.toBeInTheDocument()
  })

  it('opens the Sender section to show a from error after submitting', async () => {
    mockFetch([
      ['POST', '/campaigns/preview', () => previewAnswer()],
      ['POST', '/campaigns', () => problem(400, { title: 'Invalid input', detail: 'bad from', errors: [{ field: 'from', message: 'not an email address' }] })],
      ...baseRoutes,
    ])
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)
    await user.click(screen.getByTestId('campaign-sender-toggle'))
    await user.type(screen.getByTestId('campaign-from'), 'nope')
    await user.click(screen.getByTestId('campaign-sender-toggle'))
    expect(screen.queryByTestId('campaign-from')).not.toBeInTheDocument()
    await user.click(screen.getByTestId('campaign-submit'))

    expect(await screen.findByTestId('field-error-from')).toHaveTextContent('not an email address')
    expect(screen.getByTestId('campaign-from')).toHaveAttribute('aria-invalid', 'true')
    await waitFor(() => expect(screen.getByTestId('campaign-from')).toHaveFocus())
    expect(screen.queryByTestId('form-error')).not.toBeInTheDocument()
  })

  it('previews an sms draft as text, with the recipients that have no phone number', async () => {
    const fetchMock = mockFetch([
      [
        'POST',
        '/campaigns/preview',
        () => ({ total_targets: 5, unreachable: 3, items: [{ recipient_id: 2, name: 'Bo', email: null, phone: '+886', subject: null, rendered: 'Hi Bo', text: null }] }),
      ],
      ...baseRoutes,
    ])
    const user = userEvent.setup()
    render(<CampaignForm onCreated={() => {}} />)
    await user.selectOptions(screen.getByTestId('campaign-channel'), 'sms')
    expect(screen.getByTestId('draft-preview-hint')).toHaveTextContent('Enter a message and a segment rule')
    await user.type(screen.getByTestId('campaign-template'), 'Hi {{{{name}}')
    await user.type(screen.getByTestId('campaign-segment'), 'vip')

    expect(await screen.findByTestId('preview-item')).toHaveTextContent('Hi Bo')
    expect(screen.getByTestId('preview-item')).toHaveTextContent('+886')
    expect(screen.getByTestId('preview-unreachable')).toHaveTextContent('3 match but have no phone number')
    expect(screen.queryByTestId('email-preview-frame')).not.toBeInTheDocument()
    expect(bodiesOf(fetchMock, 'POST /campaigns/preview').at(-1)).toEqual({ channel: 'sms', template: 'Hi {{name}}', segment_rule: 'vip' })
  })
})
