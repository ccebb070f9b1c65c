import { useCallback, useEffect, useState } from 'react'
import { api, type Channel, type ContentType, type Preview } from '../api'
import { ErrorBox } from './ErrorBox'
import { Loading } from './Loading'
import { MessagePreview } from './MessagePreview'

/** First 10 rendered messages plus the total number of targets (GET /campaigns/{id}/preview). */
export function PreviewList({
  campaignId,
  autoLoad,
  channel = 'sms',
  contentType,
}: {
  campaignId: number | string
  autoLoad: boolean
  channel?: Channel
  contentType?: ContentType
}) {
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
        <div className="mt-2">
          <MessagePreview preview={preview} channel={channel} contentType={contentType} />
        </div>
      )}
    </section>
  )
}
