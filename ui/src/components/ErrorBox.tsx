import { ApiError, errorMessage } from '../api'

/** Shows a problem+json `title`/`detail` (or any error) as an alert. */
export function ErrorBox({ error, testId = 'error', onRetry }: { error: unknown; testId?: string; onRetry?: () => void }) {
  if (!error) return null
  const title = error instanceof ApiError ? error.problem.title : undefined
  const detail = errorMessage(error)
  return (
    <div role="alert" data-testid={testId} className="rounded-md border border-rose-200 bg-rose-50 p-3 text-sm text-rose-800">
      {title && title !== detail && <p className="font-semibold">{title}</p>}
      <p>{detail}</p>
      {onRetry && (
        <button type="button" onClick={onRetry} className="btn-secondary mt-2">
          Try again
        </button>
      )}
    </div>
  )
}
