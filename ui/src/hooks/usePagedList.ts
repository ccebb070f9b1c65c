import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react'
import type { Page } from '../api'

export interface PagedListOptions {
  /**
   * While set, the first page reloads quietly every `pollMs` (no loading state; a failed refresh is
   * ignored) unless the user has already loaded further pages.
   */
  pollMs?: number
}

export interface PagedList<T> {
  items: T[]
  /** The first page is loading (after mount, a change of `deps` or `reload()`). */
  loading: boolean
  /** `loadMore()` is in flight. */
  loadingMore: boolean
  error: unknown
  /** The last page returned a next_cursor. */
  hasMore: boolean
  /** Appends the page after the current cursor; no-op without one. */
  loadMore: () => Promise<void>
  /** Loads the first page again with the same `deps`. */
  reload: () => void
}

/**
 * Keyset-paged list: loads the first page whenever `deps` change (or `reload()` is called),
 * ignoring responses of a load that has been superseded, and appends pages on `loadMore()`.
 * `fetchPage(null)` asks for the first page; like a useCallback body, `fetchPage` may only use
 * values listed in `deps`.
 */
export function usePagedList<T>(
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  deps: DependencyList,
  { pollMs }: PagedListOptions = {},
): PagedList<T> {
  const [items, setItems] = useState<T[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [loadingMore, setLoadingMore] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [reloadKey, setReloadKey] = useState(0)
  const [pagedFurther, setPagedFurther] = useState(false)
  // Bumped by every first-page load, so a loadMore() of the list before a filter change cannot append to the new one.
  const generation = useRef(0)

  // Effects and loadMore list the caller's `deps` in place of `fetchPage`, which is new every render.
  const fetchFirstPage = (isStale: () => boolean) =>
    fetchPage(null).then((page) => {
      if (isStale()) return
      setItems(page.items)
      setCursor(page.next_cursor)
    })

  useEffect(() => {
    let stale = false
    generation.current += 1
    setLoading(true)
    setLoadingMore(false)
    setError(null)
    setPagedFurther(false)
    fetchFirstPage(() => stale)
      .catch((e) => !stale && setError(e))
      .finally(() => !stale && setLoading(false))
    return () => {
      stale = true
    }
  }, [...deps, reloadKey])

  useEffect(() => {
    if (!pollMs || pagedFurther || loading) return
    let stale = false
    const timer = setInterval(() => {
      fetchFirstPage(() => stale).catch(() => {}) // a background refresh failing is not worth an error box; the next one may work
    }, pollMs)
    return () => {
      stale = true
      clearInterval(timer)
    }
  }, [pollMs, pagedFurther, loading, ...deps])

  const loadMore = useCallback(async () => {
    if (!cursor) return
    const started = generation.current
    setLoadingMore(true)
    try {
      const page = await fetchPage(cursor)
      if (generation.current !== started) return
      setItems((prev) => [...prev, ...page.items])
      setCursor(page.next_cursor)
      setPagedFurther(true)
    } catch (e) {
      if (generation.current === started) setError(e)
    } finally {
      if (generation.current === started) setLoadingMore(false)
    }
  }, [cursor, ...deps])

  const reload = useCallback(() => setReloadKey((k) => k + 1), [])

  return { items, loading, loadingMore, error, hasMore: !!cursor, loadMore, reload }
}
