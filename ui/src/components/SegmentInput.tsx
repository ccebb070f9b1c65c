import { useEffect, useState } from 'react'
import { api, ApiError, errorMessage, normalizeTags, type TagCount } from '../api'
import { useDebounced } from '../hooks/useDebounced'

export const COUNT_DEBOUNCE_MS = 300

/** Split "vip, t" into chosen tags and the partial token being typed. */
function parseRule(value: string, tags: TagCount[]) {
  const parts = value.split(',').map((p) => p.trim())
  const last = parts[parts.length - 1] ?? ''
  const exact = tags.some((t) => t.tag === last)
  const chosen = new Set(parts.slice(0, exact ? parts.length : -1).filter(Boolean))
  return { chosen, partial: exact ? '' : last.toLowerCase(), exact, parts }
}

/**
 * Segment rule = comma-separated tags that must all match (AND).
 * Suggests tags from GET /tags and shows a debounced live count of matching recipients.
 */
export function SegmentInput({
  value,
  onChange,
  error,
  id = 'campaign-segment',
}: {
  value: string
  onChange: (v: string) => void
  error?: string
  id?: string
}) {
  const [tags, setTags] = useState<TagCount[]>([])
  const [tagsError, setTagsError] = useState<string | null>(null)
  const [count, setCount] = useState<number | null>(null)
  const [counting, setCounting] = useState(false)
  const [countError, setCountError] = useState<string | null>(null)
  const rule = useDebounced(normalizeTags(value), COUNT_DEBOUNCE_MS)

  useEffect(() => {
    api
      .listTags()
      .then((r) => setTags(r.items ?? []))
      .catch((e) => setTagsError(errorMessage(e)))
  }, [])

  useEffect(() => {
    if (!rule) {
      setCount(null)
      setCountError(null)
      return
    }
    let stale = false
    setCounting(true)
    setCountError(null)
    api
      .countRecipients(rule)
      .then((r) => !stale && setCount(r.count))
      .catch((e) => {
        if (stale) return
        setCount(null)
        // A 400 names the bad tag in errors[]; show that message alone, not "tag: ...".
        const fieldMessage = e instanceof ApiError ? Object.values(e.fieldErrors())[0] : undefined
        setCountError(fieldMessage ?? errorMessage(e))
      })
      .finally(() => !stale && setCounting(false))
    return () => {
      stale = true
    }
  }, [rule])

  const { chosen, partial, exact, parts } = parseRule(value, tags)
  const suggestions = tags.filter((t) => !chosen.has(t.tag) && (!partial || t.tag.toLowerCase().includes(partial))).slice(0, 12)

  const pick = (tag: string) => {
    const base = (exact ? parts : parts.slice(0, -1)).filter(Boolean)
    onChange([...base, tag].join(','))
  }

  const pending = normalizeTags(value) !== rule || counting
  const errorId = `${id}-error`
  const hintId = `${id}-hint`

  return (
    <div>
      <label htmlFor={id} className="label">
        Segment rule
      </label>
      <input
        id={id}
        name="segment_rule"
        className="input font-mono"
        placeholder="vip,tw"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={!!error}
        aria-describedby={`${hintId} ${id}-count${error ? ` ${errorId}` : ''}`}
        data-testid="campaign-segment"
      />
      {error && (
        <p id={errorId} className="field-error" data-testid="field-error-segment_rule">
          {error}
        </p>
      )}
      <p id={hintId} className="mt-1 text-xs text-slate-500">
        Comma-separated tags; a recipient must have all of them.
      </p>
      <p id={`${id}-count`} className="mt-1 text-sm" aria-live="polite" data-testid="segment-count" data-count={count ?? ''}>
        {!normalizeTags(value) ? (
          <span className="text-slate-500">Enter at least one tag to see how many recipients match.</span>
        ) : pending ? (
          <span className="text-slate-500">Counting…</span>
        ) : countError ? (
          // The submit error above already says what is wrong with the rule; don't repeat it.
          error ? null : <span className="text-rose-700">Cannot count recipients: {countError}</span>
        ) : count !== null ? (
          <span>
            <strong>{count.toLocaleString()}</strong> matching recipient{count === 1 ? '' : 's'}
          </span>
        ) : null}
      </p>
      {suggestions.length > 0 && (
        <div className="mt-2">
          <p className="text-xs text-slate-500" id={`${id}-suggest`}>
            Tags:
          </p>
          <ul className="mt-1 flex flex-wrap gap-1" aria-labelledby={`${id}-suggest`} data-testid="tag-suggestions">
            {suggestions.map((t) => (
              <li key={t.tag}>
                <button
                  type="button"
                  className="rounded-full border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-sky-50 focus-visible:outline-2 focus-visible:outline-sky-600"
                  onClick={() => pick(t.tag)}
                  data-testid="tag-suggestion"
                  data-tag={t.tag}
                >
                  + {t.tag} <span className="text-slate-400">{t.count}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {tagsError && <p className="mt-1 text-xs text-amber-700">Tag suggestions unavailable: {tagsError}</p>}
    </div>
  )
}
