import type { Stats } from '../api'
import { formatMs, formatNumber } from '../format'
import type { LiveMode } from '../hooks/useLiveStats'
import { ErrorBox } from './ErrorBox'

const MODE_LABEL: Record<LiveMode, string> = {
  connecting: 'Connecting…',
  stream: 'Live (stream)',
  poll: 'Live (polling every 1 s)',
  stopped: 'Final',
}

/** The numbers: total/queued/sent/failed/retries/unsubscribed and latency percentiles. */
export function StatsPanel({ stats, mode, error }: { stats: Stats | null; mode: LiveMode; error?: unknown }) {
  // Percentiles of zero deliveries are not 0 ms; show a dash until something was delivered.
  const delivered = !!stats && stats.sent + stats.failed > 0
  const latency = (v: number | null | undefined) => (delivered ? formatMs(v) : '—')
  const cells: { id: string; label: string; value: string; tone?: string }[] = [
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
      <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 md:grid-cols-5">
        {cells.map((c) => (
          <div key={c.id} className="rounded-md bg-slate-50 p-2">
            <dt className="truncate text-xs font-medium text-slate-500 uppercase">{c.label}</dt>
            <dd className={`text-xl font-semibold tabular-nums ${c.tone ?? ''}`} data-testid={`stat-${c.id}`}>
              {c.value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  )
}
