import { describe, expect, it, vi } from 'vitest'
import { api, ApiError, isTagList, normalizeSegment, normalizeTags } from './api'
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

  it('tells tag lists from expressions, sending an expression as typed so error columns point into it', async () => {
    for (const rule of ['vip', ' vip, tw ', 'vip,', 'a:b.c-d']) expect(isTagList(rule)).toBe(true)
    for (const rule of ['vip tw', 'not', ' AND ', 'city = "x"', 'has(city)', 'vip and (tw or jp)']) expect(isTagList(rule)).toBe(false)
    expect(normalizeSegment(' vip , tw ')).toBe('vip,tw')
    expect(normalizeSegment('  vip and  city in ("a, b", "c")')).toBe('  vip and  city in ("a, b", "c")')
    expect(normalizeSegment('   ')).toBe('')
    const f = vi.fn(async (_input: RequestInfo | URL) => new Response(JSON.stringify({ count: 1 }), { headers: { 'Content-Type': 'application/json' } }))
    vi.stubGlobal('fetch', f)
    await api.countRecipients('vip and not tw')
    await api.listRecipients({ tag: 'city = "x\' OR 1=1"', limit: 5 })
    expect(f.mock.calls.map((c) => new URL(String(c[0]), 'http://h').searchParams.get('segment'))).toEqual(['vip and not tw', 'city = "x\' OR 1=1"'])
  })

  it('converts datetime-local values to ISO-8601 with the local offset', () => {
    expect(localInputToIso('')).toBeUndefined()
    const iso = localInputToIso('2030-01-15T08:05')!
    expect(iso).toMatch(/^2030-01-15T08:05:00[+-]\d\d:\d\d$/)
    expect(new Date(iso).getTime()).toBe(new Date('2030-01-15T08:05').getTime())
  })
})
