import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { api, ApiError, normalizeTags, type Campaign } from '../api'
import { localInputToIso } from '../format'
import { ErrorBox } from './ErrorBox'
import { SegmentInput } from './SegmentInput'

const BASE_VARIABLES = ['name', 'email', 'phone']
const FORM_FIELDS = ['name', 'template', 'segment_rule', 'scheduled_at'] as const

/**
 * Create-campaign form. Validation is the API's job: we submit as typed and map
 * problem.errors[].field back onto the inputs, so there is one source of truth.
 */
export function CampaignForm({ onCreated }: { onCreated: (c: Campaign) => void }) {
  const [name, setName] = useState('')
  const [template, setTemplate] = useState('')
  const [segment, setSegment] = useState('')
  const [schedule, setSchedule] = useState('')
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<unknown>(null)
  const [submitting, setSubmitting] = useState(false)
  const [attributeNames, setAttributeNames] = useState<string[]>([])
  const templateRef = useRef<HTMLTextAreaElement>(null)

  // Offer attribute variables seen on a small sample of recipients.
  useEffect(() => {
    api
      .listRecipients({ limit: 20 })
      .then((page) => {
        const keys = new Set<string>()
        for (const r of page.items ?? []) for (const k of Object.keys(r.attributes ?? {})) keys.add(k)
        for (const b of BASE_VARIABLES) keys.delete(b)
        setAttributeNames([...keys].sort())
      })
      .catch(() => setAttributeNames([])) // suggestions only; the form still works
  }, [])

  const variables = useMemo(() => [...BASE_VARIABLES, ...attributeNames], [attributeNames])
  const unknownVars = useMemo(() => {
    const used = [...template.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].map((m) => m[1])
    return [...new Set(used.filter((v) => !variables.includes(v)))]
  }, [template, variables])

  const clearError = (field: string) =>
    setFieldErrors((e) => {
      if (!(field in e)) return e
      const { [field]: _omit, ...rest } = e
      return rest
    })

  const insertVariable = (v: string) => {
    const el = templateRef.current
    const token = `{{${v}}}`
    const start = el?.selectionStart ?? template.length
    const end = el?.selectionEnd ?? template.length
    const next = template.slice(0, start) + token + template.slice(end)
    setTemplate(next)
    clearError('template')
    // Put the caret after the inserted token once React has re-rendered.
    requestAnimationFrame(() => {
      el?.focus()
      el?.setSelectionRange(start + token.length, start + token.length)
    })
  }

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setSubmitting(true)
    setFormError(null)
    setFieldErrors({})
    try {
      const scheduled = localInputToIso(schedule)
      const created = await api.createCampaign({
        name: name.trim(),
        template,
        segment_rule: normalizeTags(segment),
        ...(scheduled ? { scheduled_at: scheduled } : {}),
      })
      onCreated(created)
    } catch (err) {
      const fe = err instanceof ApiError ? err.fieldErrors() : {}
      setFieldErrors(fe)
      // Show the problem detail at the top too unless every error sits on a field.
      const unplaced = Object.keys(fe).filter((f) => !(FORM_FIELDS as readonly string[]).includes(f))
      if (Object.keys(fe).length === 0 || unplaced.length > 0) setFormError(err)
      // Move focus to the first invalid field for keyboard/screen-reader users.
      const first = FORM_FIELDS.find((f) => f in fe)
      if (first) document.querySelector<HTMLElement>(`[name="${first}"]`)?.focus()
    } finally {
      setSubmitting(false)
    }
  }

  const err = (field: string) =>
    fieldErrors[field] ? (
      <p id={`err-${field}`} className="field-error" data-testid={`field-error-${field}`}>
        {fieldErrors[field]}
      </p>
    ) : null

  const unplacedErrors = Object.entries(fieldErrors).filter(([f]) => !(FORM_FIELDS as readonly string[]).includes(f))

  return (
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
          aria-invalid={!!fieldErrors.name}
          aria-describedby={fieldErrors.name ? 'err-name' : undefined}
          placeholder="Welcome back"
          data-testid="campaign-name"
        />
        {err('name')}
      </div>

      <div>
        <label htmlFor="campaign-template" className="label">
          Message template
        </label>
        <textarea
          id="campaign-template"
          name="template"
          ref={templateRef}
          rows={5}
          className="input font-mono"
          value={template}
          onChange={(e) => {
            setTemplate(e.target.value)
            clearError('template')
          }}
          aria-invalid={!!fieldErrors.template}
          aria-describedby={`template-vars${fieldErrors.template ? ' err-template' : ''}`}
          placeholder="Hi {{name}}, we miss you!"
          data-testid="campaign-template"
        />
        {err('template')}
        <div id="template-vars" className="mt-2 text-xs text-slate-600">
          <span>Variables (click to insert):</span>
          <ul className="mt-1 flex flex-wrap gap-1" data-testid="template-variables">
            {variables.map((v) => (
              <li key={v}>
                <button
                  type="button"
                  className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono hover:bg-sky-50 focus-visible:outline-2 focus-visible:outline-sky-600"
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

      <SegmentInput
        value={segment}
        onChange={(v) => {
          setSegment(v)
          clearError('segment_rule')
        }}
        error={fieldErrors.segment_rule}
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
          aria-invalid={!!fieldErrors.scheduled_at}
          aria-describedby={fieldErrors.scheduled_at ? 'err-scheduled_at' : undefined}
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
  )
}
