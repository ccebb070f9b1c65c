import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import type { Page } from '../api'
import { usePagedList } from './usePagedList'

type Row = { id: string }

const page = (ids: string[], next_cursor: string | null = null): Page<Row> => ({ items: ids.map((id) => ({ id })), next_cursor })
const ids = (items: Row[]) => items.map((r) => r.id)

/** A promise the test settles by hand, to order responses. */
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Renders the hook over a filter prop; fetchPage(filter, cursor) answers each call. */
function renderList(fetchPage: (filter: string, cursor: string | null) => Promise<Page<Row>>, pollMs?: number) {
  return renderHook(({ filter }: { filter: string }) => usePagedList((cursor) => fetchPage(filter, cursor), [filter], { pollMs }), {
    initialProps: { filter: 'a' },
  })
}

describe('usePagedList', () => {
  it('loads the first page', async () => {
    const fetchPage = vi.fn(async () => page(['1', '2'], 'c1'))
    const { result } = renderList(fetchPage)
    expect(result.current.loading).toBe(true)
    await waitFor(() => expect(result.current.loading).toBe(false))
    expect(ids(result.current.items)).toEqual(['1', '2'])
    expect(result.current.hasMore).toBe(true)
    expect(result.current.error).toBeNull()
    expect(fetchPage).toHaveBeenCalledExactlyOnceWith('a', null)
  })

  it('loadMore appends the page after the cursor', async () => {
    const more = deferred<Page<Row>>()
    const fetchPage = vi.fn((_f: string, cursor: string | null) => (cursor ? more.promise : Promise.resolve(page(['1', '2'], 'c1'))))
    const { result } = renderList(fetchPage)
    await waitFor(() => expect(result.current.loading).toBe(false))

    let done!: Promise<void>
    act(() => {
      done = result.current.loadMore()
    })
    expect(result.current.loadingMore).toBe(true)
    expect(fetchPage).toHaveBeenLastCalledWith('a', 'c1')
    await act(async () => {
      more.resolve(page(['3'], null))
      await done
    })
    expect(result.current.loadingMore).toBe(false)
    expect(ids(result.current.items)).toEqual(['1', '2', '3'])
    expect(result.current.hasMore).toBe(false)

    // Without a cursor there is nothing more to ask for.
    await act(() => result.current.loadMore())
    expect(fetchPage).toHaveBeenCalledTimes(2)
  })

  it('a filter change starts again from the first page', async () => {
    const fetchPage = vi.fn(async (filter: string, cursor: string | null) =>
      cursor ? page([`${filter}3`]) : page([`${filter}1`, `${filter}2`], `${filter}-c1`),
    )
    const { result, rerender } = renderList(fetchPage)
    await waitFor(() => expect(result.current.loading).toBe(false))
    await act(() => result.current.loadMore())
    expect(ids(result.current.items)).toEqual(['a1', 'a2', 'a3'])

    rerender({ filter: 'b' })
    expect(result.current.loading).toBe(true)
    await waitFor(() => expect(result.current.loading).toBe(false))
    expect(ids(result.current.items)).toEqual(['b1', 'b2'])
    expect(result.current.hasMore).toBe(true)
    expect(fetchPage).toHaveBeenLastCalledWith('b', null)

    await act(() => result.current.loadMore())
    expect(fetchPage).toHaveBeenLastCalledWith('b', 'b-c1')
    expect(ids(result.current.items)).toEqual(['b1', 'b2', 'b3'])
  })

  it('ignores a response for the previous filter that arrives late', async () => {
    const pending = { a: deferred<Page<Row>>(), b: deferred<Page<Row>>() }
    const { result, rerender } = renderList((filter) => pending[filter as 'a' | 'b'].promise)

    rerender({ filter: 'b' })
    await act(async () => pending.b.resolve(page(['b1'])))
    expect(result.current.loading).toBe(false)
    expect(ids(result.current.items)).toEqual(['b1'])

    await act(async () => pending.a.resolve(page(['a1', 'a2'], 'a-c1')))
    expect(ids(result.current.items)).toEqual(['b1'])
    expect(result.current.hasMore).toBe(false)
    expect(result.current.loading).toBe(false)
  })

  it('a loadMore still in flight when the filter changes does not append to the new list', async () => {
    const more = deferred<Page<Row>>()
    const fetchPage = vi.fn((filter: string, cursor: string | null) =>
      cursor ? more.promise : Promise.resolve(page(filter === 'a' ? ['a1'] : ['b1'], filter === 'a' ? 'c1' : null)),
    )
    const { result, rerender } = renderList(fetchPage)
    await waitFor(() => expect(result.current.loading).toBe(false))
    let done!: Promise<void>
    act(() => {
      done = result.current.loadMore()
    })
    rerender({ filter: 'b' })
    await waitFor(() => expect(ids(result.current.items)).toEqual(['b1']))
    await act(async () => {
      more.resolve(page(['a2'], 'c2'))
      await done
    })
    expect(ids(result.current.items)).toEqual(['b1'])
    expect(result.current.hasMore).toBe(false)
    expect(result.current.loadingMore).toBe(false)
  })

  it('ignores a late error for the previous filter', async () => {
    const pending = { a: deferred<Page<Row>>(), b: deferred<Page<Row>>() }
    const { result, rerender } = renderList((filter) => pending[filter as 'a' | 'b'].promise)

    rerender({ filter: 'b' })
    await act(async () => pending.a.reject(new Error('too late')))
    expect(result.current.error).toBeNull()
    expect(result.current.loading).toBe(true)
    await act(async () => pending.b.resolve(page(['b1'])))
    expect(result.current.loading).toBe(false)
    expect(ids(result.current.items)).toEqual(['b1'])
  })

  it('exposes an error, and reload clears it and fetches again', async () => {
    const boom = new Error('boom')
    const fetchPage = vi.fn().mockRejectedValueOnce(boom).mockResolvedValue(page(['1']))
    const { result } = renderList(fetchPage)
    await waitFor(() => expect(result.current.loading).toBe(false))
    expect(result.current.error).toBe(boom)
    expect(result.current.items).toEqual([])

    act(() => result.current.reload())
    expect(result.current.loading).toBe(true)
    expect(result.current.error).toBeNull()
    await waitFor(() => expect(result.current.loading).toBe(false))
    expect(ids(result.current.items)).toEqual(['1'])
    expect(fetchPage).toHaveBeenCalledTimes(2)
    expect(fetchPage).toHaveBeenLastCalledWith('a', null)
  })

  it('exposes a loadMore error and keeps the rows it has', async () => {
    const boom = new Error('boom')
    const fetchPage = vi.fn(async (_f: string, cursor: string | null) => {
      if (cursor) throw boom
      return page(['1'], 'c1')
    })
    const { result } = renderList(fetchPage)
    await waitFor(() => expect(result.current.loading).toBe(false))
    await act(() => result.current.loadMore())
    expect(result.current.error).toBe(boom)
    expect(result.current.loadingMore).toBe(false)
    expect(ids(result.current.items)).toEqual(['1'])
    expect(result.current.hasMore).toBe(true)
  })

  it('with pollMs, refreshes the first page quietly until the user pages further', async () => {
    let n = 0
    const fetchPage = vi.fn(async (_f: string, cursor: string | null) => {
      if (cursor) return page(['more'])
      n++
      if (n === 2) throw new Error('blip') // a failed background refresh shows no error
      return page([n === 1 ? 'first' : 'refreshed'], 'c1')
    })
    const { result } = renderList(fetchPage, 20)
    await waitFor(() => expect(ids(result.current.items)).toEqual(['refreshed']))
    expect(n).toBeGreaterThanOrEqual(3)
    expect(result.current.error).toBeNull()
    expect(result.current.loading).toBe(false)

    await act(() => result.current.loadMore())
    const calls = fetchPage.mock.calls.length
    await new Promise((r) => setTimeout(r, 100))
    expect(fetchPage).toHaveBeenCalledTimes(calls)
    expect(ids(result.current.items)).toEqual(['refreshed', 'more'])
  })
})
