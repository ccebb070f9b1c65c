import { useCallback, useEffect, useState } from 'react'
import { api, type Preview } from '../api'
import { ErrorBox } from './ErrorBox'
import { Loading } from './Loading'

/** First 10 rendered messages plus the total number of targets (GET /campaigns/{id}/preview). */
export function PreviewList({ campaignId, autoLoad }: { campaignId: number | string; autoLoad: boolean }) {
  const [preview, setPreview] = useState<Preview | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const load = useCallback(async () => {
    setLoading(true)
    setError(null)
    try {
      setPreview(await api.previewCampaign(campaignId))
    } catch (e) {
      setError(e)
    } finally {
      setLoading(false)
    }
  }, [campaignId])

  useEffect(() => {
    if (autoLoad) void load()
  }, [autoLoad, load])

  return (
    <section className="card" aria-labelledby="preview-heading" data-testid="preview">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="preview-heading" className="text-lg font-semibold">
          Preview
        </h2>
        <button type="button" className="btn-secondary" onClick={load} disabled={loading} data-testid="preview-button">
          {preview ? 'Refresh preview' : 'Show preview'}
        </button>
      </div>
      {loading && <Loading label="Rendering preview…" />}
      <ErrorBox error={error} testId="preview-error" />
      {preview && !loading && (
        <>
          <p className="mt-2 text-sm text-slate-600">
            <strong data-testid="preview-total">{preview.total_targets.toLocaleString()}</strong> recipient
            {preview.total_targets === 1 ? '' : 's'} targeted
            {preview.items.length > 0 && preview.total_targets > preview.items.length && ` — showing the first ${preview.items.length}`}
          </p>
          {preview.items.length === 0 ? (
            <p className="mt-2 text-sm text-slate-500" data-testid="preview-empty">
              No recipient matches this segment.
            </p>
          ) : (
            <ol className="mt-3 divide-y divide-slate-100" data-testid="preview-list">
              {preview.items.map((p) => (
                <li key={p.recipient_id} className="py-2" data-testid="preview-item">
                  <p className="text-xs text-slate-500">
                    {p.name}
                    {p.email && <> &lt;{p.email}&gt;</>}
                  </p>
                  <p className="mt-0.5 text-sm break-words whitespace-pre-wrap">{p.rendered}</p>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  )
}
