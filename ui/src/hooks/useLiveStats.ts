import { useEffect, useRef, useState } from 'react'
import { api, ApiError, type Stats } from '../api'

export interface StatsSample {
  t: number // ms since epoch, when the sample arrived
  sent: number
  failed: number
  throughput: number | null // messages sent per second since the previous sample
  p50: number | null
  p95: number | null
  p99: number | null
}

export type LiveMode = 'connecting' | 'stream' | 'poll' | 'stopped'

const TERMINAL = new Set(['COMPLETED', 'CANCELLED'])
const MAX_SAMPLES = 240 // ~2 min at the stream's 500 ms cadence
export const POLL_INTERVAL_MS = 1000
/** After the send, delivery receipts, bounces and complaints still arrive: re-read the counters this often. */
export const FEEDBACK_POLL_MS = 10_000

/**
 * Live campaign stats: SSE on /stats/stream (event "stats"); if the stream
 * errors (proxy strips SSE, server closed it, ...) fall back to polling
 * GET /stats every second. Stops once the campaign reaches a terminal status, then re-reads GET /stats every
 * 10 s (quietly, without adding chart samples) for what providers report later: delivered/undelivered receipts,
 * bounces, complaints. Bump `restartKey` after an action (send/resume/retry) to start watching live again.
 * Nothing is opened until `enabled` (i.e. the campaign is known to exist).
 */
export function useLiveStats(campaignId: number | string, restartKey = 0, enabled = true) {
  const [stats, setStats] = useState<Stats | null>(null)
  const [history, setHistory] = useState<StatsSample[]>([])
  const [mode, setMode] = useState<LiveMode>('connecting')
  const [error, setError] = useState<unknown>(null)
  const prev = useRef<{ t: number; sent: number } | null>(null)

  // A different campaign starts a fresh chart.
  useEffect(() => {
    setHistory([])
    setStats(null)
    prev.current = null
  }, [campaignId])

  useEffect(() => {
    if (!enabled) return
    let closed = false
    let disposed = false
    let es: EventSource | null = null
    let timer: ReturnType<typeof setTimeout> | undefined
    let feedbackTimer: ReturnType<typeof setTimeout> | undefined

    const stop = () => {
      closed = true
      es?.close()
      es = null
      if (timer) clearTimeout(timer)
    }

    const onSample = (s: Stats) => {
      if (closed) return
      const now = Date.now()
      const p = prev.current
      // Rate from successive cumulative `sent` counts; clamp at 0 in case a counter resets.
      const throughput = p && now > p.t ? Math.max(0, ((s.sent - p.sent) * 1000) / (now - p.t)) : null
      prev.current = { t: now, sent: s.sent }
      setStats(s)
      setError(null)
      setHistory((h) => {
        const next = [...h, { t: now, sent: s.sent, failed: s.failed, throughput, p50: s.p50_ms, p95: s.p95_ms, p99: s.p99_ms }]
        return next.length > MAX_SAMPLES ? next.slice(next.length - MAX_SAMPLES) : next
      })
      if (TERMINAL.has(s.status)) {
        stop()
        setMode('stopped')
        watchFeedback()
      }
    }

    // Terminal: only the feedback counters still move. Should the campaign be sending again (re-driven from
    // elsewhere), go back to live polling.
    const watchFeedback = () => {
      const tick = async () => {
        try {
          const s = await api.getStats(campaignId)
          if (disposed) return
          if (!TERMINAL.has(s.status)) {
            closed = false
            startPolling()
            return
          }
          setStats(s)
        } catch {
          // the next tick may work; the final numbers stay on screen meanwhile
        }
        if (!disposed) feedbackTimer = setTimeout(tick, FEEDBACK_POLL_MS)
      }
      feedbackTimer = setTimeout(tick, FEEDBACK_POLL_MS)
    }

    const startPolling = () => {
      if (closed) return
      setMode('poll')
      const tick = async () => {
        try {
          onSample(await api.getStats(campaignId))
        } catch (e) {
          if (closed) return
          setError(e)
          // A missing campaign will not come back; transient errors keep polling.
          if (e instanceof ApiError && e.status === 404) {
            stop()
            setMode('stopped')
          }
        } finally {
          if (!closed) timer = setTimeout(tick, POLL_INTERVAL_MS)
        }
      }
      void tick()
    }

    setMode('connecting')
    if (typeof EventSource === 'undefined') {
      startPolling()
    } else {
      const source = new EventSource(api.statsStreamUrl(campaignId))
      es = source
      const handle = (ev: MessageEvent) => {
        try {
          setMode('stream')
          onSample(JSON.parse(ev.data) as Stats)
        } catch {
          // ignore a malformed frame; the next one will do
        }
      }
      source.addEventListener('stats', handle as EventListener)
      source.onmessage = handle // tolerate a server that sends unnamed events
      source.onerror = () => {
        // EventSource would retry on its own; we prefer predictable 1 s polling.
        source.close()
        if (es === source) es = null
        startPolling()
      }
    }
    return () => {
      disposed = true
      stop()
      if (feedbackTimer) clearTimeout(feedbackTimer)
    }
  }, [campaignId, restartKey, enabled])

  return { stats, history, mode, error }
}
