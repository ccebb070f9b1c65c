export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p role="status" aria-live="polite" className="flex items-center gap-2 py-4 text-sm text-slate-500" data-testid="loading">
      <span className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-sky-600" aria-hidden />
      {label}
    </p>
  )
}
