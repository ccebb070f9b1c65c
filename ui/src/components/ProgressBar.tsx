export function ProgressBar({
  value,
  max,
  label,
  testId,
  tone = 'sky',
}: {
  value: number
  max: number
  label: string
  testId?: string
  tone?: 'sky' | 'emerald'
}) {
  const pct = max > 0 ? Math.min(100, Math.max(0, (value / max) * 100)) : 0
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      data-testid={testId}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div
        className={`h-full rounded-full transition-[width] duration-300 ${tone === 'emerald' ? 'bg-emerald-500' : 'bg-sky-500'}`}
        style={{ width: `${pct}%` }}
      />
    </div>
  )
}
