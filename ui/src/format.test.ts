import { describe, expect, it } from 'vitest'
import { formatPercent } from './format'

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
