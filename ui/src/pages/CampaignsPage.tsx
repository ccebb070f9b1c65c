import { useAuth } from '../auth'
import { Link, useSearchParams } from 'react-router'
import { api, CAMPAIGN_STATUSES } from '../api'
import { ErrorBox } from '../components/ErrorBox'
import { Loading } from '../components/Loading'
import { ProgressBar } from '../components/ProgressBar'
import { ChannelBadge, StatusBadge } from '../components/StatusBadge'
import { formatNumber, formatTime } from '../format'
import { LoadMoreButton } from '../components/LoadMoreButton'
import { usePagedList } from '../hooks/usePagedList'

const PAGE_SIZE = 20

export function CampaignsPage() {
  const { canWrite } = useAuth()
  // The filter lives in the URL so it survives reloads and can be linked to.
  const [params, setParams] = useSearchParams()
  const status = params.get('status') ?? ''

  const { items, loading, loadingMore, error, hasMore, loadMore, reload } = usePagedList(
    (cursor) => api.listCampaigns({ status: status || undefined, limit: PAGE_SIZE, cursor }),
    [status],
  )

  return (
    <section aria-labelledby="campaigns-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 id="campaigns-heading" className="text-2xl font-semibold">
          Campaigns
        </h1>
        <div className="flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor="status-filter" className="label">
              Status
            </label>
            <select
              id="status-filter"
              className="input"
              value={status}
              data-testid="status-filter"
              onChange={(e) => {
                const v = e.target.value
                setParams(v ? { status: v } : {})
              }}
            >
              <option value="">All statuses</option>
              {CAMPAIGN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className="btn-secondary" onClick={reload} data-testid="campaigns-refresh">
            Refresh
          </button>
          {canWrite && (
            <Link to="/campaigns/new" className="btn-primary" data-testid="campaigns-new">
              New campaign
            </Link>
          )}
        </div>
      </div>

      {error != null && <ErrorBox error={error} onRetry={reload} />}

      {loading ? (
        <Loading label="Loading campaigns…" />
      ) : items.length === 0 && !error ? (
        <div className="card py-10 text-center" data-testid="campaigns-empty">
          {status ? (
            <p className="text-slate-600">No {status.toLowerCase()} campaigns.</p>
          ) : (
            <>
              <p className="text-lg font-medium">No campaigns yet — create one</p>
              <p className="mt-1 text-sm text-slate-500">A campaign sends one templated message to every recipient in a segment.</p>
              {canWrite && (
                <Link to="/campaigns/new" className="btn-primary mt-4">
                  Create a campaign
                </Link>
              )}
            </>
          )}
        </div>
      ) : (
        <ul className="space-y-2" data-testid="campaigns-list">
          {items.map((c) => (
            <li key={c.id} className="card" data-testid="campaign-row" data-campaign-id={c.id}>
              <div className="grid gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,2fr)_minmax(0,1.5fr)] sm:items-center">
                <div className="min-w-0">
                  <Link to={`/campaigns/${c.id}`} className="block truncate font-medium text-sky-800 hover:underline" data-testid="campaign-link">
                    {c.name}
                  </Link>
                  <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
                    <StatusBadge status={c.status} testId="campaign-row-status" />
                    {c.channel && <ChannelBadge channel={c.channel} testId="campaign-row-channel" />}
                    <span>#{c.id}</span>
                    <span className="truncate">segment: {c.segment_rule || '—'}</span>
                  </div>
                </div>
                <div>
                  <ProgressBar value={c.sent} max={c.total} label={`${c.name}: ${c.sent} of ${c.total} sent`} testId="campaign-progress" />
                  <p className="mt-1 text-xs text-slate-600">
                    {formatNumber(c.sent)} / {formatNumber(c.total)} sent
                    {c.failed > 0 && <span className="text-rose-700"> · {formatNumber(c.failed)} failed</span>}
                  </p>
                </div>
                <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs text-slate-600">
                  <dt className="font-medium">Created</dt>
                  <dd>{formatTime(c.created_at)}</dd>
                  <dt className="font-medium">Scheduled</dt>
                  <dd>{formatTime(c.scheduled_at)}</dd>
                </dl>
              </div>
            </li>
          ))}
        </ul>
      )}

      {hasMore && !loading && (
        <LoadMoreButton onClick={loadMore} loading={loadingMore} testId="campaigns-load-more" />
      )}
    </section>
  )
}
