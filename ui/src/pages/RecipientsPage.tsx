import { useEffect, useState } from 'react'
import { useAuth } from '../auth'
import { api, ApiError, isTagList, normalizeSegment, normalizeTags, RECIPIENT_STATUSES, type Recipient, type TagCount } from '../api'
import { ErrorBox } from '../components/ErrorBox'
import { SegmentField } from '../components/SegmentField'
import { ImportPanel } from '../components/ImportPanel'
import { Loading } from '../components/Loading'
import { StatusBadge } from '../components/StatusBadge'
import { formatTime } from '../format'
import { useDebounced } from '../hooks/useDebounced'
import { LoadMoreButton } from '../components/LoadMoreButton'
import { usePagedList } from '../hooks/usePagedList'

const PAGE_SIZE = 50

export function RecipientsPage() {
  const { canWrite } = useAuth()
  const [tagInput, setTagInput] = useState('')
  const [qInput, setQInput] = useState('')
  const [status, setStatus] = useState('')
  const tag = useDebounced(normalizeSegment(tagInput), 300)
  const q = useDebounced(qInput.trim(), 300)

  const [tags, setTags] = useState<TagCount[]>([])
  const [reloadKey, setReloadKey] = useState(0)

  useEffect(() => {
    api
      .listTags()
      .then((r) => setTags(r.items ?? []))
      .catch(() => setTags([])) // only used for the quick filter chips
  }, [reloadKey])

  const { items, loading, loadingMore, error, hasMore, loadMore } = usePagedList(
    (cursor) =>
      api.listRecipients({ tag: tag || undefined, q: q || undefined, status: status || undefined, limit: PAGE_SIZE, cursor }),
    [tag, q, status, reloadKey],
  )

  // Chips toggle tags of a tag list; on an expression they add one more "and" term.
  const tagList = isTagList(tagInput)
  const selected = new Set(tagList ? normalizeTags(tagInput).split(',').filter(Boolean) : [])
  const toggleTag = (t: string) => {
    if (!tagList) return setTagInput(`${tagInput.trimEnd()} and ${t}`)
    const next = new Set(selected)
    if (next.has(t)) next.delete(t)
    else next.add(t)
    setTagInput([...next].join(','))
  }
  // A segment that does not parse: mark its column in the filter (while it is still the text on screen).
  const segmentError = error instanceof ApiError && tag === normalizeSegment(tagInput) ? error.problem.errors?.find((e) => e.field === 'segment') : undefined

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Recipients</h1>

      {canWrite && <ImportPanel onFinished={() => setReloadKey((k) => k + 1)} />}

      <section className="card" aria-labelledby="recipients-heading">
        <h2 id="recipients-heading" className="sr-only">
          Recipient list
        </h2>
        <form className="grid gap-3 sm:grid-cols-[2fr_2fr_1fr]" role="search" onSubmit={(e) => e.preventDefault()}>
          <div>
            <label htmlFor="recipients-q" className="label">
              Search
            </label>
            <input
              id="recipients-q"
              type="search"
              className="input"
              placeholder="Name, email or phone"
              value={qInput}
              onChange={(e) => setQInput(e.target.value)}
              data-testid="recipients-search"
            />
          </div>
          <div>
            <label htmlFor="recipients-tag" className="label">
              Segment <span className="font-normal text-slate-500">(tags, all must match, or an expression)</span>
            </label>
            <SegmentField
              id="recipients-tag"
              placeholder='vip,tw or vip and city = "Taipei"'
              value={tagInput}
              errorColumn={segmentError?.column}
              aria-invalid={!!segmentError}
              onChange={(e) => setTagInput(e.target.value)}
              data-testid="recipients-tag-filter"
            />
          </div>
          <div>
            <label htmlFor="recipients-status" className="label">
              Status
            </label>
            <select
              id="recipients-status"
              className="input"
              value={status}
              onChange={(e) => setStatus(e.target.value)}
              data-testid="recipients-status-filter"
            >
              <option value="">All</option>
              {RECIPIENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
        </form>
        {tags.length > 0 && (
          <ul className="mt-2 flex flex-wrap gap-1" aria-label="Quick tag filters">
            {tags.slice(0, 30).map((t) => (
              <li key={t.tag}>
                <button
                  type="button"
                  aria-pressed={selected.has(t.tag)}
                  onClick={() => toggleTag(t.tag)}
                  className={`rounded-full border px-2 py-0.5 text-xs focus-visible:outline-2 focus-visible:outline-sky-600 ${
                    selected.has(t.tag) ? 'border-sky-700 bg-sky-700 text-white' : 'border-slate-300 bg-white hover:bg-sky-50'
                  }`}
                  data-testid="recipients-tag-chip"
                  data-tag={t.tag}
                >
                  {t.tag} <span className={selected.has(t.tag) ? 'text-sky-100' : 'text-slate-400'}>{t.count}</span>
                </button>
              </li>
            ))}
          </ul>
        )}

        <div className="mt-3">
          <ErrorBox error={error} testId="recipients-error" onRetry={() => setReloadKey((k) => k + 1)} />
        </div>

        {loading ? (
          <Loading label="Loading recipients…" />
        ) : (
          <div className="mt-2 overflow-x-auto">
            <table className="stack-table min-w-full divide-y divide-slate-200" data-testid="recipients-table">
              <thead>
                <tr>
                  <th scope="col" className="th">
                    Name
                  </th>
                  <th scope="col" className="th">
                    Email
                  </th>
                  <th scope="col" className="th">
                    Phone
                  </th>
                  <th scope="col" className="th">
                    Tags
                  </th>
                  <th scope="col" className="th">
                    Status
                  </th>
                  <th scope="col" className="th">
                    Added
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="td py-6 text-center text-slate-500" data-testid="recipients-empty">
                      {tag || q || status ? 'No recipient matches these filters.' : 'No recipients yet — import a CSV above.'}
                    </td>
                  </tr>
                ) : (
                  items.map((r) => (
                    <tr key={r.id} data-testid="recipient-row">
                      <td className="td font-medium">{r.name}</td>
                      <td className="td [overflow-wrap:anywhere]" data-label="Email">
                        {r.email ?? '—'}
                      </td>
                      <td className="td whitespace-nowrap" data-label="Phone">
                        {r.phone ?? '—'}
                      </td>
                      <td className="td text-xs" data-label="Tags">
                        {(r.tags ?? []).join(', ')}
                      </td>
                      <RecipientStatusCell recipient={r} />
                      <td className="td text-xs whitespace-nowrap" data-label="Added">
                        {formatTime(r.created_at)}
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        )}

        {hasMore && !loading && (
          <LoadMoreButton onClick={loadMore} loading={loadingMore} testId="recipients-load-more" className="mt-3" />
        )}
      </section>
    </div>
  )
}

/** Status badge; for a BOUNCED or UNSUBSCRIBED recipient also why, when known (e.g. "hard bounce: 550 5.1.1 user unknown"). */
function RecipientStatusCell({ recipient: r }: { recipient: Recipient }) {
  return (
    <td className="td" data-label="Status">
      <span title={r.status_reason ?? undefined}>
        <StatusBadge status={r.status} testId="recipient-status" />
      </span>
      {r.status_reason && (
        <div className="mt-0.5 max-w-[14rem] text-xs break-words text-slate-500" data-testid="recipient-status-reason">
          {r.status_reason}
        </div>
      )}
    </td>
  )
}
