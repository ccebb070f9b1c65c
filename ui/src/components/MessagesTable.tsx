import { useState } from 'react'
import { api, MESSAGE_STATUSES, type Channel, type Message } from '../api'
import { formatMs, formatTime } from '../format'
import { ErrorBox } from './ErrorBox'
import { Loading } from './Loading'
import { DeliveryStatusBadge, StatusBadge } from './StatusBadge'
import { SmsLength } from './SmsLength'
import { LoadMoreButton } from './LoadMoreButton'
import { usePagedList } from '../hooks/usePagedList'

const PAGE_SIZE = 50
export const LIVE_REFRESH_MS = 2000

/**
 * Per-message delivery detail with a status filter and cursor paging: the send's outcome, then what the
 * provider reported afterwards (receipt, bounce or complaint, its error, the provider's id) and, for SMS, the
 * segments and encoding. While `live` (the campaign is sending) the first page reloads quietly every 2 s,
 * unless the user has paged further.
 */
export function MessagesTable({
  campaignId,
  refreshKey = 0,
  live = false,
  channel = 'sms',
}: {
  campaignId: number | string
  refreshKey?: number | string
  live?: boolean
  channel?: Channel
}) {
  const sms = channel === 'sms'
  const columns = sms ? 10 : 9
  const [status, setStatus] = useState('')
  const { items, loading, loadingMore, error, hasMore, loadMore, reload } = usePagedList(
    (cursor) => api.listMessages(campaignId, { status: status || undefined, limit: PAGE_SIZE, cursor }),
    [campaignId, status, refreshKey],
    { pollMs: live ? LIVE_REFRESH_MS : undefined },
  )

  return (
    <section className="card" aria-labelledby="messages-heading">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h2 id="messages-heading" className="text-lg font-semibold">
          Messages
        </h2>
        <div className="flex items-end gap-2">
          <div>
            <label htmlFor="messages-status" className="label">
              Status
            </label>
            <select
              id="messages-status"
              className="input"
              value={status}
              onChange={(e) => setStatus(e.target.value)}
              data-testid="messages-status-filter"
            >
              <option value="">All</option>
              {MESSAGE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className="btn-secondary" onClick={reload} data-testid="messages-refresh">
            Refresh
          </button>
        </div>
      </div>

      <div className="mt-3">
        <ErrorBox error={error} testId="messages-error" />
      </div>

      {loading ? (
        <Loading label="Loading messages…" />
      ) : (
        <div className="mt-2 overflow-x-auto">
          <table className="stack-table min-w-full divide-y divide-slate-200" data-testid="messages-table">
            <thead>
              <tr>
                <th scope="col" className="th">
                  Recipient
                </th>
                <th scope="col" className="th">
                  Tags
                </th>
                <th scope="col" className="th">
                  Status
                </th>
                <th scope="col" className="th text-right">
                  Attempts
                </th>
                <th scope="col" className="th">
                  Created
                </th>
                <th scope="col" className="th">
                  Sent
                </th>
                <th scope="col" className="th text-right">
                  Latency
                </th>
                <th scope="col" className="th">
                  Delivery
                </th>
                {sms && (
                  <th scope="col" className="th">
                    SMS
                  </th>
                )}
                <th scope="col" className="th">
                  Last error
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.length === 0 ? (
                <tr>
                  <td colSpan={columns} className="td py-6 text-center text-slate-500" data-testid="messages-empty">
                    {status ? `No ${status.toLowerCase()} messages.` : 'No messages yet — they appear once the campaign is sent.'}
                  </td>
                </tr>
              ) : (
                items.map((m) => (
                  <tr key={m.id} data-testid="message-row" data-status={m.status}>
                    <td className="td">
                      <div className="font-medium">
                        {m.recipient?.name}
                        {m.variant && (
                          <span className="ml-1 rounded bg-violet-100 px-1 text-xs text-violet-800" data-testid="message-variant">
                            variant {m.variant}
                          </span>
                        )}
                      </div>
                      {m.recipient?.email && <div className="text-xs text-slate-500">{m.recipient.email}</div>}
                    </td>
                    <td className="td text-xs" data-label="Tags">
                      {(m.tags ?? []).join(', ')}
                    </td>
                    <td className="td" data-label="Status">
                      <StatusBadge status={m.status} />
                    </td>
                    <td className="td text-right tabular-nums" data-label="Attempts" data-testid="message-attempts">
                      {m.attempts}
                    </td>
                    <td className="td text-xs" data-label="Created">
                      {formatTime(m.created_at)}
                    </td>
                    <td className="td text-xs" data-label="Sent">
                      {formatTime(m.sent_at)}
                    </td>
                    <td className="td text-right text-xs whitespace-nowrap tabular-nums" data-label="Latency">
                      {formatMs(m.latency_ms)}
                    </td>
                    <DeliveryCell message={m} />
                    {sms && (
                      <td className="td whitespace-nowrap" data-label="SMS">
                        <SmsLength encoding={m.encoding} segments={m.segments} testId="message-segments" quiet />
                      </td>
                    )}

                    <td className="td max-w-xs text-xs break-words text-rose-700" data-label="Last error" data-testid="message-last-error">
                      {m.last_error ?? ''}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}

      {hasMore && !loading && (
        <LoadMoreButton onClick={loadMore} loading={loadingMore} testId="messages-load-more" className="mt-3" />
      )}
    </section>
  )
}

/**
 * The provider's latest report on a message: badge, when it was delivered, or the receipt's error / bounce reason;
 * and the provider's own id for the message (an SMS gateway's sid), which may come before any report.
 */
function DeliveryCell({ message: m }: { message: Message }) {
  // Empty (no report, no id) so that phones hide the cell rather than print "Delivery:" alone.
  if (!m.delivery_status && !m.provider_message_id) return <td className="td" data-label="Delivery" data-testid="message-delivery" />
  return (
    <td className="td max-w-xs min-w-[9rem] text-xs" data-label="Delivery" data-testid="message-delivery">
      {m.delivery_status && <DeliveryStatusBadge status={m.delivery_status} testId="message-delivery-status" />}
      {m.delivered_at && (
        <div className="mt-0.5 whitespace-nowrap text-slate-500" data-testid="message-delivered-at">
          {formatTime(m.delivered_at)}
        </div>
      )}
      {m.delivery_error && (
        <div className="mt-0.5 break-words text-rose-700" data-testid="message-delivery-error">
          {m.delivery_error}
        </div>
      )}
      {m.provider_message_id && (
        <div className="mt-0.5 font-mono break-all text-slate-500" title="The provider's id for this message" data-testid="message-provider-id">
          {m.provider_message_id}
        </div>
      )}
    </td>
  )
}
