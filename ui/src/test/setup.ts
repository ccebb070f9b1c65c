import '@testing-library/jest-dom/vitest'
import { afterEach, vi } from 'vitest'
import { cleanup } from '@testing-library/react'

// Note: jsdom has no ResizeObserver, so recharts' ResponsiveContainer keeps its
// initialDimension instead of measuring a 0x0 box; don't stub one in.

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})
