import { useEffect, useState } from 'react'
import { api, type AbPhase, type Campaign, type TimelineEntry, type VariantStats } from '../api'
import { formatNumber, formatTime } from '../format'
import { ErrorBox } from './ErrorBox'

const POLL_MS = 2000

const PHASE_TEXT: Record<AbPhase, string> = {
  TEST: 'Testing: the variants go to the test share of the segment',
  WAITING: 'Waiting for opens and clicks before choosing the winner',
  WINNER: 'The winner goes to the rest of the segment',
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`

/**
 * Side-by-side numbers of a campaign's A/B variants (GET /campaigns/{id}/stats?by=variant), the automatic winner's
 * phase and the A/B entries of the timeline; polled while the campaign is not finished.
 */
export function VariantComparison({ campaign, refreshKey }: { campaign: Campaign; refreshKey?: string }) {
  const [stats, setStats] = useState<VariantStats | null>(null)
  const [timeline, setTimeline] = useState<TimelineEntry[]>([])
  const [error, setError] = useState<unknown>(null)
  const live = campaign.status === 'SENDING' || campaign.status === 'PAUSED'

  useEffect(() => {
    let cancelled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = async () => {
      try {
        const [s, t] = await Promise.all([api.getVariantStats(campaign.id), api.getTimeline(campaign.id)])
        if (cancelled) return
        setStats(s)
        setTimeline(t.items.filter((e) => e.event.startsWith('ab_') || e.event === 'winner'))
        setError(null)
      } catch (e) {
        if (!cancelled) setError(e)
      }
      if (!cancelled && live) timer = setTimeout(load, POLL_MS)
    }
    void load()
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [campaign.id, live, refreshKey])

  const ab = campaign.ab_test
  const phase = stats?.ab_phase ?? campaign.ab_phase ?? null
  const winner = stats?.winner ?? campaign.winner ?? null
  const metric = stats?.metric ?? ab?.metric ?? null

  return (
    <section className="card space-y-3" aria-labelledby="variants-heading" data-testid="variant-comparison">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="variants-heading" className="text-lg font-semibold">
          A/B variants
        </h2>
        {ab && (
          <p className="text-sm text-slate-600" data-testid="ab-settings">
            Test on {ab.share} % · winner by {ab.metric} after {ab.wait}
          </p>
        )}
      </div>
      {ab && (
        <p className="text-sm" data-testid="ab-phase" data-phase={phase ?? 'NONE'}>
          {phase ? PHASE_TEXT[phase] : 'Not sent yet'}
          {phase === 'WAITING' && ab.wait_until && <> (until {formatTime(ab.wait_until)})</>}
          {winner && (
            <>
              {' · '}winner <strong data-testid="ab-winner">{winner}</strong>
            </>
          )}
        </p>
      )}
      <ErrorBox error={error} testId="variant-comparison-error" />
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-slate-500">
              <th scope="col" className="py-1 pr-3">Variant</th>
              <th scope="col" className="py-1 pr-3 text-right">Weight</th>
              <th scope="col" className="py-1 pr-3 text-right">Sent</th>
              <th scope="col" className="py-1 pr-3 text-right">Queued</th>
              <th scope="col" className="py-1 pr-3 text-right">Failed</th>
              <th scope="col" className="py-1 pr-3 text-right">Opens</th>
              <th scope="col" className="py-1 pr-3 text-right">Open rate</th>
              <th scope="col" className="py-1 pr-3 text-right">Clicks</th>
              <th scope="col" className="py-1 text-right">Click rate</th>
            </tr>
          </thead>
          <tbody>
            {(stats?.variants ?? (campaign.variants ?? []).map((v) => ({ ...v, total: 0, queued: 0, sent: 0, failed: 0, cancelled: 0, delivered: 0, opens: 0, clicks: 0, open_rate: 0, click_rate: 0, winner: false }))).map((v) => (
              <tr key={v.name} className={`border-t border-slate-100 ${v.winner ? 'bg-emerald-50' : ''}`} data-testid="variant-row" data-variant={v.name}>
                <th scope="row" className="py-1 pr-3 text-left font-medium">
                  {v.name}
                  {v.winner && (
                    <span className="ml-2 rounded bg-emerald-600 px-1.5 py-0.5 text-xs text-white" data-testid="winner-badge">
                      winner
                    </span>
                  )}
                </th>
                <td className="py-1 pr-3 text-right">{v.weight}</td>
                <td className="py-1 pr-3 text-right" data-testid="variant-sent">{formatNumber(v.sent)}</td>
                <td className="py-1 pr-3 text-right">{formatNumber(v.queued)}</td>
                <td className="py-1 pr-3 text-right">{formatNumber(v.failed)}</td>
                <td className={`py-1 pr-3 text-right ${metric === 'opens' ? 'font-semibold' : ''}`} data-testid="variant-opens">{formatNumber(v.opens)}</td>
                <td className="py-1 pr-3 text-right">{percent(v.open_rate)}</td>
                <td className={`py-1 pr-3 text-right ${metric === 'clicks' ? 'font-semibold' : ''}`} data-testid="variant-clicks">{formatNumber(v.clicks)}</td>
                <td className="py-1 text-right" data-testid="variant-click-rate">{percent(v.click_rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(campaign.variants ?? []).length > 0 && (
        <details className="text-sm" data-testid="variant-content">
          <summary className="cursor-pointer text-slate-600">Variant content</summary>
          {(campaign.variants ?? []).map((v) => (
            <div key={v.name} className="mt-2" data-testid="variant-content-item">
              <p className="text-xs font-medium">
                {v.name}
                {v.subject != null && (
                  <>
                    {' · '}subject <code className="rounded bg-slate-100 px-1">{v.subject}</code>
                  </>
                )}
              </p>
              <pre className="mt-1 rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap">{v.template}</pre>
            </div>
          ))}
        </details>
      )}
      {timeline.length > 0 && (
        <ol className="space-y-0.5 text-xs text-slate-600" aria-label="A/B timeline" data-testid="ab-timeline">
          {timeline.map((e, i) => (
            <li key={i}>
              <span className="text-slate-500">{formatTime(e.at)}</span> {e.detail ?? e.event}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
