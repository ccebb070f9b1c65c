import { lazy, Suspense, type ReactNode } from 'react'
import { Link } from 'react-router'
import type { BreakerState, OpsSummary, QueueDepth, WorkerInfo, WorkerState } from '../api'
import { ErrorBox } from '../components/ErrorBox'
import { Loading } from '../components/Loading'
import { ProgressBar } from '../components/ProgressBar'
import { formatNumber, formatRelative, formatTime } from '../format'
import { OPS_POLL_MS, useOpsLive } from '../hooks/useOpsLive'

// recharts is most of the bundle's weight; like the campaign page, load it only when this page opens.
const OpsThroughputChart = lazy(() => import('../components/StatsCharts').then((m) => ({ default: m.OpsThroughputChart })))

const PILL = 'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset'

const WORKER_STATE: Record<WorkerState, string> = {
  alive: 'bg-emerald-50 text-emerald-700 ring-emerald-300',
  lost: 'bg-rose-100 text-rose-800 ring-rose-400',
  stopped: 'bg-slate-100 text-slate-600 ring-slate-300',
}

const BREAKER: Record<BreakerState, { label: string; color: string; hint: string }> = {
  CLOSED: { label: 'closed', color: 'bg-emerald-50 text-emerald-700 ring-emerald-300', hint: 'calls go through' },
  HALF_OPEN: { label: 'half-open', color: 'bg-amber-50 text-amber-800 ring-amber-300', hint: 'trying a few calls' },
  OPEN: { label: 'open', color: 'bg-rose-100 text-rose-800 ring-rose-400', hint: 'outage: messages wait' },
}

// A lost worker is what an operator must act on, so it comes first; otherwise the server's order stays.
const STATE_ORDER: Record<string, number> = { lost: 0, alive: 1, stopped: 2 }

/**
 * Operations: the installation at a glance for whoever runs it. Workers with their heartbeats and recent work
 * (a lost one highlighted), queue depth or lag per transport, messages per second now, failures per minute by
 * provider, dead letters, the campaigns sending, each provider's circuit breaker, and throughput with its error
 * rate over the last hour. Polls GET /workers and GET /ops/summary every few seconds while the tab is visible.
 */
export function OperationsPage({ pollMs = OPS_POLL_MS }: { pollMs?: number }) {
  const { workers, summary, updatedAt, paused, refresh } = useOpsLive(pollMs)
  const now = updatedAt ?? Date.now()

  if (workers.data === null && summary.data === null) {
    const error = workers.error ?? summary.error
    return (
      <div className="space-y-4">
        <Heading />
        {error ? <ErrorBox error={error} testId="ops-error" onRetry={refresh} /> : <Loading label="Loading operations…" />}
      </div>
    )
  }

  const s = summary.data
  return (
    <div className="space-y-4">
      <Heading>
        {/* Not a live region: announcing the time of every refresh would drown a screen reader. */}
        <p className="text-xs text-slate-500" data-testid="ops-live-status" data-paused={paused}>
          {paused
            ? 'Paused while this tab is hidden.'
            : `Live: refreshed every ${Math.round(pollMs / 1000)} s${updatedAt ? `, last at ${new Date(updatedAt).toLocaleTimeString()}` : ''}.`}
        </p>
      </Heading>

      <ErrorBox error={workers.error} testId="ops-workers-error" onRetry={refresh} />
      <ErrorBox error={summary.error} testId="ops-summary-error" onRetry={refresh} />
      {(workers.error != null && workers.data) || (summary.error != null && s) ? (
        <p className="text-xs text-slate-500" data-testid="ops-stale">
          The figures below are from the last successful refresh.
        </p>
      ) : null}

      {s && <Tiles summary={s} />}

      {workers.data && <WorkersTable workers={workers.data} now={now} />}

      {s && (
        <>
          <div className="grid gap-4 lg:grid-cols-2">
            <QueuesTable queues={s.queues} />
            <ProvidersList providers={s.providers} />
          </div>
          <CampaignsSending campaigns={s.campaigns_sending} />
          <FailuresTable failures={s.failures_per_minute} />
          <Suspense fallback={<Loading label="Loading chart…" />}>
            <OpsThroughputChart points={minutePoints(s.throughput)} />
          </Suspense>
        </>
      )}
    </div>
  )
}

function Heading({ children }: { children?: ReactNode }) {
  return (
    <div>
      <h1 className="text-2xl font-semibold">Operations</h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">
        Every Herald process that reports a heartbeat, the queues between them, and what the workers delivered lately.
      </p>
      {children}
    </div>
  )
}

function minutePoints(throughput: OpsSummary['throughput']) {
  return throughput.map((p) => ({
    t: Date.parse(p.at),
    sent: p.sent,
    failed: p.failed,
    errorRate: p.sent + p.failed > 0 ? (p.failed * 100) / (p.sent + p.failed) : null,
  }))
}

function Tiles({ summary: s }: { summary: OpsSummary }) {
  const tiles: { id: string; label: string; value: string; tone?: string; note?: string }[] = [
    { id: 'messages-per-second', label: 'Messages / s now', value: s.messages_per_second.toLocaleString(undefined, { maximumFractionDigits: 1 }) },
    { id: 'workers-alive', label: 'Workers alive', value: formatNumber(s.workers.alive), tone: 'text-emerald-700' },
    {
      id: 'workers-lost',
      label: 'Workers lost',
      value: formatNumber(s.workers.lost),
      tone: s.workers.lost > 0 ? 'text-rose-700' : undefined,
      note: s.workers.lost > 0 ? 'no heartbeat lately' : undefined,
    },
    {
      id: 'dead-letters',
      label: 'Dead letters',
      value: formatNumber(s.dead_letters),
      tone: s.dead_letters > 0 ? 'text-rose-700' : undefined,
      note: s.dead_letters > 0 ? 'failed for good; re-drive from the campaign' : undefined,
    },
  ]
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="ops-tiles">
      {tiles.map((t) => (
        <div key={t.id} className="card">
          <dt className="text-xs font-medium text-slate-500 uppercase">{t.label}</dt>
          <dd className={`text-2xl font-semibold tabular-nums ${t.tone ?? ''}`} data-testid={`ops-${t.id}`}>
            {t.value}
          </dd>
          {t.note && <dd className="text-xs text-slate-500">{t.note}</dd>}
        </div>
      ))}
    </dl>
  )
}

function Section({ id, title, children, testId }: { id: string; title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="card" aria-labelledby={id} data-testid={testId}>
      <h2 id={id} className="mb-2 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  )
}

function Empty({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <p className="py-4 text-center text-sm text-slate-500" data-testid={testId}>
      {children}
    </p>
  )
}

function WorkersTable({ workers, now }: { workers: WorkerInfo[]; now: number }) {
  const sorted = [...workers].sort((a, b) => (STATE_ORDER[a.state] ?? 3) - (STATE_ORDER[b.state] ?? 3))
  return (
    <Section id="ops-workers-heading" title="Workers" testId="ops-workers">
      {sorted.length === 0 ? (
        <Empty testId="ops-workers-empty">
          No process has reported a heartbeat. Workers appear here once they start (<code>herald.roles=worker</code>).
        </Empty>
      ) : (
        <div className="overflow-x-auto">
          <table className="stack-table min-w-full divide-y divide-slate-200" data-testid="ops-workers-table">
            <thead>
              <tr>
                <th scope="col" className="th">Host</th>
                <th scope="col" className="th">PID</th>
                <th scope="col" className="th">Roles</th>
                <th scope="col" className="th">Transport</th>
                <th scope="col" className="th">Started</th>
                <th scope="col" className="th">Last heartbeat</th>
                <th scope="col" className="th text-right">Batches / min</th>
                <th scope="col" className="th text-right">Messages / min</th>
                <th scope="col" className="th">State</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {sorted.map((w) => (
                <tr
                  key={w.id}
                  className={w.state === 'lost' ? 'bg-rose-50' : undefined}
                  data-testid="worker-row"
                  data-worker-id={w.id}
                  data-pid={w.pid}
                  data-state={w.state}
                >
                  <td className="td font-medium [overflow-wrap:anywhere]" title={w.id} data-testid="worker-host">
                    {w.host}
                  </td>
                  <td className="td tabular-nums" data-label="PID" data-testid="worker-pid">
                    {w.pid}
                  </td>
                  <td className="td" data-label="Roles">
                    {w.roles.join(', ')}
                  </td>
                  <td className="td" data-label="Transport">
                    {w.transport}
                  </td>
                  <td className="td text-xs whitespace-nowrap" data-label="Started">
                    <time dateTime={w.started_at}>{formatTime(w.started_at)}</time>
                  </td>
                  <td className="td text-xs whitespace-nowrap" data-label="Last heartbeat" data-testid="worker-heartbeat">
                    <time dateTime={w.last_heartbeat_at} title={formatTime(w.last_heartbeat_at)}>
                      {formatRelative(w.last_heartbeat_at, now)}
                    </time>
                  </td>
                  <td className="td text-right tabular-nums" data-label="Batches / min" data-testid="worker-batches">
                    {formatNumber(w.batches_last_minute)}
                  </td>
                  <td className="td text-right tabular-nums" data-label="Messages / min" data-testid="worker-messages">
                    {formatNumber(w.messages_last_minute)}
                  </td>
                  <td className="td" data-label="State">
                    <span className={`${PILL} ${WORKER_STATE[w.state] ?? WORKER_STATE.stopped}`} data-testid="worker-state" data-state={w.state}>
                      {w.state}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  )
}

function QueuesTable({ queues }: { queues: QueueDepth[] }) {
  return (
    <Section id="ops-queues-heading" title="Queues" testId="ops-queues">
      {queues.length === 0 ? (
        <Empty testId="ops-queues-empty">No queue reported.</Empty>
      ) : (
        <table className="stack-table min-w-full divide-y divide-slate-200" data-testid="ops-queues-table">
          <thead>
            <tr>
              <th scope="col" className="th">Transport</th>
              <th scope="col" className="th">Queue</th>
              <th scope="col" className="th text-right">Waiting</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {queues.map((q) => (
              <tr key={`${q.transport}/${q.queue}`} data-testid="queue-row" data-queue={q.queue} data-kind={q.kind}>
                <td className="td" data-label="Transport">
                  {q.transport}
                </td>
                <td className="td font-mono text-xs [overflow-wrap:anywhere]" data-label="Queue">
                  {q.queue}
                </td>
                <td className="td text-right tabular-nums" data-label={q.kind === 'lag' ? 'Lag' : 'Depth'} data-testid="queue-depth">
                  {formatNumber(q.depth)} <span className="text-xs text-slate-500">{q.kind === 'lag' ? 'lag' : 'in queue'}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  )
}

function ProvidersList({ providers }: { providers: OpsSummary['providers'] }) {
  return (
    <Section id="ops-providers-heading" title="Provider circuit breakers" testId="ops-providers">
      {providers.length === 0 ? (
        <Empty testId="ops-providers-empty">No provider has been called yet.</Empty>
      ) : (
        <ul className="divide-y divide-slate-100">
          {providers.map((p) => {
            const b = BREAKER[p.state] ?? { label: p.state, color: WORKER_STATE.stopped, hint: '' }
            return (
              <li
                key={`${p.channel}/${p.provider}`}
                className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm"
                data-testid="provider-row"
                data-provider={p.provider}
                data-state={p.state}
              >
                <span>
                  <span className="font-medium">{p.provider}</span> <span className="text-slate-500">({p.channel})</span>
                </span>
                <span className="flex items-center gap-2">
                  <span className="text-xs text-slate-500">{b.hint}</span>
                  <span className={`${PILL} ${b.color}`} data-testid="provider-state">
                    {b.label}
                  </span>
                </span>
              </li>
            )
          })}
        </ul>
      )}
    </Section>
  )
}

function CampaignsSending({ campaigns }: { campaigns: OpsSummary['campaigns_sending'] }) {
  return (
    <Section id="ops-campaigns-heading" title="Campaigns sending" testId="ops-campaigns">
      {campaigns.length === 0 ? (
        <Empty testId="ops-campaigns-empty">No campaign is sending right now.</Empty>
      ) : (
        <ul className="space-y-3">
          {campaigns.map((c) => (
            <li key={c.id} className="grid gap-1 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)] sm:items-center sm:gap-3" data-testid="ops-campaign-row" data-campaign-id={c.id}>
              <Link to={`/campaigns/${c.id}`} className="truncate font-medium text-sky-800 hover:underline" data-testid="ops-campaign-link">
                {c.name}
              </Link>
              <div>
                <ProgressBar value={c.sent} max={c.total} label={`${c.name}: ${c.sent} of ${c.total} sent`} testId="ops-campaign-progress" />
                <p className="mt-1 text-xs text-slate-600" data-testid="ops-campaign-counts">
                  {formatNumber(c.sent)} / {formatNumber(c.total)} sent
                  {c.failed > 0 && <span className="text-rose-700"> · {formatNumber(c.failed)} failed</span>}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  )
}

function FailuresTable({ failures }: { failures: OpsSummary['failures_per_minute'] }) {
  return (
    <Section id="ops-failures-heading" title="Failures per minute, by provider" testId="ops-failures">
      {failures.length === 0 ? (
        <Empty testId="ops-failures-empty">No provider call failed lately.</Empty>
      ) : (
        <table className="stack-table min-w-full divide-y divide-slate-200" data-testid="ops-failures-table">
          <thead>
            <tr>
              <th scope="col" className="th">Channel</th>
              <th scope="col" className="th">Provider</th>
              <th scope="col" className="th text-right">Failures / min</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {failures.map((f) => (
              <tr key={`${f.channel}/${f.provider}`} data-testid="failure-row" data-provider={f.provider}>
                <td className="td" data-label="Channel">
                  {f.channel}
                </td>
                <td className="td" data-label="Provider">
                  {f.provider}
                </td>
                <td className={`td text-right tabular-nums ${f.failures > 0 ? 'text-rose-700' : ''}`} data-label="Failures / min" data-testid="failure-count">
                  {formatNumber(f.failures)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  )
}
