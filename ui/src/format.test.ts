import { describe, expect, it } from 'vitest'
import { formatPercent, formatRelative } from './format'

describe('formatPercent', () => {
  it('gives one decimal at most and never rounds a few to 0% or nearly all to 100%', () => {
    expect(formatPercent(1, 8)).toBe('12.5%')
    expect(formatPercent(8, 8)).toBe('100%')
    expect(formatPercent(0, 8)).toBe('0%')
    expect(formatPercent(1, 100000)).toBe('<0.1%')
    expect(formatPercent(99999, 100000)).toBe('>99.9%')
    expect(formatPercent(2, 3)).toBe('66.7%')
  })

  it('is a dash without a whole', () => {
    expect(formatPercent(3, 0)).toBe('—')
    expect(formatPercent(null, 10)).toBe('—')
    expect(formatPercent(3, undefined)).toBe('—')
  })
})

describe('formatRelative', () => {
  const now = Date.parse('2026-12-01T12:00:00Z')

  it('names the largest whole unit ago', () => {
    expect(formatRelative('2026-12-01T11:59:55Z', now)).toBe('5 seconds ago')
    expect(formatRelative('2026-12-01T11:58:30Z', now)).toBe('1 minute ago')
    expect(formatRelative('2026-12-01T11:45:00Z', now)).toBe('15 minutes ago')
    expect(formatRelative('2026-12-01T09:00:00Z', now)).toBe('3 hours ago')
    expect(formatRelative('2026-11-29T12:00:00Z', now)).toBe('2 days ago')
  })

  it('says now for this second and for a clock slightly ahead, a dash without a time', () => {
    expect(formatRelative('2026-12-01T12:00:00Z', now)).toBe('now')
    expect(formatRelative('2026-12-01T12:00:02Z', now)).toBe('now')
    expect(formatRelative(null, now)).toBe('—')
    expect(formatRelative('not a time', now)).toBe('not a time')
  })
})
