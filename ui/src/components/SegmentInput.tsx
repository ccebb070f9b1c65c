import { useEffect, useState } from 'react'
import { api, ApiError, errorMessage, isTagList, normalizeSegment, type TagCount } from '../api'
import { useDebounced } from '../hooks/useDebounced'
import { SegmentField } from './SegmentField'

export const COUNT_DEBOUNCE_MS = 300

/** Split "vip, t" into chosen tags and the partial token being typed. */
function parseRule(value: string, tags: TagCount[]) {
  const parts = value.split(',').map((p) => p.trim())
  const last = parts[parts.length - 1] ?? ''
  const exact = tags.some((t) => t.tag === last)
  const chosen = new Set(parts.slice(0, exact ? parts.length : -1).filter(Boolean))
  return { chosen, partial: exact ? '' : last.toLowerCase(), exact, parts }
}

/** In an expression, the word being typed at the end ("vip and t" -> "t"); '' after a space or "(". */
function trailingWord(value: string): string {
  return /[A-Za-z0-9_.:-]*$/.exec(value)?.[0] ?? ''
}

/** What a 400 from the count says: the message and, for an expression, the column. */
interface CountError {
  message: string
  column?: number
}

/**
 * Segment rule: comma-separated tags that must all match (AND), or an expression such as
 * `vip and (tw or jp) and not city = "Taipei"`. Suggests tags from GET /tags and shows a debounced live count
 * of matching recipients; a rule that does not parse is marked in place at the column the API names.
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
  const [countError, setCountError] = useState<CountError | null>(null)
  const rule = useDebounced(normalizeSegment(value), COUNT_DEBOUNCE_MS)

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
        // A 400 names the bad tag or the column in errors[]; show that message alone, not "segment: ...".
        const fieldError = e instanceof ApiError ? e.problem.errors?.[0] : undefined
        setCountError(fieldError ? { message: fieldError.message, column: fieldError.column } : { message: errorMessage(e) })
      })
      .finally(() => !stale && setCounting(false))
    return () => {
      stale = true
    }
  }, [rule])

  const tagList = isTagList(value)
  const { chosen, partial, exact, parts } = tagList
    ? parseRule(value, tags)
    : { chosen: new Set<string>(), partial: trailingWord(value).toLowerCase(), exact: false, parts: [] }
  const suggestions = tags
    .filter((t) => !chosen.has(t.tag) && t.tag !== partial && (!partial || t.tag.toLowerCase().includes(partial)))
    .slice(0, 12)

  const pick = (tag: string) => {
    if (tagList) {
      const base = (exact ? parts : parts.slice(0, -1)).filter(Boolean)
      onChange([...base, tag].join(','))
    } else {
      // Complete the word being typed, or add the tag as one more "and" term.
      const head = value.slice(0, value.length - partial.length)
      onChange(partial || /(\(|\b(and|or|not))\s*$/i.test(head) ? head + tag : `${head.trimEnd()} and ${tag}`)
    }
  }

  const normalized = normalizeSegment(value)
  const pending = normalized !== rule || counting
  // The mark belongs to the text it was computed for: none while the user has typed on since.
  const errorColumn = !pending && countError?.column ? countError.column : null
  const errorId = `${id}-error`
  const hintId = `${id}-hint`

  return (
    <div>
      <label htmlFor={id} className="label">
        Segment rule
      </label>
      <SegmentField
        id={id}
        name="segment_rule"
        placeholder='vip,tw or vip and (tw or jp) and not churned'
        autoComplete="off"
        value={value}
        errorColumn={errorColumn}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={!!error || errorColumn !== null}
        aria-describedby={`${hintId} ${id}-count${error ? ` ${errorId}` : ''}`}
        data-testid="campaign-segment"
      />
      {error && (
        <p id={errorId} className="field-error" data-testid="field-error-segment_rule">
          {error}
        </p>
      )}
      <p id={hintId} className="mt-1 text-xs text-slate-500" data-testid="segment-hint">
        Tags separated by commas (<code>vip,tw</code>: both), or an expression: tags with <code>and</code>,{' '}
        <code>or</code>, <code>not</code> and parentheses; <code>city = "Taipei"</code>, <code>city != "Taipei"</code>,{' '}
        <code>city in ("Taipei", "Tainan")</code>, <code>has(phone)</code>, <code>email ends_with "@example.com"</code>.
      </p>
      <p id={`${id}-count`} className="mt-1 text-sm" aria-live="polite" data-testid="segment-count" data-count={count ?? ''}>
        {!normalized ? (
          <span className="text-slate-500">Enter a tag or an expression to see how many recipients match.</span>
        ) : pending ? (
          <span className="text-slate-500">Counting…</span>
        ) : countError ? (
          // The submit error above already says what is wrong with the rule; don't repeat it.
          error ? null : (
            <span className="text-rose-700" data-testid="segment-error">
              {countError.column ? '' : 'Cannot count recipients: '}
              {countError.message}
            </span>
          )
        ) : count !== null ? (
          <span>
            <strong>{count.toLocaleString('en-US')}</strong> recipient{count === 1 ? ' matches' : 's match'}
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
