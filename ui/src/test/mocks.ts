// Test doubles for the two browser APIs the console talks to the server with.
import { vi } from 'vitest'

export function json(body: unknown, status = 200, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } })
}

export function problem(status: number, body: Record<string, unknown>): Response {
  return json({ type: 'about:blank', status, ...body }, status, 'application/problem+json')
}

export interface MockRequest {
  method: string
  url: URL
  init?: RequestInit
}

type Handler = (req: MockRequest) => unknown
/** [method, exact pathname or regexp over pathname+search, handler returning a Response or a JSON body] */
export type Route = [string, string | RegExp, Handler]

/** Stubs global fetch with a tiny router; unmatched calls get a 404 problem. */
export function mockFetch(routes: Route[]) {
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const url = new URL(raw, 'http://localhost')
    const method = (init?.method ?? 'GET').toUpperCase()
    for (const [m, pattern, handler] of routes) {
      const hit = typeof pattern === 'string' ? url.pathname === pattern : pattern.test(url.pathname + url.search)
      if (m === method && hit) {
        const out = await handler({ method, url, init })
        return out instanceof Response ? out : json(out)
      }
    }
    return problem(404, { title: 'Not Found', detail: `no mock for ${method} ${url.pathname}${url.search}` })
  })
  vi.stubGlobal('fetch', fn)
  return fn
}

/** Calls made to fetch, as "METHOD /path?query". */
export function calls(fn: ReturnType<typeof mockFetch>): string[] {
  return fn.mock.calls.map(([input, init]) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : (input as Request).url
    const url = new URL(raw, 'http://localhost')
    return `${((init as RequestInit | undefined)?.method ?? 'GET').toUpperCase()} ${decodeURIComponent(url.pathname + url.search)}`
  })
}

/** Minimal EventSource stand-in: tests push frames with emit() and break it with fail(). */
export class MockEventSource {
  static instances: MockEventSource[] = []
  url: string
  readyState = 0
  closed = false
  onopen: ((ev: Event) => void) | null = null
  onmessage: ((ev: MessageEvent) => void) | null = null
  onerror: ((ev: Event) => void) | null = null
  private listeners = new Map<string, Set<(ev: MessageEvent) => void>>()

  constructor(url: string | URL) {
    this.url = String(url)
    MockEventSource.instances.push(this)
  }

  addEventListener(type: string, listener: (ev: MessageEvent) => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set())
    this.listeners.get(type)!.add(listener)
  }

  removeEventListener(type: string, listener: (ev: MessageEvent) => void) {
    this.listeners.get(type)?.delete(listener)
  }

  close() {
    this.closed = true
    this.readyState = 2
  }

  emit(type: string, data: unknown) {
    const ev = new MessageEvent(type, { data: JSON.stringify(data) })
    this.listeners.get(type)?.forEach((l) => l(ev))
    if (type === 'message') this.onmessage?.(ev)
  }

  fail() {
    this.onerror?.(new Event('error'))
  }

  static install() {
    MockEventSource.instances = []
    vi.stubGlobal('EventSource', MockEventSource)
  }

  static last(): MockEventSource {
    const es = MockEventSource.instances[MockEventSource.instances.length - 1]
    if (!es) throw new Error('no EventSource was opened')
    return es
  }
}
