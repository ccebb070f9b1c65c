import '@testing-library/jest-dom/vitest'
import { afterEach, vi } from 'vitest'
import { cleanup, configure } from '@testing-library/react'

// Note: jsdom has no ResizeObserver, so recharts' ResponsiveContainer keeps its
// initialDimension instead of measuring a 0x0 box; don't stub one in.

// Polling tests wait on real 500 ms / 1 s timers; give findBy/waitFor slack on a busy CI box.
configure({ asyncUtilTimeout: 3000 })

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})
