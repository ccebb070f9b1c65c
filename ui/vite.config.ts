/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'

// The Spring Boot app serves the console from classpath:/static/ui at /ui/,
// so the bundle is written straight into Maven's target/classes.
export default defineConfig({
  base: '/ui/',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: '../target/classes/static/ui',
    emptyOutDir: true,
  },
  server: {
    // Dev only: proxy API calls to a locally running backend on :8080.
    proxy: {
      '^/(campaigns|recipients|tags|imports|auth|api-keys|audit)': 'http://localhost:8080',
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    testTimeout: 15000,
    css: false,
    // Two shared cores: one worker is plenty for a handful of test files.
    pool: 'threads',
    maxWorkers: 1,
  },
})
