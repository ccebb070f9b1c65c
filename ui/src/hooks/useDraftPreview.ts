import { useEffect, useState } from 'react'
import { api, type DraftPreviewRequest, type Preview } from '../api'
import { useDebounced } from './useDebounced'

export const PREVIEW_DEBOUNCE_MS = 400

interface Answer {
  key: string
  preview: Preview | null
  error: unknown
}

/**
 * Live preview of an unsaved campaign (POST /campaigns/preview), debounced: one request once the
 * draft has stopped changing for `delayMs`. An answer that arrives after the draft changed again is
 * dropped (and its request aborted), so a slow old answer never replaces a newer one.
 * `draft` null = not enough to preview yet (nothing is requested).
 *
 * `current` tells whether `preview`/`error` belong to the draft as it is now (false while the user
 * is still typing or the request is in flight), so field errors can be shown only when they apply.
 */
export function useDraftPreview(draft: DraftPreviewRequest | null, delayMs = PREVIEW_DEBOUNCE_MS) {
  const key = draft ? JSON.stringify(draft) : ''
  const debouncedKey = useDebounced(key, delayMs)
  const [answer, setAnswer] = useState<Answer>({ key: '', preview: null, error: null })

  useEffect(() => {
    if (!debouncedKey) return
    const ctrl = new AbortController()
    let stale = false
    api
      .previewDraft(JSON.parse(debouncedKey) as DraftPreviewRequest, ctrl.signal)
      .then((preview) => !stale && setAnswer({ key: debouncedKey, preview, error: null }))
      .catch((error: unknown) => !stale && setAnswer({ key: debouncedKey, preview: null, error }))
    return () => {
      stale = true
      ctrl.abort()
    }
  }, [debouncedKey])

  const current = !!key && answer.key === key
  return {
    /** The latest answer, even while a newer one is pending (avoids flicker while typing). */
    preview: key ? answer.preview : null,
    error: key ? answer.error : null,
    current,
    loading: !!key && !current,
  }
}
