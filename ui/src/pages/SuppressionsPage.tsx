import { useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { useAuth } from '../auth'
import { api, SUPPRESSION_REASONS, type Suppression } from '../api'
import { AddSuppressionForm } from '../components/AddSuppressionForm'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorBox } from '../components/ErrorBox'
import { LoadMoreButton } from '../components/LoadMoreButton'
import { Loading } from '../components/Loading'
import { ChannelBadge, REASON_LABEL, ReasonBadge } from '../components/StatusBadge'
import { formatTime } from '../format'
import { useDebounced } from '../hooks/useDebounced'
import { usePagedList } from '../hooks/usePagedList'

const PAGE_SIZE = 50

/**
 * The suppression list: addresses never messaged nor re-imported (bounces, complaints, unsubscribes, added by
 * hand). Keyset-paged, newest first, filtered by reason (in the URL) and part of the address; editors add and
 * remove addresses.
 */
export function SuppressionsPage() {
  const { canWrite } = useAuth()
  const [params, setParams] = useSearchParams()
  const reason = params.get('reason') ?? ''
  const [qInput, setQInput] = useState('')
  const q = useDebounced(qInput.trim(), 300)
  const [notice, setNotice] = useState<string | null>(null)
  const [removing, setRemoving] = useState<Suppression | null>(null)
  const [busy, setBusy] = useState(false)
  const [removeError, setRemoveError] = useState<unknown>(null)

  const { items, loading, loadingMore, error, hasMore, loadMore, reload } = usePagedList(
    (cursor) => api.listSuppressions({ reason: reason || undefined, q: q || undefined, limit: PAGE_SIZE, cursor }),
    [reason, q],
  )

  const confirmRemove = async () => {
    if (!removing) return
    setBusy(true)
    setRemoveError(null)
    try {
      await api.removeSuppression(removing.id)
      setNotice(`${removing.address} removed from the suppression list.`)
    } catch (e) {
      setNotice(null)
      setRemoveError(e)
    } finally {
      setBusy(false)
      setRemoving(null)
      reload()
    }
  }

  const columns = canWrite ? 8 : 7

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Suppression list</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          These addresses are never messaged and an import cannot bring them back. Bounces and complaints reported by the
          providers and unsubscribe links add them by themselves. Removing an address makes its recipient ACTIVE again.
        </p>
      </div>

      {canWrite && (
        <AddSuppressionForm
          onSubmit={() => {
            setNotice(null)
            setRemoveError(null)
          }}
          onAdded={(s) => {
            setNotice(`${s.address} added to the suppression list.`)
            reload()
          }}
        />
      )}

      {notice && (
        <p role="status" className="rounded-md bg-sky-50 p-2 text-sm text-sky-900" data-testid="suppressions-notice">
          {notice}
        </p>
      )}
      <ErrorBox error={removeError} testId="suppression-remove-error" />

      <section className="card" aria-labelledby="suppressions-heading">
        <h2 id="suppressions-heading" className="sr-only">
          Suppressed addresses
        </h2>
        <form className="grid gap-3 sm:grid-cols-[2fr_1fr]" role="search" onSubmit={(e) => e.preventDefault()}>
          <div>
            <label htmlFor="suppressions-q" className="label">
              Search
            </label>
            <input
              id="suppressions-q"
              type="search"
              className="input"
              placeholder="Part of an email or phone number"
              value={qInput}
              onChange={(e) => setQInput(e.target.value)}
              data-testid="suppressions-search"
            />
          </div>
          <div>
            <label htmlFor="suppressions-reason" className="label">
              Reason
            </label>
            <select
              id="suppressions-reason"
              className="input"
              value={reason}
              onChange={(e) => setParams(e.target.value ? { reason: e.target.value } : {})}
              data-testid="suppressions-reason-filter"
            >
              <option value="">All reasons</option>
              {SUPPRESSION_REASONS.map((r) => (
                <option key={r} value={r}>
                  {REASON_LABEL[r]}
                </option>
              ))}
            </select>
          </div>
        </form>

        <div className="mt-3">
          <ErrorBox error={error} testId="suppressions-error" onRetry={reload} />
        </div>

        {loading ? (
          <Loading label="Loading the suppression list…" />
        ) : (
          <div className="mt-2 overflow-x-auto">
            <table className="stack-table min-w-full divide-y divide-slate-200" data-testid="suppressions-table">
              <thead>
                <tr>
                  <th scope="col" className="th">
                    Address
                  </th>
                  <th scope="col" className="th">
                    Channel
                  </th>
                  <th scope="col" className="th">
                    Reason
                  </th>
                  <th scope="col" className="th">
                    Detail
                  </th>
                  <th scope="col" className="th">
                    Campaign
                  </th>
                  <th scope="col" className="th">
                    By
                  </th>
                  <th scope="col" className="th">
                    When
                  </th>
                  {canWrite && (
                    <th scope="col" className="th">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.length === 0 ? (
                  <tr>
                    <td colSpan={columns} className="td py-6 text-center text-slate-500" data-testid="suppressions-empty">
                      {reason || q
                        ? 'No suppressed address matches these filters.'
                        : 'Nothing is suppressed yet: bounced, complaining and unsubscribed addresses will appear here.'}
                    </td>
                  </tr>
                ) : (
                  items.map((s) => (
                    <SuppressionRow key={s.id} s={s} canWrite={canWrite} onRemove={() => setRemoving(s)} />
                  ))
                )}
              </tbody>
            </table>
          </div>
        )}

        {hasMore && !loading && (
          <LoadMoreButton onClick={loadMore} loading={loadingMore} testId="suppressions-load-more" className="mt-3" />
        )}
      </section>

      <ConfirmDialog
        open={removing !== null}
        title="Remove from the suppression list?"
        message={
          removing && (
            <>
              <strong className="break-all">{removing.address}</strong> will be messaged again by later campaigns.
              {removing.recipient_id != null
                ? ' Its recipient becomes ACTIVE again (unless their other address is still listed).'
                : ' No recipient has this address now.'}
            </>
          )
        }
        confirmLabel="Remove"
        danger
        busy={busy}
        onConfirm={confirmRemove}
        onCancel={() => !busy && setRemoving(null)}
      />
    </div>
  )
}

function SuppressionRow({ s, canWrite, onRemove }: { s: Suppression; canWrite: boolean; onRemove: () => void }) {
  return (
    <tr data-testid="suppression-row" data-suppression-id={s.id} data-reason={s.reason}>
      <td className="td font-medium [overflow-wrap:anywhere]" data-testid="suppression-row-address">
        {s.address}
      </td>
      <td className="td" data-label="Channel">
        <ChannelBadge channel={s.channel} />
      </td>
      <td className="td" data-label="Reason">
        <ReasonBadge reason={s.reason} testId="suppression-reason" />
      </td>
      <td className="td max-w-xs text-xs break-words text-slate-600" data-label="Detail" data-testid="suppression-detail">
        {s.detail ?? ''}
      </td>
      <td className="td text-sm whitespace-nowrap" data-label="Campaign">
        {s.campaign_id != null && (
          <Link to={`/campaigns/${s.campaign_id}`} className="text-sky-700 underline" data-testid="suppression-campaign-link">
            #{s.campaign_id}
          </Link>
        )}
      </td>
      <td className="td text-xs [overflow-wrap:anywhere]" data-label="By">
        {s.created_by ?? ''}
      </td>
      <td className="td text-xs whitespace-nowrap" data-label="When">
        {formatTime(s.created_at)}
      </td>
      {canWrite && (
        <td className="td text-right">
          <button
            type="button"
            className="btn-secondary px-2 py-1 text-xs"
            onClick={onRemove}
            aria-label={`Remove ${s.address} from the suppression list`}
            data-testid="suppression-remove"
          >
            Remove
          </button>
        </td>
      )}
    </tr>
  )
}
