import { useEffect, useState } from 'react'
import { api } from '../api'

/** A bucket of the server's throughput series, ready to plot: `t` in ms since epoch. */
export interface SeriesPoint {
  t: number
  sentPerSec: number
  failedPerSec: number
}

export const SERIES_REFRESH_MS = 3000

/**
 * The campaign's throughput over its whole run, from GET /campaigns/{id}/stats/throughput (kept by the
 * server, so it survives a reload, unlike samples taken by this page). Loads when enabled and whenever
 * `refreshKey` changes, and every few seconds while `live`. A failed refresh keeps the last series.
 */
export function useThroughputSeries(campaignId: number | string, { enabled = true, live = false, refreshKey = '' } = {}) {
  const [series, setSeries] = useState<SeriesPoint[]>([])

  useEffect(() => {
    setSeries([])
  }, [campaignId])

  useEffect(() => {
    if (!enabled) return
    let stale = false
    const load = () =>
      api
        .getThroughput(campaignId)
        .then((r) => {
          if (stale) return
          setSeries(
            r.points.map((p) => ({
              t: Date.parse(p.t),
              sentPerSec: p.sent_per_sec,
              failedPerSec: p.failed / r.bucket_seconds,
            })),
          )
        })
        .catch(() => {}) // the live counters still show; the next refresh may work
    void load()
    const timer = live ? setInterval(load, SERIES_REFRESH_MS) : undefined
    return () => {
      stale = true
      if (timer) clearInterval(timer)
    }
  }, [campaignId, enabled, live, refreshKey])

  return series
}
