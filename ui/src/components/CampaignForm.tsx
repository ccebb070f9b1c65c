import { useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type RefObject } from 'react'
import { api, ApiError, normalizeSegment, type Campaign, type Channel, type ContentType, type DraftPreviewRequest, type NewCampaign, type Variant } from '../api'
import { localInputToIso } from '../format'
import { useDraftPreview } from '../hooks/useDraftPreview'
import { AbVariantsEditor, DEFAULT_AB_SETTINGS, nextVariant, type AbSettings } from './AbVariantsEditor'
import { ErrorBox } from './ErrorBox'
import { Loading } from './Loading'
import { MessagePreview } from './MessagePreview'
import { SegmentInput } from './SegmentInput'

const BASE_VARIABLES = ['name', 'email', 'phone']
/** Filled in by the server for each recipient of an email (their personal unsubscribe link). */
const EMAIL_VARIABLES = ['unsubscribe_url']
/** Every field the API may name in errors[], in the order the form shows them. */
const ALL_FIELDS = ['name', 'channel', 'subject', 'content_type', 'template', 'text_template', 'from', 'reply_to', 'track_opens', 'track_clicks', 'segment_rule', 'scheduled_at'] as const
const EMAIL_ONLY = new Set<string>(['subject', 'content_type', 'text_template', 'from', 'reply_to', 'track_opens', 'track_clicks'])

/** Inputs the template-variable buttons can insert into (the last one focused wins). */
type VarTarget = 'subject' | 'template' | 'text_template'
const TARGET_LABEL: Record<VarTarget, string> = { subject: 'subject', template: 'body', text_template: 'plain-text alternative' }

/** Fields the form shows for this channel/content type; errors on any other field go to the top. */
function placedFields(channel: Channel, contentType: ContentType): string[] {
  return ALL_FIELDS.filter((f) => {
    if (channel !== 'email' && EMAIL_ONLY.has(f)) return false
    if (f === 'text_template' && contentType !== 'html') return false
    return true
  })
}

/**
 * Create-campaign form with a live preview of the draft. Validation is the API's job: we submit as
 * typed and map problem.errors[].field back onto the inputs, so there is one source of truth. The
 * preview (POST /campaigns/preview) runs the same validation while you type; its field errors show
 * next to the fields as well.
 */
export function CampaignForm({ onCreated }: { onCreated: (c: Campaign) => void }) {
  const [name, setName] = useState('')
  const [channel, setChannel] = useState<Channel>('email')
  const [subject, setSubject] = useState('')
  const [contentType, setContentType] = useState<ContentType>('html')
  const [template, setTemplate] = useState('')
  const [textTemplate, setTextTemplate] = useState('')
  const [from, setFrom] = useState('')
  const [replyTo, setReplyTo] = useState('')
  const [senderOpen, setSenderOpen] = useState(false)
  // The server's defaults (herald.tracking.*) are not exposed; both are on unless changed there.
  const [trackOpens, setTrackOpens] = useState(true)
  const [trackClicks, setTrackClicks] = useState(true)
  const [segment, setSegment] = useState('')
  const [schedule, setSchedule] = useState('')
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<unknown>(null)
  const [submitting, setSubmitting] = useState(false)
  const [attributeNames, setAttributeNames] = useState<string[]>([])
  const [varTarget, setVarTarget] = useState<VarTarget>('template')
  // A/B test: null while off; the variants replace the subject and body fields.
  const [variants, setVariants] = useState<Variant[] | null>(null)
  const [activeVariant, setActiveVariant] = useState(0)
  const [abSettings, setAbSettings] = useState<AbSettings>(DEFAULT_AB_SETTINGS)
  const subjectRef = useRef<HTMLInputElement>(null)
  const templateRef = useRef<HTMLTextAreaElement>(null)
  const textTemplateRef = useRef<HTMLTextAreaElement>(null)
  // Focus to move once React has committed the render a handler asked for. Applied in a layout
  // effect rather than a timer, so it can never land later, on a field the user has since left.
  const pendingFocus = useRef<(() => void) | null>(null)
  useLayoutEffect(() => {
    const move = pendingFocus.current
    pendingFocus.current = null
    move?.()
  })

  const isEmail = channel === 'email'
  const isHtml = isEmail && contentType === 'html'
  const shown = variants ? variants[Math.min(activeVariant, variants.length - 1)] : null
  // What the preview renders: the open variant tab's content with A/B on.
  const draftSubject = shown ? (shown.subject ?? '') : subject
  const draftTemplate = shown ? shown.template : template

  const toggleAb = (on: boolean) => {
    if (on) {
      const first: Variant = { name: 'A', subject, template, weight: 50 }
      setVariants([first, nextVariant([first], first)])
      setActiveVariant(0)
    } else {
      setVariants(null)
    }
  }

  // Start the tracking boxes from the server's defaults (herald.tracking.*), which a campaign would get anyway,
  // unless the user ticked one before they arrived.
  const trackingTouched = useRef(false)
  useEffect(() => {
    api
      .campaignDefaults()
      .then((d) => {
        if (trackingTouched.current) return
        setTrackOpens(d.track_opens)
        setTrackClicks(d.track_clicks)
      })
      .catch(() => {}) // the boxes keep their own default (on)
  }, [])

  // Offer attribute variables seen on a small sample of recipients.
  useEffect(() => {
    api
      .listRecipients({ limit: 20 })
      .then((page) => {
        const keys = new Set<string>()
        for (const r of page.items ?? []) for (const k of Object.keys(r.attributes ?? {})) keys.add(k)
        for (const b of [...BASE_VARIABLES, ...EMAIL_VARIABLES]) keys.delete(b)
        setAttributeNames([...keys].sort())
      })
      .catch(() => setAttributeNames([])) // suggestions only; the form still works
  }, [])

  const variables = useMemo(
    () => [...BASE_VARIABLES, ...attributeNames, ...(isEmail ? EMAIL_VARIABLES : [])],
    [attributeNames, isEmail],
  )
  const unknownVars = useMemo(() => {
    const texts = [template, ...(isEmail ? [subject] : []), ...(isHtml ? [textTemplate] : [])]
    const used = texts.flatMap((t) => [...t.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].map((m) => m[1]))
    return [...new Set(used.filter((v) => !variables.includes(v)))]
  }, [template, subject, textTemplate, isEmail, isHtml, variables])

  // The draft as the preview endpoint wants it; null until there is enough to render.
  const segmentRule = normalizeSegment(segment)
  const previewMissing = [
    ...(isEmail && !draftSubject.trim() ? ['a subject'] : []),
    ...(!draftTemplate.trim() ? [isEmail ? 'a body' : 'a message'] : []),
    ...(!segmentRule ? ['a segment rule'] : []),
  ]
  const draft: DraftPreviewRequest | null =
    previewMissing.length > 0
      ? null
      : isEmail
        ? {
            channel,
            subject: draftSubject,
            template: draftTemplate,
            content_type: contentType,
            text_template: isHtml && !variants && textTemplate.trim() ? textTemplate : null,
            segment_rule: segmentRule,
          }
        : { channel, template: draftTemplate, segment_rule: segmentRule }
  const live = useDraftPreview(draft)
  // Field errors of the preview apply only while the draft is the one that was previewed.
  const previewHasFieldErrors = live.error instanceof ApiError && (live.error.problem.errors ?? []).length > 0
  const previewFieldErrors = useMemo(
    () => (live.current && live.error instanceof ApiError ? live.error.fieldErrors() : {}),
    [live.current, live.error],
  )

  const placed = [
    ...placedFields(channel, contentType).filter((f) => !variants || !['subject', 'template', 'text_template'].includes(f)),
    ...(variants
      ? [
          'variants',
          ...variants.flatMap((_, i) => ['name', 'weight', ...(isEmail ? ['subject'] : []), 'template'].map((f) => `variants[${i}].${f}`)),
          ...(isEmail ? ['ab_test', 'ab_test.share', 'ab_test.metric', 'ab_test.wait'] : []),
        ]
      : []),
  ]
  const errorFor = (field: string): string | undefined => fieldErrors[field] ?? previewFieldErrors[field]

  const clearError = (field: string) =>
    setFieldErrors((e) => {
      if (!(field in e)) return e
      const { [field]: _omit, ...rest } = e
      return rest
    })

  const targets: Record<VarTarget, { ref: RefObject<HTMLInputElement | HTMLTextAreaElement | null>; value: string; set: (v: string) => void }> = {
    subject: { ref: subjectRef, value: subject, set: setSubject },
    template: { ref: templateRef, value: template, set: setTemplate },
    text_template: { ref: textTemplateRef, value: textTemplate, set: setTextTemplate },
  }
  // The last focused field may have been hidden since (channel or content type changed).
  const effectiveTarget: VarTarget =
    (varTarget === 'subject' && !isEmail) || (varTarget === 'text_template' && !isHtml) ? 'template' : varTarget

  const insertVariable = (v: string) => {
    const { ref, value, set } = targets[effectiveTarget]
    const el = ref.current
    const token = `{{${v}}}`
    const start = el?.selectionStart ?? value.length
    const end = el?.selectionEnd ?? value.length
    set(value.slice(0, start) + token + value.slice(end))
    clearError(effectiveTarget)
    // Put the caret after the inserted token once React has re-rendered.
    pendingFocus.current = () => {
      el?.focus()
      el?.setSelectionRange(start + token.length, start + token.length)
    }
  }

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setSubmitting(true)
    setFormError(null)
    setFieldErrors({})
    try {
      const scheduled = localInputToIso(schedule)
      const body: NewCampaign = {
        name: name.trim(),
        channel,
        ...(variants
          ? {
              variants: variants.map((v) => ({ ...v, subject: isEmail ? v.subject : undefined, name: v.name.trim() })),
              ...(isEmail && abSettings.enabled
                ? { ab_test: { share: Number(abSettings.share), metric: abSettings.metric, wait: abSettings.wait.trim() } }
                : {}),
            }
          : { ...(isEmail ? { subject } : {}), template }),
        ...(isEmail ? { content_type: contentType } : {}),
        ...(isHtml && !variants && textTemplate.trim() ? { text_template: textTemplate } : {}),
        ...(isEmail && from.trim() ? { from: from.trim() } : {}),
        ...(isEmail && replyTo.trim() ? { reply_to: replyTo.trim() } : {}),
        segment_rule: segmentRule,
        ...(scheduled ? { scheduled_at: scheduled } : {}),
        ...(isEmail ? { track_opens: trackOpens, track_clicks: trackClicks } : {}),
      }
      onCreated(await api.createCampaign(body))
    } catch (err) {
      const fe = err instanceof ApiError ? err.fieldErrors() : {}
      setFieldErrors(fe)
      // Show the problem detail at the top too unless every error sits on a field.
      const unplaced = Object.keys(fe).filter((f) => !placed.includes(f))
      if (Object.keys(fe).length === 0 || unplaced.length > 0) setFormError(err)
      if ('from' in fe || 'reply_to' in fe) setSenderOpen(true)
      // Move focus to the first invalid field for keyboard/screen-reader users (after the sender
      // section has opened, if that is where it is).
      const firstVariantError = Object.keys(fe).map((f) => /^variants\[(\d+)\]/.exec(f)).find((m) => m)
      if (firstVariantError) setActiveVariant(Number(firstVariantError[1]))
      const first = placed.find((f) => f in fe)
      if (first) pendingFocus.current = () => document.querySelector<HTMLElement>(`form [name="${first}"]`)?.focus()
    } finally {
      setSubmitting(false)
    }
  }

  const err = (field: string) => {
    const message = errorFor(field)
    return message ? (
      <p id={`err-${field}`} className="field-error" data-testid={`field-error-${field}`}>
        {message}
      </p>
    ) : null
  }
  const invalid = (field: string) => ({
    'aria-invalid': !!errorFor(field),
    'aria-describedby': errorFor(field) ? `err-${field}` : undefined,
  })

  const unplacedErrors = Object.entries(fieldErrors).filter(([f]) => !placed.includes(f))
  const unplacedPreviewErrors = Object.entries(previewFieldErrors).filter(([f]) => !placed.includes(f) && !(f in fieldErrors))
  const showSender = senderOpen || !!errorFor('from') || !!errorFor('reply_to')

  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)] lg:items-start">
      <form onSubmit={onSubmit} noValidate className="card space-y-5" aria-labelledby="new-campaign-heading" data-testid="campaign-form">
        {formError != null && (
          <div className="space-y-1">
            <ErrorBox error={formError} testId="form-error" />
            {unplacedErrors.map(([f, m]) => (
              <p key={f} className="field-error" data-testid={`field-error-${f}`}>
                {f}: {m}
              </p>
            ))}
          </div>
        )}

        <div>
          <label htmlFor="campaign-name" className="label">
            Name
          </label>
          <input
            id="campaign-name"
            name="name"
            className="input"
            value={name}
            onChange={(e) => {
              setName(e.target.value)
              clearError('name')
            }}
            {...invalid('name')}
            placeholder="Welcome back"
            data-testid="campaign-name"
          />
          {err('name')}
        </div>

        <div className="grid gap-4 sm:grid-cols-2">
          <div>
            <label htmlFor="campaign-channel" className="label">
              Channel
            </label>
            <select
              id="campaign-channel"
              name="channel"
              className="input"
              value={channel}
              onChange={(e) => {
                setChannel(e.target.value as Channel)
                clearError('channel')
              }}
              {...invalid('channel')}
              data-testid="campaign-channel"
            >
              <option value="email">Email</option>
              <option value="sms">SMS</option>
            </select>
            {err('channel')}
          </div>
          {isEmail && (
            <div>
              <label htmlFor="campaign-content-type" className="label">
                Content type
              </label>
              <select
                id="campaign-content-type"
                name="content_type"
                className="input"
                value={contentType}
                onChange={(e) => {
                  setContentType(e.target.value as ContentType)
                  clearError('content_type')
                }}
                {...invalid('content_type')}
                data-testid="campaign-content-type"
              >
                <option value="html">HTML</option>
                <option value="text">Plain text</option>
              </select>
              {err('content_type')}
            </div>
          )}
        </div>

        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" checked={!!variants} onChange={(e) => toggleAb(e.target.checked)} data-testid="ab-toggle" />
          A/B test <span className="font-normal text-slate-500">(2 to 5 variants; each recipient gets one)</span>
        </label>

        {variants && (
          <AbVariantsEditor
            variants={variants}
            onChange={setVariants}
            active={activeVariant}
            onActive={setActiveVariant}
            settings={abSettings}
            onSettings={setAbSettings}
            isEmail={isEmail}
            isHtml={isHtml}
            errorFor={errorFor}
            clearError={clearError}
            err={err}
            invalid={invalid}
          />
        )}

        {isEmail && !variants && (
          <div>
            <label htmlFor="campaign-subject" className="label">
              Subject
            </label>
            <input
              id="campaign-subject"
              name="subject"
              ref={subjectRef}
              className="input"
              value={subject}
              onFocus={() => setVarTarget('subject')}
              onChange={(e) => {
                setSubject(e.target.value)
                clearError('subject')
              }}
              {...invalid('subject')}
              placeholder="{{name}}, we miss you"
              data-testid="campaign-subject"
            />
            {err('subject')}
          </div>
        )}

        <div hidden={!!variants}>
          <label htmlFor="campaign-template" className="label">
            {isEmail ? (isHtml ? 'Body (HTML)' : 'Body (plain text)') : 'Message template'}
          </label>
          <textarea
            id="campaign-template"
            name="template"
            ref={templateRef}
            rows={isHtml ? 8 : 5}
            className="input font-mono"
            value={template}
            onFocus={() => setVarTarget('template')}
            onChange={(e) => {
              setTemplate(e.target.value)
              clearError('template')
            }}
            aria-invalid={!!errorFor('template')}
            aria-describedby={`template-vars${errorFor('template') ? ' err-template' : ''}`}
            placeholder={isHtml ? '<p>Hi {{name}}, we miss you!</p>' : 'Hi {{name}}, we miss you!'}
            data-testid="campaign-template"
          />
          {err('template')}
          <div id="template-vars" className="mt-2 text-xs text-slate-600">
            <span>
              Variables (click to insert{isEmail ? <> into the <strong data-testid="template-variables-target">{TARGET_LABEL[effectiveTarget]}</strong></> : ''}):
            </span>
            <ul className="mt-1 flex flex-wrap gap-1" data-testid="template-variables" data-target={effectiveTarget}>
              {variables.map((v) => (
                <li key={v}>
                  <button
                    type="button"
                    className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono hover:bg-sky-50 focus-visible:outline-2 focus-visible:outline-sky-600"
                    // Keep the caret of the field being edited: a click would move focus first.
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => insertVariable(v)}
                    data-testid="template-variable"
                  >
                    {`{{${v}}}`}
                  </button>
                </li>
              ))}
            </ul>
            {unknownVars.length > 0 && (
              <p className="mt-1 text-amber-700" data-testid="template-unknown-vars">
                Not a known variable: {unknownVars.map((v) => `{{${v}}}`).join(', ')}
              </p>
            )}
          </div>
        </div>

        {isHtml && !variants && (
          <div>
            <label htmlFor="campaign-text-template" className="label">
              Plain-text alternative <span className="font-normal text-slate-500">(optional; derived from the HTML when empty)</span>
            </label>
            <textarea
              id="campaign-text-template"
              name="text_template"
              ref={textTemplateRef}
              rows={4}
              className="input font-mono"
              value={textTemplate}
              onFocus={() => setVarTarget('text_template')}
              onChange={(e) => {
                setTextTemplate(e.target.value)
                clearError('text_template')
              }}
              {...invalid('text_template')}
              placeholder="Hi {{name}}, we miss you!"
              data-testid="campaign-text-template"
            />
            {err('text_template')}
          </div>
        )}

        {isEmail && (
          <div className="rounded-md border border-slate-200">
            <button
              type="button"
              className="flex w-full items-center justify-between px-3 py-2 text-left text-sm font-medium text-slate-700 focus-visible:outline-2 focus-visible:outline-sky-600"
              aria-expanded={showSender}
              aria-controls="campaign-sender"
              onClick={() => setSenderOpen(!showSender)}
              data-testid="campaign-sender-toggle"
            >
              <span>
                Sender <span className="font-normal text-slate-500">(optional{from.trim() ? `: ${from.trim()}` : ', server default'})</span>
              </span>
              <span aria-hidden>{showSender ? '▾' : '▸'}</span>
            </button>
            {showSender && (
              <div id="campaign-sender" className="grid gap-4 border-t border-slate-200 p-3 sm:grid-cols-2">
                <div>
                  <label htmlFor="campaign-from" className="label">
                    From
                  </label>
                  <input
                    id="campaign-from"
                    name="from"
                    inputMode="email"
                    autoComplete="off"
                    className="input"
                    value={from}
                    onChange={(e) => {
                      setFrom(e.target.value)
                      clearError('from')
                    }}
                    {...invalid('from')}
                    placeholder="news@example.com"
                    data-testid="campaign-from"
                  />
                  {err('from')}
                </div>
                <div>
                  <label htmlFor="campaign-reply-to" className="label">
                    Reply-To
                  </label>
                  <input
                    id="campaign-reply-to"
                    name="reply_to"
                    inputMode="email"
                    autoComplete="off"
                    className="input"
                    value={replyTo}
                    onChange={(e) => {
                      setReplyTo(e.target.value)
                      clearError('reply_to')
                    }}
                    {...invalid('reply_to')}
                    placeholder="support@example.com"
                    data-testid="campaign-reply-to"
                  />
                  {err('reply_to')}
                </div>
              </div>
            )}
          </div>
        )}

        {isEmail && (
          <fieldset className="rounded-md border border-slate-200 px-3 py-2" data-testid="campaign-tracking">
            <legend className="px-1 text-sm font-medium text-slate-700">Tracking</legend>
            <div className="flex flex-wrap gap-x-6 gap-y-1">
              {(
                [
                  ['track_opens', 'Track opens', trackOpens, setTrackOpens],
                  ['track_clicks', 'Track clicks', trackClicks, setTrackClicks],
                ] as const
              ).map(([field, label, checked, set]) => (
                <label key={field} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name={field}
                    checked={checked}
                    onChange={(e) => {
                      trackingTouched.current = true
                      set(e.target.checked)
                      clearError(field)
                    }}
                    {...invalid(field)}
                    data-testid={`campaign-${field.replace('_', '-')}`}
                  />
                  {label}
                </label>
              ))}
            </div>
            {err('track_opens')}
            {err('track_clicks')}
            <p className="mt-1 text-xs text-slate-500" data-testid="campaign-tracking-hint">
              {isHtml
                ? 'Opens: a 1×1 image is added to the body. Clicks: http(s) links go through a signed redirect (the unsubscribe link never does).'
                : 'Tracking applies to HTML bodies only: a plain-text email is sent as written.'}
            </p>
          </fieldset>
        )}

        <SegmentInput
          value={segment}
          onChange={(v) => {
            setSegment(v)
            clearError('segment_rule')
          }}
          error={errorFor('segment_rule')}
        />

        <div>
          <label htmlFor="campaign-schedule" className="label">
            Schedule <span className="font-normal text-slate-500">(optional, your local time)</span>
          </label>
          <input
            id="campaign-schedule"
            name="scheduled_at"
            type="datetime-local"
            className="input sm:max-w-xs"
            value={schedule}
            onChange={(e) => {
              setSchedule(e.target.value)
              clearError('scheduled_at')
            }}
            {...invalid('scheduled_at')}
            data-testid="campaign-schedule"
          />
          {err('scheduled_at')}
          {schedule && <p className="mt-1 text-xs text-slate-500">Sent as {localInputToIso(schedule)}</p>}
        </div>

        <div className="flex justify-end">
          <button type="submit" className="btn-primary" disabled={submitting} data-testid="campaign-submit">
            {submitting ? 'Creating…' : 'Create campaign'}
          </button>
        </div>
      </form>

      <aside className="card space-y-3 lg:sticky lg:top-4" aria-labelledby="draft-preview-heading" data-testid="draft-preview" data-state={draft ? (live.loading ? 'loading' : 'ready') : 'incomplete'}>
        <div className="flex items-center justify-between gap-2">
          <h2 id="draft-preview-heading" className="text-lg font-semibold">
            Preview
          </h2>
          {draft && live.loading && <Loading label="Rendering…" />}
        </div>
        {!draft ? (
          <p className="text-sm text-slate-500" data-testid="draft-preview-hint">
            Enter {previewMissing.join(', ').replace(/, ([^,]*)$/, ' and $1')} to see the {isEmail ? 'email' : 'message'} rendered for a sample recipient.
          </p>
        ) : (
          <>
            {live.error != null && !previewHasFieldErrors && <ErrorBox error={live.error} testId="draft-preview-error" />}
            {live.current &&
              unplacedPreviewErrors.map(([f, m]) => (
                <p key={f} className="field-error" data-testid={`preview-field-error-${f}`}>
                  {f}: {m}
                </p>
              ))}
            {live.current && previewHasFieldErrors && unplacedPreviewErrors.length < Object.keys(previewFieldErrors).length && (
              <p className="text-sm text-rose-700" data-testid="draft-preview-invalid">
                Fix the field marked in the form to see the preview.
              </p>
            )}
            {live.preview && (
              <div className={live.loading ? 'opacity-60 transition-opacity' : undefined}>
                <MessagePreview preview={live.preview} channel={channel} contentType={isEmail ? contentType : undefined} />
              </div>
            )}
          </>
        )}
      </aside>
    </div>
  )
}
