import { Bar, BarChart, CartesianGrid, Cell, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { ReactNode } from 'react'
import type { Campaign, Stats } from '../api'
import { formatNumber } from '../format'
import type { EngagementSample } from '../hooks/useEngagement'
import type { StatsSample } from '../hooks/useLiveStats'
import type { SeriesPoint } from '../hooks/useThroughputSeries'

const timeLabel = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour12: false })

const PERCENTILE_COLORS = ['#059669', '#d97706', '#e11d48']

/**
 * Throughput over the campaign's whole run from the server's series (`series`, which survives a reload),
 * or else sent/s between the samples this page received; latency percentiles over time from those samples.
 * A campaign that finished before the page opened has no samples: then its series (or average rate) and
 * final percentiles are shown.
 */
export function StatsCharts({
  history,
  series = [],
  final,
  campaign,
}: {
  history: StatsSample[]
  series?: SeriesPoint[]
  final?: Stats | null
  campaign?: Pick<Campaign, 'started_at' | 'completed_at'> | null
}) {
  // Nothing to plot until messages start finishing (a draft's samples are all zero).
  const empty = history.length < 2 || history.every((h) => h.sent === 0 && h.failed === 0)
  const finished = final && (final.status === 'COMPLETED' || final.status === 'CANCELLED') && final.sent + final.failed > 0
  if (empty && finished) return <FinalCharts stats={final} campaign={campaign} series={series} />
  const fromSeries = series.length >= 2
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <figure className="card" data-testid="throughput-chart" data-source={fromSeries ? 'series' : 'live'}>
        <figcaption className="mb-2 text-sm font-semibold">Throughput (messages sent / s)</figcaption>
        {fromSeries ? (
          <SeriesChart series={series} />
        ) : empty ? (
          <ChartPlaceholder />
        ) : (
          <TimeChart data={history} valueFormatter={oneDecimal}>
            <Line type="monotone" dataKey="throughput" name="sent/s" stroke="#0369a1" dot={false} isAnimationActive={false} connectNulls />
          </TimeChart>
        )}
      </figure>
      <figure className="card" data-testid="latency-chart">
        <figcaption className="mb-2 text-sm font-semibold">Delivery latency (ms)</figcaption>
        {empty ? (
          <ChartPlaceholder />
        ) : (
          <TimeChart data={history}>
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Line type="monotone" dataKey="p50" name="p50" stroke="#059669" dot={false} isAnimationActive={false} connectNulls />
            <Line type="monotone" dataKey="p95" name="p95" stroke="#d97706" dot={false} isAnimationActive={false} connectNulls />
            <Line type="monotone" dataKey="p99" name="p99" stroke="#e11d48" dot={false} isAnimationActive={false} connectNulls />
          </TimeChart>
        )}
      </figure>
    </div>
  )
}

const oneDecimal = (v: unknown) => (typeof v === 'number' ? v.toFixed(1) : String(v))

/** A line chart over time (`t`, ms since epoch): the grid, axes and tooltip every chart here shares; lines are the children. */
function TimeChart({
  data,
  valueFormatter,
  testId,
  children,
}: {
  data: { t: number }[]
  valueFormatter?: (v: unknown) => string
  testId?: string
  children: ReactNode
}) {
  return (
    <div className="h-56 min-w-0 overflow-hidden" data-testid={testId}>
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 480, height: 224 }}>
        <LineChart data={data} margin={{ top: 5, right: 10, bottom: 0, left: -10 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="t" tickFormatter={timeLabel} minTickGap={40} fontSize={11} />
          <YAxis fontSize={11} />
          <Tooltip labelFormatter={(t) => timeLabel(Number(t))} formatter={valueFormatter} />
          {children}
        </LineChart>
      </ResponsiveContainer>
    </div>
  )
}

/** The server's throughput series: sent/s and failed/s per bucket. */
function SeriesChart({ series }: { series: SeriesPoint[] }) {
  const anyFailed = series.some((p) => p.failedPerSec > 0)
  return (
    <TimeChart data={series} valueFormatter={oneDecimal} testId="throughput-series">
      {anyFailed && <Legend wrapperStyle={{ fontSize: 12 }} />}
      <Line type="monotone" dataKey="sentPerSec" name="sent/s" stroke="#0369a1" dot={false} isAnimationActive={false} />
      {anyFailed && <Line type="monotone" dataKey="failedPerSec" name="failed/s" stroke="#e11d48" dot={false} isAnimationActive={false} />}
    </TimeChart>
  )
}

const duration = (seconds: number) => (seconds < 60 ? `${seconds.toFixed(1)} s` : `${(seconds / 60).toFixed(1)} min`)

function FinalCharts({
  stats,
  campaign,
  series,
}: {
  stats: Stats
  campaign?: Pick<Campaign, 'started_at' | 'completed_at'> | null
  series: SeriesPoint[]
}) {
  const started = campaign?.started_at ? Date.parse(campaign.started_at) : NaN
  const completed = campaign?.completed_at ? Date.parse(campaign.completed_at) : NaN
  const seconds = Number.isFinite(started) && Number.isFinite(completed) && completed > started ? (completed - started) / 1000 : null
  const rate = seconds !== null ? `${(stats.sent / seconds).toFixed(1)}/s` : null
  const bars = [
    { name: 'p50', ms: stats.p50_ms ?? 0 },
    { name: 'p95', ms: stats.p95_ms ?? 0 },
    { name: 'p99', ms: stats.p99_ms ?? 0 },
  ]
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <figure className="card" data-testid="throughput-chart" data-final="true" data-source={series.length >= 2 ? 'series' : 'average'}>
        <figcaption className="mb-2 text-sm font-semibold">Throughput (messages sent / s)</figcaption>
        {series.length >= 2 ? (
          <>
            <SeriesChart series={series} />
            {seconds !== null && (
              <p className="mt-1 text-xs text-slate-600">
                {rate} on average: {formatNumber(stats.sent)} sent in {duration(seconds)}
              </p>
            )}
          </>
        ) : (
          <div className="flex h-56 flex-col items-center justify-center gap-1 text-center">
            {seconds !== null ? (
              <>
                <p className="text-3xl font-semibold tabular-nums">{rate}</p>
                <p className="text-sm text-slate-600">
                  on average: {formatNumber(stats.sent)} sent in {duration(seconds)}
                </p>
              </>
            ) : (
              <p className="text-sm text-slate-600">{formatNumber(stats.sent)} sent</p>
            )}
          </div>
        )}
      </figure>
      <figure className="card" data-testid="latency-chart" data-final="true">
        <figcaption className="mb-2 text-sm font-semibold">Delivery latency (ms), final percentiles</figcaption>
        <div className="h-56 min-w-0 overflow-hidden">
          <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 480, height: 224 }}>
            <BarChart data={bars} margin={{ top: 5, right: 10, bottom: 0, left: -10 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
              <XAxis dataKey="name" fontSize={11} />
              <YAxis fontSize={11} />
              <Tooltip formatter={(v) => `${formatNumber(Number(v))} ms`} />
              <Bar dataKey="ms" name="latency" isAnimationActive={false}>
                {bars.map((b, i) => (
                  <Cell key={b.name} fill={PERCENTILE_COLORS[i]} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
    </div>
  )
}

/**
 * Unique opens and clicks over time (GET /stats/engagement): running totals of recipients who first opened /
 * first clicked by the end of each bucket; the text under the chart gives the totals for screen readers.
 */
export function EngagementChart({ curve, bucketMinutes, tracking }: { curve: EngagementSample[]; bucketMinutes: number; tracking: { opens: boolean; clicks: boolean } }) {
  const last = curve[curve.length - 1]
  const opens = last?.totalOpens ?? 0
  const clicks = last?.totalClicks ?? 0
  // Start the running totals from zero one bucket earlier, so even a single bucket draws a line.
  const data = curve.length > 0 ? [{ t: curve[0].t - bucketMinutes * 60_000, opens: 0, clicks: 0, totalOpens: 0, totalClicks: 0 }, ...curve] : curve
  return (
    <figure className="card" data-testid="engagement-chart" data-points={curve.length} data-opens={opens} data-clicks={clicks}>
      <figcaption className="mb-2 text-sm font-semibold">
        Opens and clicks over time <span className="font-normal text-slate-500">(unique recipients, cumulative; {bucketMinutes} min buckets)</span>
      </figcaption>
      {opens + clicks === 0 ? (
        <p className="flex h-56 items-center justify-center text-sm text-slate-400" data-testid="engagement-empty">
          No opens or clicks yet.
        </p>
      ) : (
        <TimeChart data={data} valueFormatter={(v) => formatNumber(Number(v))} testId="engagement-series">
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {tracking.opens && (
            <Line type="monotone" dataKey="totalOpens" name="opened" stroke="#0369a1" dot={data.length < 4} isAnimationActive={false} />
          )}
          {tracking.clicks && (
            <Line type="monotone" dataKey="totalClicks" name="clicked" stroke="#7c3aed" dot={data.length < 4} isAnimationActive={false} />
          )}
        </TimeChart>
      )}
      <p className="mt-1 text-xs text-slate-600">
        {tracking.opens && (
          <>
            <span data-testid="engagement-opens">{formatNumber(opens)}</span> opened
          </>
        )}
        {tracking.opens && tracking.clicks && ', '}
        {tracking.clicks && (
          <>
            <span data-testid="engagement-clicks">{formatNumber(clicks)}</span> clicked
          </>
        )}
      </p>
    </figure>
  )
}

function ChartPlaceholder() {
  return <p className="flex h-56 items-center justify-center text-sm text-slate-400">The chart starts when messages are delivered.</p>
}

/** One minute of the installation's deliveries (GET /ops/summary `throughput`), `t` in ms since epoch. */
export interface MinutePoint {
  t: number
  sent: number
  failed: number
  /** failed / (sent + failed) in percent; null in a minute with nothing finished. */
  errorRate: number | null
}

const percent = (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : String(v))

/**
 * The Operations page's chart: messages sent and failed per minute over the last hour across all workers (left
 * axis) and the error rate (right axis, in percent). The caption and the totals under it carry the same story in
 * text for screen readers.
 */
export function OpsThroughputChart({ points }: { points: MinutePoint[] }) {
  const sent = points.reduce((n, p) => n + p.sent, 0)
  const failed = points.reduce((n, p) => n + p.failed, 0)
  return (
    <figure className="card" data-testid="ops-throughput-chart" data-points={points.length}>
      <figcaption className="mb-2 text-sm font-semibold">Throughput and error rate, last hour (all workers, per minute)</figcaption>
      {sent + failed === 0 ? (
        <p className="flex h-56 items-center justify-center text-sm text-slate-400" data-testid="ops-throughput-empty">
          Nothing was delivered in the last hour.
        </p>
      ) : (
        <div className="h-56 min-w-0 overflow-hidden">
          <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 480, height: 224 }}>
            <LineChart data={points} margin={{ top: 5, right: 0, bottom: 0, left: -10 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="t" tickFormatter={timeLabel} minTickGap={40} fontSize={11} />
              <YAxis yAxisId="count" fontSize={11} allowDecimals={false} />
              <YAxis yAxisId="rate" orientation="right" fontSize={11} unit="%" domain={[0, 100]} width={44} />
              <Tooltip
                labelFormatter={(t) => timeLabel(Number(t))}
                formatter={(v, name) => (name === 'error rate' ? percent(v) : formatNumber(Number(v)))}
              />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Line yAxisId="count" type="monotone" dataKey="sent" name="sent/min" stroke="#0369a1" dot={false} isAnimationActive={false} />
              <Line yAxisId="count" type="monotone" dataKey="failed" name="failed/min" stroke="#e11d48" dot={false} isAnimationActive={false} />
              <Line
                yAxisId="rate"
                type="monotone"
                dataKey="errorRate"
                name="error rate"
                stroke="#d97706"
                strokeDasharray="4 3"
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <p className="mt-1 text-xs text-slate-600">
        <span data-testid="ops-hour-sent">{formatNumber(sent)}</span> sent,{' '}
        <span data-testid="ops-hour-failed">{formatNumber(failed)}</span> failed in the last hour
        {sent + failed > 0 && <> ({percent((failed * 100) / (sent + failed))} errors)</>}
      </p>
    </figure>
  )
}
