import { useEffect, useState } from 'react'
import { api, type LinkClicks } from '../api'

/** A bucket of the engagement curve, ready to plot: `t` in ms since epoch, counts per bucket and running totals. */
export interface EngagementSample {
  t: number
  opens: number
  clicks: number
  totalOpens: number
  totalClicks: number
}

export interface EngagementData {
  links: LinkClicks[]
  curve: EngagementSample[]
  bucketMinutes: number
  /** Set once the first load has answered (an empty table then means "no links", not "loading"). */
  loaded: boolean
}

const EMPTY: EngagementData = { links: [], curve: [], bucketMinutes: 1, loaded: false }

/**
 * Clicks per link (GET /campaigns/{id}/links) and the open/click curve (GET /stats/engagement) of a tracked
 * campaign. Loads when enabled, again whenever `refreshKey` changes (the page passes the live unique opens and
 * clicks, so new engagement shows as soon as the stats stream reports it) and every `intervalMs` (total clicks
 * on a link grow without the unique counts moving). A failed refresh keeps the last data.
 */
export function useEngagement(
  campaignId: number | string,
  { enabled = true, refreshKey = '', intervalMs = 10_000 }: { enabled?: boolean; refreshKey?: string; intervalMs?: number } = {},
) {
  const [data, setData] = useState<EngagementData>(EMPTY)

  useEffect(() => {
    setData(EMPTY)
  }, [campaignId])

  useEffect(() => {
    if (!enabled) return
    let stale = false
    const load = () =>
      Promise.all([api.getLinks(campaignId), api.getEngagement(campaignId)])
        .then(([links, engagement]) => {
          if (stale) return
          let totalOpens = 0
          let totalClicks = 0
          const curve = engagement.points.map((p) => {
            totalOpens += p.opens
            totalClicks += p.clicks
            return { t: Date.parse(p.t), opens: p.opens, clicks: p.clicks, totalOpens, totalClicks }
          })
          setData({ links: links.items, curve, bucketMinutes: engagement.bucket_minutes, loaded: true })
        })
        .catch(() => {}) // the counters in the stats panel still show; the next refresh may work
    void load()
    const timer = setInterval(load, intervalMs)
    return () => {
      stale = true
      clearInterval(timer)
    }
  }, [campaignId, enabled, refreshKey, intervalMs])

  return data
}
