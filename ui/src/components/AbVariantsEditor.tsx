import type { ReactNode } from 'react'
import type { AbMetric, Variant } from '../api'

export const MAX_VARIANTS = 5
const NAMES = ['A', 'B', 'C', 'D', 'E']

/** The automatic-winner settings as edited (sent as ab_test when enabled). */
export interface AbSettings {
  enabled: boolean
  share: string
  metric: AbMetric
  wait: string
}

export const DEFAULT_AB_SETTINGS: AbSettings = { enabled: true, share: '20', metric: 'clicks', wait: 'PT2H' }

/** A new variant named after the first free letter, copying `from`'s content (a tweak is the usual start). */
export function nextVariant(existing: Variant[], from?: Variant): Variant {
  const taken = new Set(existing.map((v) => v.name.trim().toUpperCase()))
  const name = NAMES.find((n) => !taken.has(n)) ?? `V${existing.length + 1}`
  return { name, subject: from?.subject ?? '', template: from?.template ?? '', weight: 50 }
}

interface Props {
  variants: Variant[]
  onChange: (variants: Variant[]) => void
  active: number
  onActive: (index: number) => void
  settings: AbSettings
  onSettings: (s: AbSettings) => void
  isEmail: boolean
  isHtml: boolean
  errorFor: (field: string) => string | undefined
  clearError: (field: string) => void
  /** The form's error line and aria attributes for a field, so errors look and read the same everywhere. */
  err: (field: string) => ReactNode
  invalid: (field: string) => { 'aria-invalid': boolean; 'aria-describedby': string | undefined }
}

/**
 * Variant tabs (A, B, + up to five), each with its subject, body and weight, and the automatic-winner settings.
 * Field names follow the API's error fields (`variants[1].template`), so its 400s land next to the right input;
 * a tab with an error is marked, since its fields may be hidden.
 */
export function AbVariantsEditor({ variants, onChange, active, onActive, settings, onSettings, isEmail, isHtml, errorFor, clearError, err, invalid }: Props) {
  const current = variants[Math.min(active, variants.length - 1)]
  const at = Math.min(active, variants.length - 1)
  const field = (name: string) => `variants[${at}].${name}`
  const update = (patch: Partial<Variant>, name: string) => {
    onChange(variants.map((v, i) => (i === at ? { ...v, ...patch } : v)))
    clearError(field(name))
  }
  const tabHasError = (i: number) => ['name', 'subject', 'template', 'weight'].some((f) => !!errorFor(`variants[${i}].${f}`))
  const totalWeight = variants.reduce((sum, v) => sum + (Number.isFinite(v.weight) && v.weight > 0 ? v.weight : 0), 0)
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3" data-testid="ab-editor">
      <legend className="px-1 text-sm font-medium text-slate-700">Variants</legend>
      {err('variants')}
      <div role="tablist" aria-label="Variants" className="flex flex-wrap items-center gap-1">
        {variants.map((v, i) => (
          <button
            key={i}
            type="button"
            role="tab"
            id={`variant-tab-${i}`}
            aria-selected={i === at}
            aria-controls="variant-panel"
            className={`rounded-t-md border px-3 py-1 text-sm ${i === at ? 'border-sky-600 bg-sky-50 font-semibold' : 'border-slate-300'} ${tabHasError(i) ? 'text-rose-700' : ''}`}
            onClick={() => onActive(i)}
            data-testid={`variant-tab-${i}`}
          >
            {v.name.trim() || `#${i + 1}`}
            {tabHasError(i) && <span aria-label="has errors"> !</span>}
            <span className="ml-1 text-xs font-normal text-slate-500">{totalWeight > 0 ? Math.round(((v.weight > 0 ? v.weight : 0) * 100) / totalWeight) : 0} %</span>
          </button>
        ))}
        {variants.length < MAX_VARIANTS && (
          <button
            type="button"
            className="btn-secondary px-2 py-1 text-sm"
            onClick={() => {
              onChange([...variants, nextVariant(variants, current)])
              onActive(variants.length)
            }}
            data-testid="variant-add"
          >
            + Add variant
          </button>
        )}
      </div>

      <div id="variant-panel" role="tabpanel" aria-labelledby={`variant-tab-${at}`} className="space-y-3" data-testid="variant-panel">
        <div className="grid gap-3 sm:grid-cols-[1fr_8rem_auto] sm:items-end">
          <div>
            <label htmlFor="variant-name" className="label">
              Variant name
            </label>
            <input
              id="variant-name"
              name={field('name')}
              className="input"
              value={current.name}
              onChange={(e) => update({ name: e.target.value }, 'name')}
              {...invalid(field('name'))}
              data-testid="variant-name"
            />
          </div>
          <div>
            <label htmlFor="variant-weight" className="label">
              Weight
            </label>
            <input
              id="variant-weight"
              name={field('weight')}
              type="number"
              min={1}
              className="input"
              value={Number.isFinite(current.weight) ? current.weight : ''}
              onChange={(e) => update({ weight: e.target.value === '' ? Number.NaN : Number(e.target.value) }, 'weight')}
              {...invalid(field('weight'))}
              data-testid="variant-weight"
            />
          </div>
          {variants.length > 2 && (
            <button
              type="button"
              className="btn-secondary text-sm"
              onClick={() => {
                onChange(variants.filter((_, i) => i !== at))
                onActive(Math.max(0, at - 1))
              }}
              data-testid="variant-remove"
            >
              Remove
            </button>
          )}
        </div>
        {err(field('name'))}
        {err(field('weight'))}
        {isEmail && (
          <div>
            <label htmlFor="variant-subject" className="label">
              Subject
            </label>
            <input
              id="variant-subject"
              name={field('subject')}
              className="input"
              value={current.subject ?? ''}
              onChange={(e) => update({ subject: e.target.value }, 'subject')}
              {...invalid(field('subject'))}
              placeholder="{{name}}, we miss you"
              data-testid="variant-subject"
            />
            {err(field('subject'))}
          </div>
        )}
        <div>
          <label htmlFor="variant-template" className="label">
            {isEmail ? (isHtml ? 'Body (HTML)' : 'Body (plain text)') : 'Message template'}
          </label>
          <textarea
            id="variant-template"
            name={field('template')}
            rows={isHtml ? 8 : 5}
            className="input font-mono"
            value={current.template}
            onChange={(e) => update({ template: e.target.value }, 'template')}
            {...invalid(field('template'))}
            placeholder={isHtml ? '<p>Hi {{name}}, we miss you!</p>' : 'Hi {{name}}, we miss you!'}
            data-testid="variant-template"
          />
          {err(field('template'))}
        </div>
      </div>

      {isEmail && (
        <div className="space-y-2 border-t border-slate-200 pt-3">
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={settings.enabled}
              onChange={(e) => onSettings({ ...settings, enabled: e.target.checked })}
              data-testid="ab-winner-toggle"
            />
            Pick a winner automatically: test on part of the segment, then send the best variant to the rest
          </label>
          {err('ab_test')}
          {settings.enabled && (
            <div className="grid gap-3 sm:grid-cols-3">
              <div>
                <label htmlFor="ab-share" className="label">
                  Test share (%)
                </label>
                <input
                  id="ab-share"
                  name="ab_test.share"
                  type="number"
                  min={1}
                  max={99}
                  className="input"
                  value={settings.share}
                  onChange={(e) => {
                    onSettings({ ...settings, share: e.target.value })
                    clearError('ab_test.share')
                  }}
                  {...invalid('ab_test.share')}
                  data-testid="ab-share"
                />
                {err('ab_test.share')}
              </div>
              <div>
                <label htmlFor="ab-metric" className="label">
                  Winner by
                </label>
                <select
                  id="ab-metric"
                  name="ab_test.metric"
                  className="input"
                  value={settings.metric}
                  onChange={(e) => {
                    onSettings({ ...settings, metric: e.target.value as AbMetric })
                    clearError('ab_test.metric')
                  }}
                  {...invalid('ab_test.metric')}
                  data-testid="ab-metric"
                >
                  <option value="clicks">Clicks</option>
                  <option value="opens">Opens</option>
                </select>
                {err('ab_test.metric')}
              </div>
              <div>
                <label htmlFor="ab-wait" className="label">
                  Wait <span className="font-normal text-slate-500">(ISO-8601, e.g. PT2H)</span>
                </label>
                <input
                  id="ab-wait"
                  name="ab_test.wait"
                  className="input"
                  value={settings.wait}
                  onChange={(e) => {
                    onSettings({ ...settings, wait: e.target.value })
                    clearError('ab_test.wait')
                  }}
                  {...invalid('ab_test.wait')}
                  data-testid="ab-wait"
                />
                {err('ab_test.wait')}
              </div>
            </div>
          )}
        </div>
      )}
    </fieldset>
  )
}
