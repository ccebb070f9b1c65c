import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { StatsSample } from '../hooks/useLiveStats'

const timeLabel = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour12: false })

/** Throughput (sent/s between successive samples) and latency percentiles over time. */
export function StatsCharts({ history }: { history: StatsSample[] }) {
  const empty = history.length < 2
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <figure className="card" data-testid="throughput-chart">
        <figcaption className="mb-2 text-sm font-semibold">Throughput (messages sent / s)</figcaption>
        {empty ? (
          <ChartPlaceholder />
        ) : (
          <div className="h-56">
            <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 480, height: 224 }}>
              <LineChart data={history} margin={{ top: 5, right: 10, bottom: 0, left: -10 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                <XAxis dataKey="t" tickFormatter={timeLabel} minTickGap={40} fontSize={11} />
                <YAxis fontSize={11} allowDecimals />
                <Tooltip labelFormatter={(t) => timeLabel(Number(t))} formatter={(v) => (typeof v === 'number' ? v.toFixed(1) : v)} />
                <Line type="monotone" dataKey="throughput" name="sent/s" stroke="#0369a1" dot={false} isAnimationActive={false} connectNulls />
              </LineChart>
            </ResponsiveContainer>
          </div>
        )}
      </figure>
      <figure className="card" data-testid="latency-chart">
        <figcaption className="mb-2 text-sm font-semibold">Delivery latency (ms)</figcaption>
        {empty ? (
          <ChartPlaceholder />
        ) : (
          <div className="h-56">
            <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 480, height: 224 }}>
              <LineChart data={history} margin={{ top: 5, right: 10, bottom: 0, left: -10 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                <XAxis dataKey="t" tickFormatter={timeLabel} minTickGap={40} fontSize={11} />
                <YAxis fontSize={11} />
                <Tooltip labelFormatter={(t) => timeLabel(Number(t))} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Line type="monotone" dataKey="p50" name="p50" stroke="#059669" dot={false} isAnimationActive={false} connectNulls />
                <Line type="monotone" dataKey="p95" name="p95" stroke="#d97706" dot={false} isAnimationActive={false} connectNulls />
                <Line type="monotone" dataKey="p99" name="p99" stroke="#e11d48" dot={false} isAnimationActive={false} connectNulls />
              </LineChart>
            </ResponsiveContainer>
          </div>
        )}
      </figure>
    </div>
  )
}

function ChartPlaceholder() {
  return <p className="flex h-56 items-center justify-center text-sm text-slate-400">Waiting for samples…</p>
}
