import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react'
import { useAuth } from '../auth'
import { Link, useLocation, useParams } from 'react-router'
import { api, type Campaign, type CampaignStatus } from '../api'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorBox } from '../components/ErrorBox'
import { Loading } from '../components/Loading'
import { MessagesTable } from '../components/MessagesTable'
import { PreviewList } from '../components/PreviewList'
import { ProgressBar } from '../components/ProgressBar'
import { StatsPanel } from '../components/StatsPanel'
import { VariantComparison } from '../components/VariantComparison'
import { ChannelBadge, StatusBadge } from '../components/StatusBadge'
import { LinkClicksTable } from '../components/LinkClicksTable'
import { formatNumber, formatTime } from '../format'
import { useEngagement } from '../hooks/useEngagement'
import { useThroughputSeries } from '../hooks/useThroughputSeries'
import { FEEDBACK_POLL_MS, useLiveStats } from '../hooks/useLiveStats'

// recharts is most of the bundle's weight; load it only when a campaign page opens.
const StatsCharts = lazy(() => import('../components/StatsCharts').then((m) => ({ default: m.StatsCharts })))
const EngagementChart = lazy(() => import('../components/StatsCharts').then((m) => ({ default: m.EngagementChart })))

/** What a campaign tracks: only an email with an HTML body gets rewritten links and the pixel. */
function trackingOf(c: Campaign | null): { opens: boolean; clicks: boolean } | undefined {
  if (!c || c.channel !== 'email' || c.content_type === 'text') return undefined
  const t = { opens: !!c.track_opens, clicks: !!c.track_clicks }
  return t.opens || t.clicks ? t : undefined
}

type Action = 'send' | 'pause' | 'resume' | 'cancel'

// Which lifecycle actions make sense in which status; the API still has the final say (409).
const ACTIONS: Record<Action, { label: string; allowed: CampaignStatus[]; danger?: boolean; confirm: (c: Campaign) => string }> = {
  send: {
    label: 'Send now',
    allowed: ['DRAFT', 'SCHEDULED'],
    confirm: (c) => `Queue "${c.name}" for every recipient matching "${c.segment_rule}" right now? This cannot be undone.`,
  },
  pause: { label: 'Pause', allowed: ['SENDING'], confirm: (c) => `Pause "${c.name}"? Queued messages stay queued until you resume.` },
  resume: { label: 'Resume', allowed: ['PAUSED'], confirm: (c) => `Resume sending "${c.name}"?` },
  cancel: {
    label: 'Cancel campaign',
    allowed: ['DRAFT', 'SCHEDULED', 'SENDING', 'PAUSED'],
    danger: true,
    confirm: (c) => `Cancel "${c.name}"? Messages not yet sent will be cancelled and the campaign cannot be restarted.`,
  },
}

const runAction = (a: Action, id: number) =>
  a === 'send' ? api.sendCampaign(id) : a === 'pause' ? api.pauseCampaign(id) : a === 'resume' ? api.resumeCampaign(id) : api.cancelCampaign(id)

export function CampaignPage() {
  const { canWrite } = useAuth()
  const { id = '' } = useParams()
  const location = useLocation()
  const justCreated = !!(location.state as { created?: boolean } | null)?.created

  const [campaign, setCampaign] = useState<Campaign | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [pending, setPending] = useState<Action | null>(null)
  const [busy, setBusy] = useState(false)
  const [actionError, setActionError] = useState<unknown>(null)
  const [notice, setNotice] = useState<string | null>(null)
  // Bumped after any action so the live stats restart and the messages reload.
  const [generation, setGeneration] = useState(0)

  // Reloads overlap (an action's own, and the one the stream asks for when the status moves); answers can arrive out
  // of order, and only the newest request's may be shown: a late SENDING must not undo the COMPLETED read after it,
  // as the stream, once final, asks for nothing more.
  const reloads = useRef(0)
  const reload = useCallback(async () => {
    const request = ++reloads.current
    try {
      const latest = await api.getCampaign(id)
      if (request !== reloads.current) return
      setCampaign(latest)
      setLoadError(null)
    } catch (e) {
      if (request === reloads.current) setLoadError(e)
    }
  }, [id])

  useEffect(() => {
    setCampaign(null)
    void reload()
  }, [reload])

  const { stats, history, mode, error: statsError } = useLiveStats(id, generation, campaign !== null)
  const liveStatus = stats?.status ?? campaign?.status
  const series = useThroughputSeries(id, {
    enabled: campaign !== null,
    live: liveStatus === 'SENDING',
    refreshKey: `${generation}:${liveStatus}`,
  })

  const tracking = trackingOf(campaign)
  // Reload links and curve as soon as the live unique counts move, and every few seconds while sending.
  const engagement = useEngagement(id, {
    enabled: !!tracking && campaign?.status !== 'DRAFT' && campaign?.status !== 'SCHEDULED',
    refreshKey: `${generation}:${stats?.opens ?? 0}:${stats?.clicks ?? 0}`,
    intervalMs: liveStatus === 'SENDING' ? 3000 : FEEDBACK_POLL_MS,
  })

  // When the stream reports a new status (e.g. SENDING -> COMPLETED), refresh the campaign itself.
  // Each action starts a new stream (generation), whose first status may equal the last one seen
  // before the action (a re-drive can finish before the stream opens), so forget it then.
  const lastStreamStatus = useRef<string | null>(null)
  useEffect(() => {
    lastStreamStatus.current = null
  }, [generation])
  useEffect(() => {
    if (!stats || stats.status === lastStreamStatus.current) return
    lastStreamStatus.current = stats.status
    if (campaign && stats.status !== campaign.status) void reload()
  }, [stats, campaign, reload])

  const confirmAction = async () => {
    if (!pending || !campaign) return
    setBusy(true)
    setActionError(null)
    try {
      const result = await runAction(pending, campaign.id)
      if (pending === 'send' && 'queued' in result) setNotice(`Queued ${formatNumber(result.queued)} messages.`)
      else setNotice(`${ACTIONS[pending].label} done.`)
      await reload()
      setGeneration((g) => g + 1)
    } catch (e) {
      setActionError(e)
    } finally {
      setBusy(false)
      setPending(null)
    }
  }

  const retryFailed = async () => {
    if (!campaign) return
    setBusy(true)
    setActionError(null)
    try {
      const r = await api.retryFailed(campaign.id)
      setNotice(`Re-queued ${formatNumber(r.requeued)} failed message${r.requeued === 1 ? '' : 's'}.`)
      await reload()
      setGeneration((g) => g + 1)
    } catch (e) {
      setActionError(e)
    } finally {
      setBusy(false)
    }
  }

  if (loadError && !campaign) {
    return (
      <div className="space-y-3">
        <Link to="/" className="text-sm text-sky-700 underline">
          ← Campaigns
        </Link>
        <ErrorBox error={loadError} onRetry={reload} />
      </div>
    )
  }
  if (!campaign) return <Loading label="Loading campaign…" />

  const status = campaign.status
  const isEmail = campaign.channel === 'email'
  const total = stats?.total ?? campaign.total
  const sent = stats?.sent ?? campaign.sent
  const failed = stats?.failed ?? campaign.failed
  const available = (Object.keys(ACTIONS) as Action[]).filter((a) => ACTIONS[a].allowed.includes(status))

  return (
    <div className="space-y-4">
      <Link to="/" className="text-sm text-sky-700 underline">
        ← Campaigns
      </Link>

      <section className="card space-y-3" aria-labelledby="campaign-heading">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 id="campaign-heading" className="text-2xl font-semibold break-words" data-testid="campaign-name-heading">
              {campaign.name}
            </h1>
            <div className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-500">
              <StatusBadge status={status} testId="campaign-status" />
              <ChannelBadge channel={campaign.channel} testId="campaign-channel-badge" />
              <span>#{campaign.id}</span>
              <span>
                segment <code className="rounded bg-slate-100 px-1">{campaign.segment_rule || '—'}</code>
              </span>
            </div>
            {isEmail && (
              <p className="mt-2 text-sm break-words">
                <span className="text-slate-500">Subject </span>
                <code className="rounded bg-slate-100 px-1" data-testid="campaign-subject-view">
                  {campaign.subject ?? ''}
                </code>
              </p>
            )}
          </div>
          <div className="flex flex-wrap gap-2" role="group" aria-label="Campaign actions">
            {canWrite && available.map((a) => (
              <button
                key={a}
                type="button"
                className={ACTIONS[a].danger ? 'btn-danger' : a === 'send' ? 'btn-primary' : 'btn-secondary'}
                onClick={() => setPending(a)}
                disabled={busy}
                data-testid={`${a}-button`}
              >
                {ACTIONS[a].label}
              </button>
            ))}
            {canWrite && failed > 0 && (
              <button type="button" className="btn-secondary" onClick={retryFailed} disabled={busy} data-testid="retry-failed-button">
                Retry failed ({formatNumber(failed)})
              </button>
            )}
          </div>
        </div>

        {justCreated && (status === 'DRAFT' || status === 'SCHEDULED') && (
          <p className="rounded-md bg-emerald-50 p-2 text-sm text-emerald-800" data-testid="created-notice">
            Campaign created. Check the preview below, then send it (or let the schedule start it).
          </p>
        )}
        {notice && (
          <p role="status" className="rounded-md bg-sky-50 p-2 text-sm text-sky-900" data-testid="action-notice">
            {notice}
          </p>
        )}
        <ErrorBox error={actionError} testId="action-error" />

        <div>
          <ProgressBar value={sent} max={total} label={`${sent} of ${total} sent`} testId="campaign-progress" tone="emerald" />
          <p className="mt-1 text-xs text-slate-600">
            {status === 'DRAFT' || status === 'SCHEDULED' ? (
              'Not sent yet'
            ) : (
              <>
                {formatNumber(sent)} / {formatNumber(total)} sent
                {failed > 0 && <span className="text-rose-700"> · {formatNumber(failed)} failed</span>}
              </>
            )}
          </p>
        </div>

        <details className="text-sm">
          <summary className="cursor-pointer text-slate-600">Template &amp; timeline</summary>
          {isEmail && <p className="mt-2 text-xs font-medium">Body ({campaign.content_type === 'text' ? 'plain text' : 'HTML'})</p>}
          <pre className="mt-2 rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap" data-testid="campaign-template-view">
            {campaign.template}
          </pre>
          {isEmail && campaign.text_template && (
            <>
              <p className="mt-2 text-xs font-medium">Plain-text alternative</p>
              <pre className="mt-1 rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap" data-testid="campaign-text-template-view">
                {campaign.text_template}
              </pre>
            </>
          )}
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
            {isEmail && (
              <>
                <dt className="font-medium">From</dt>
                <dd data-testid="campaign-from-view">{campaign.from || 'server default'}</dd>
                <dt className="font-medium">Reply-To</dt>
                <dd data-testid="campaign-reply-to-view">{campaign.reply_to || '—'}</dd>
                <dt className="font-medium">Tracking</dt>
                <dd data-testid="campaign-tracking-view">
                  {tracking ? [tracking.opens && 'opens', tracking.clicks && 'clicks'].filter(Boolean).join(', ') : 'off'}
                </dd>
              </>
            )}
            <dt className="font-medium">Created</dt>
            <dd>{formatTime(campaign.created_at)}</dd>
            <dt className="font-medium">Scheduled</dt>
            <dd>{formatTime(campaign.scheduled_at)}</dd>
            <dt className="font-medium">Started</dt>
            <dd>{formatTime(campaign.started_at)}</dd>
            <dt className="font-medium">Completed</dt>
            <dd>{formatTime(campaign.completed_at)}</dd>
          </dl>
        </details>
      </section>

      <PreviewList
        campaignId={campaign.id}
        autoLoad={status === 'DRAFT' || status === 'SCHEDULED'}
        channel={isEmail ? 'email' : 'sms'}
        contentType={campaign.content_type}
      />

      <StatsPanel stats={stats} mode={mode} error={statsError} channel={campaign.channel} tracking={tracking} />
      {(campaign.variants?.length ?? 0) > 0 && <VariantComparison campaign={campaign} refreshKey={`${generation}:${liveStatus}`} />}
      <Suspense fallback={<Loading label="Loading charts…" />}>
        <StatsCharts history={history} series={series} final={stats} campaign={campaign} />
      </Suspense>
      {tracking && status !== 'DRAFT' && status !== 'SCHEDULED' && (
        <div className="grid gap-4 lg:grid-cols-2" data-testid="engagement">
          <Suspense fallback={<Loading label="Loading charts…" />}>
            <EngagementChart curve={engagement.curve} bucketMinutes={engagement.bucketMinutes} tracking={tracking} />
          </Suspense>
          {tracking.clicks && <LinkClicksTable links={engagement.links} loaded={engagement.loaded} sent={sent} />}
        </div>
      )}

      {/* Reload the messages after an action and whenever the status moves (e.g. SENDING -> COMPLETED). */}
      <MessagesTable
        campaignId={campaign.id}
        refreshKey={`${generation}:${status}`}
        live={status === 'SENDING'}
        channel={campaign.channel}
      />

      <ConfirmDialog
        open={pending !== null}
        title={pending ? `${ACTIONS[pending].label}?` : ''}
        message={pending ? ACTIONS[pending].confirm(campaign) : ''}
        confirmLabel={pending ? ACTIONS[pending].label : 'Confirm'}
        danger={pending ? !!ACTIONS[pending].danger : false}
        busy={busy}
        onConfirm={confirmAction}
        onCancel={() => !busy && setPending(null)}
      />
    </div>
  )
}
