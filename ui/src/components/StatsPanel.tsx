import type { Channel, Stats } from '../api'
import { formatMs, formatNumber, formatPercent, formatTime } from '../format'
import type { LiveMode } from '../hooks/useLiveStats'
import { ErrorBox } from './ErrorBox'

const MODE_LABEL: Record<LiveMode, string> = {
  connecting: 'Connecting…',
  stream: 'Live (stream)',
  poll: 'Live (polling every 1 s)',
  stopped: 'Final',
}

interface Cell {
  id: string
  label: string
  value: string
  tone?: string
  /** Small text under the number (a rate), with its own test id `stat-<id>-<note.id>`. */
  note?: { id: string; text: string }
  title?: string
}

/**
 * The numbers: total/queued/sent/failed/retries/unsubscribed and latency percentiles; then what providers
 * reported after accepting the messages: for SMS the segments sent and delivery receipts (delivered /
 * undelivered), for both channels bounces and complaints, each with its rate as a share of the sent messages.
 */
export function StatsPanel({
  stats,
  mode,
  error,
  channel = 'sms',
  tracking,
}: {
  stats: Stats | null
  mode: LiveMode
  error?: unknown
  channel?: Channel
  /** What the campaign tracks (email with an HTML body); omitted: no engagement row. */
  tracking?: { opens: boolean; clicks: boolean }
}) {
  // Percentiles of zero deliveries are not 0 ms; show a dash until something was delivered.
  const delivered = !!stats && stats.sent + stats.failed > 0
  const latency = (v: number | null | undefined) => (delivered ? formatMs(v) : '—')
  const cells: Cell[] = [
    { id: 'total', label: 'Total', value: formatNumber(stats?.total) },
    { id: 'queued', label: 'Queued', value: formatNumber(stats?.queued) },
    { id: 'sent', label: 'Sent', value: formatNumber(stats?.sent), tone: 'text-emerald-700' },
    { id: 'failed', label: 'Failed', value: formatNumber(stats?.failed), tone: stats?.failed ? 'text-rose-700' : undefined },
    { id: 'retries', label: 'Retries', value: formatNumber(stats?.retries) },
    { id: 'unsubscribed', label: 'Unsubscribed', value: formatNumber(stats?.unsubscribed) },
    { id: 'p50', label: 'p50', value: latency(stats?.p50_ms) },
    { id: 'p95', label: 'p95', value: latency(stats?.p95_ms) },
    { id: 'p99', label: 'p99', value: latency(stats?.p99_ms) },
  ]
  const sent = stats?.sent
  const rate = (n: number | undefined) => ({ id: 'rate', text: stats && sent ? `${formatPercent(n ?? 0, sent)} of sent` : '—' })
  const sms = channel === 'sms'
  const feedback: Cell[] = [
    ...(sms
      ? [
          {
            id: 'segments',
            label: 'Segments',
            value: formatNumber(stats?.segments),
            note: { id: 'per-message', text: stats && sent ? `${perMessage(stats.segments ?? 0, sent)} per message` : '—' },
            title: 'SMS parts of the sent messages (each part is billed)',
          },
          {
            id: 'delivered',
            label: 'Delivered',
            value: formatNumber(stats?.delivered),
            tone: stats?.delivered ? 'text-emerald-700' : undefined,
            note: rate(stats?.delivered),
            title: "Delivery receipts from the SMS gateway: reached the handset",
          },
          {
            id: 'undelivered',
            label: 'Undelivered',
            value: formatNumber(stats?.undelivered),
            tone: stats?.undelivered ? 'text-rose-700' : undefined,
            note: rate(stats?.undelivered),
            title: 'Delivery receipts from the SMS gateway: undelivered or failed after it was accepted',
          },
        ]
      : []),
    {
      id: 'bounced',
      label: 'Bounced',
      value: formatNumber(stats?.bounced),
      tone: stats?.bounced ? 'text-orange-700' : undefined,
      note: rate(stats?.bounced),
      title: 'Messages reported as bounced (hard, or soft ones)',
    },
    {
      id: 'complaints',
      label: 'Complaints',
      value: formatNumber(stats?.complaints),
      tone: stats?.complaints ? 'text-fuchsia-700' : undefined,
      note: rate(stats?.complaints),
      title: 'Recipients who marked the message as spam',
    },
  ]
  // Unique recipients, with the rate as the API computes it (over sent messages).
  const engagementCell = (id: 'opens' | 'clicks', label: string, value: number | undefined, rate: number | undefined, tone: string, title: string): Cell => ({
    id,
    label,
    value: formatNumber(value),
    tone: value ? tone : undefined,
    note: { id: 'rate', text: stats && sent ? `${formatPercent(rate ?? 0, 1)} ${id === 'opens' ? 'open' : 'click'} rate` : '—' },
    title,
  })
  const engagement: Cell[] = [
    ...(tracking?.opens
      ? [engagementCell('opens', 'Opened', stats?.opens, stats?.open_rate, 'text-sky-700', 'Recipients who opened the email at least once (the open pixel loaded), over sent messages')]
      : []),
    ...(tracking?.clicks
      ? [engagementCell('clicks', 'Clicked', stats?.clicks, stats?.click_rate, 'text-violet-700', 'Recipients who clicked a tracked link at least once, over sent messages')]
      : []),
  ]
  return (
    <section className="card" aria-labelledby="stats-heading" data-testid="stats">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="stats-heading" className="text-lg font-semibold">
          Delivery stats
        </h2>
        <span className="flex items-center gap-1.5 text-xs text-slate-500" data-testid="stats-mode" data-mode={mode}>
          <span
            aria-hidden
            className={`inline-block h-2 w-2 rounded-full ${mode === 'stream' || mode === 'poll' ? 'animate-pulse bg-emerald-500' : 'bg-slate-400'}`}
          />
          {MODE_LABEL[mode]}
        </span>
      </div>
      {error != null && (
        <div className="mt-2">
          <ErrorBox error={error} testId="stats-error" />
        </div>
      )}
      {stats && stats.provider_state && stats.provider_state !== 'CLOSED' && (
        <div
          role="status"
          className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900"
          data-testid="provider-outage"
          data-state={stats.provider_state}
        >
          <strong>
            Provider {stats.provider} {stats.provider_state === 'OPEN' ? 'is unavailable' : 'is being probed'}
          </strong>
          {stats.provider_state_since && <> since {formatTime(stats.provider_state_since)}</>}: messages wait without
          using up their attempts and go out once it answers again.
          {stats.provider_last_error && (
            <div className="mt-1 font-mono text-xs break-all" data-testid="provider-last-error">
              Last error: {stats.provider_last_error}
            </div>
          )}
        </div>
      )}
      <StatGrid cells={cells} />
      <h3 className="mt-4 text-sm font-semibold text-slate-700" id="feedback-heading">
        Reported by the provider{' '}
        <span className="font-normal text-slate-500">
          ({sms ? 'receipts, bounces and complaints' : 'bounces and complaints'}; they keep arriving after the send)
        </span>
      </h3>
      <StatGrid cells={feedback} testId="stats-feedback" labelledBy="feedback-heading" />
      {engagement.length > 0 && (
        <>
          <h3 className="mt-4 text-sm font-semibold text-slate-700" id="engagement-heading">
            Engagement <span className="font-normal text-slate-500">(unique recipients; opens and clicks keep arriving after the send)</span>
          </h3>
          <StatGrid cells={engagement} testId="stats-engagement" labelledBy="engagement-heading" />
        </>
      )}
    </section>
  )
}

function StatGrid({ cells, testId, labelledBy }: { cells: Cell[]; testId?: string; labelledBy?: string }) {
  return (
    <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 md:grid-cols-5" data-testid={testId} aria-labelledby={labelledBy}>
      {cells.map((c) => (
        <div key={c.id} className="rounded-md bg-slate-50 p-2" title={c.title}>
          <dt className="truncate text-xs font-medium text-slate-500 uppercase">{c.label}</dt>
          <dd className={`text-xl font-semibold tabular-nums ${c.tone ?? ''}`} data-testid={`stat-${c.id}`}>
            {c.value}
          </dd>
          {c.note && (
            <dd className="text-xs text-slate-500 tabular-nums" data-testid={`stat-${c.id}-${c.note.id}`}>
              {c.note.text}
            </dd>
          )}
        </div>
      ))}
    </dl>
  )
}

/** Average parts per sent message, e.g. "1" or "1.4". */
function perMessage(segments: number, sent: number): string {
  return (segments / sent).toLocaleString(undefined, { maximumFractionDigits: 1 })
}
