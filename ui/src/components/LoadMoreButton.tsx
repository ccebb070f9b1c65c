/** "Load more" for keyset-paged lists: shown while the API returned a next_cursor. */
export function LoadMoreButton({ onClick, loading, testId, className = '' }: {
  onClick: () => void
  loading: boolean
  testId: string
  className?: string
}) {
  return (
    <button type="button" className={`btn-secondary w-full ${className}`} onClick={onClick} disabled={loading} data-testid={testId}>
      {loading ? 'Loading…' : 'Load more'}
    </button>
  )
}
