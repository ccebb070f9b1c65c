import { describe, expect, it, vi } from 'vitest'
import { api, ApiError, normalizeTags } from './api'
import { localInputToIso } from './format'
import { problem } from './test/mocks'

describe('api client', () => {
  it('turns problem+json into an ApiError with field errors', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => problem(400, { title: 'Bad Request', detail: 'Validation failed', errors: [{ field: 'name', message: 'must not be blank' }] })))
    const err = await api.createCampaign({ name: '', template: '', segment_rule: '' }).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(400)
    expect(err.message).toBe('Validation failed')
    expect(err.fieldErrors()).toEqual({ name: 'must not be blank' })
  })

  it('copes with a non-JSON error page and with network failures', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })))
    const err = await api.getCampaign(1).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(502)
    expect(err.message).toBe('Bad Gateway')

    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    const net = await api.getCampaign(1).catch((e) => e)
    expect(net.status).toBe(0)
    expect(net.message).toMatch(/cannot reach the server/i)
  })

  it('normalizes segment rules and builds query strings', async () => {
    expect(normalizeTags(' vip, tw ,,')).toBe('vip,tw')
    const f = vi.fn(async (_input: RequestInfo | URL) => new Response(JSON.stringify({ count: 1 }), { headers: { 'Content-Type': 'application/json' } }))
    vi.stubGlobal('fetch', f)
    await api.countRecipients('vip, tw')
    expect(f.mock.calls[0][0]).toBe('/recipients/count?tag=vip%2Ctw')
  })

  it('converts datetime-local values to ISO-8601 with the local offset', () => {
    expect(localInputToIso('')).toBeUndefined()
    const iso = localInputToIso('2030-01-15T08:05')!
    expect(iso).toMatch(/^2030-01-15T08:05:00[+-]\d\d:\d\d$/)
    expect(new Date(iso).getTime()).toBe(new Date('2030-01-15T08:05').getTime())
  })
})
