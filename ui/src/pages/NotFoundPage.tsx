import { Link } from 'react-router'

export function NotFoundPage() {
  return (
    <div className="card">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        <Link to="/" className="text-sky-700 underline">
          Back to campaigns
        </Link>
      </p>
    </div>
  )
}
