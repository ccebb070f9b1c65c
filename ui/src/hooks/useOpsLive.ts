import { useCallback, useEffect, useState } from 'react'
import { api, type OpsSummary, type WorkerInfo } from '../api'

export const OPS_POLL_MS = 3000

/** A source's latest answer and the error of its latest attempt (cleared by the next success). */
export interface Polled<T> {
  data: T | null
  error: unknown
}

/**
 * The Operations page's data: GET /workers and GET /ops/summary, re-read every `pollMs` while the tab is visible.
 * A hidden tab asks nothing (an operator leaves this page open for hours) and catches up as soon as it is shown
 * again. Each source keeps its last answer when a refresh fails, so a blip shows as a warning beside numbers
 * that are a few seconds old instead of blanking the page. `updatedAt` is when the last complete refresh ended.
 */
export function useOpsLive(pollMs: number = OPS_POLL_MS) {
  const [workers, setWorkers] = useState<Polled<WorkerInfo[]>>({ data: null, error: null })
  const [summary, setSummary] = useState<Polled<OpsSummary>>({ data: null, error: null })
  const [updatedAt, setUpdatedAt] = useState<number | null>(null)
  const [hidden, setHidden] = useState(() => typeof document !== 'undefined' && document.visibilityState === 'hidden')
  // Bumped by refresh() to re-read at once (the error box's "Try again").
  const [kick, setKick] = useState(0)

  useEffect(() => {
    const onVisibility = () => setHidden(document.visibilityState === 'hidden')
    document.addEventListener('visibilitychange', onVisibility)
    return () => document.removeEventListener('visibilitychange', onVisibility)
  }, [])

  useEffect(() => {
    if (hidden) return
    let disposed = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const tick = async () => {
      const [w, s] = await Promise.allSettled([api.listWorkers(), api.getOpsSummary()])
      if (disposed) return
      setWorkers((prev) => (w.status === 'fulfilled' ? { data: w.value.items, error: null } : { data: prev.data, error: w.reason }))
      setSummary((prev) => (s.status === 'fulfilled' ? { data: s.value, error: null } : { data: prev.data, error: s.reason }))
      setUpdatedAt(Date.now())
      timer = setTimeout(() => void tick(), pollMs)
    }
    void tick()
    return () => {
      disposed = true
      if (timer) clearTimeout(timer)
    }
  }, [hidden, pollMs, kick])

  const refresh = useCallback(() => setKick((k) => k + 1), [])

  return { workers, summary, updatedAt, paused: hidden, refresh }
}
