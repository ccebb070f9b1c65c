import { useState, type KeyboardEvent } from 'react'
import type { Channel, ContentType, Preview, PreviewItem } from '../api'
import { SmsLength, Ucs2Hint } from './SmsLength'

/**
 * Rendered messages of a preview answer (POST /campaigns/preview or GET /campaigns/{id}/preview):
 * how many recipients it reaches, how many match but have no address for the channel, and the
 * first rendered messages. SMS shows the texts as a list, each with its encoding, length and segments (and a
 * hint when a text is UCS-2); email lets you pick a sample recipient and
 * shows that recipient's subject and body (HTML in a sandboxed iframe, or the plain-text part).
 */
export function MessagePreview({
  preview,
  channel,
  contentType = 'html',
}: {
  preview: Preview
  channel: Channel
  contentType?: ContentType
}) {
  const [selectedId, setSelectedId] = useState<number | null>(null)
  const items = preview.items ?? []
  // Keep the chosen recipient across refreshes while it is still in the answer.
  const selected = items.find((p) => p.recipient_id === selectedId) ?? items[0]
  const unreachable = preview.unreachable ?? 0
  const address = channel === 'email' ? 'email address' : 'phone number'

  return (
    <div className="space-y-3">
      <div className="text-sm text-slate-600">
        <p>
          <strong data-testid="preview-total">{preview.total_targets.toLocaleString()}</strong> recipient
          {preview.total_targets === 1 ? '' : 's'} targeted
          {items.length > 0 && preview.total_targets > items.length && ` — showing the first ${items.length}`}
        </p>
        {unreachable > 0 && (
          <p className="mt-1 text-amber-800" data-testid="preview-unreachable" data-count={unreachable}>
            {unreachable.toLocaleString()} match{unreachable === 1 ? 'es' : ''} but {unreachable === 1 ? 'has' : 'have'} no {address}
          </p>
        )}
      </div>

      {items.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="preview-empty">
          {unreachable > 0 ? `No matching recipient has ${channel === 'email' ? 'an' : 'a'} ${address}.` : 'No recipient matches this segment.'}
        </p>
      ) : channel === 'email' ? (
        <>
          <ul className="flex flex-wrap gap-1" aria-label="Sample recipient" data-testid="preview-list">
            {items.map((p) => (
              <li key={p.recipient_id} data-testid="preview-item" data-recipient-id={p.recipient_id}>
                <button
                  type="button"
                  aria-pressed={p === selected}
                  onClick={() => setSelectedId(p.recipient_id)}
                  className={`rounded-full border px-2 py-0.5 text-xs focus-visible:outline-2 focus-visible:outline-sky-600 ${
                    p === selected ? 'border-sky-700 bg-sky-700 text-white' : 'border-slate-300 bg-white hover:bg-sky-50'
                  }`}
                  title={p.email ?? undefined}
                >
                  {p.name}
                </button>
              </li>
            ))}
          </ul>
          {selected && <EmailView item={selected} contentType={contentType} />}
        </>
      ) : (
        <>
          {items.some((p) => p.encoding === 'UCS-2') && <Ucs2Hint />}
          <ol className="divide-y divide-slate-100" data-testid="preview-list">
            {items.map((p) => (
              <li key={p.recipient_id} className="py-2" data-testid="preview-item" data-recipient-id={p.recipient_id}>
                <p className="flex flex-wrap justify-between gap-x-3 text-xs text-slate-500">
                  <span>
                    {p.name}
                    {p.phone ? <> &lt;{p.phone}&gt;</> : p.email ? <> &lt;{p.email}&gt;</> : null}
                  </span>
                  <SmsLength encoding={p.encoding} characters={p.characters} segments={p.segments} testId="preview-sms-length" />
                </p>
                <p className="mt-0.5 text-sm break-words whitespace-pre-wrap">{p.rendered}</p>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  )
}

type Tab = 'html' | 'text'

/** One rendered email: envelope, subject, and the HTML (sandboxed, no scripts) or text part. */
function EmailView({ item, contentType }: { item: PreviewItem; contentType: ContentType }) {
  const [tab, setTab] = useState<Tab>('html')
  const isHtml = contentType === 'html'
  const text = isHtml ? item.text : (item.text ?? item.rendered)

  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return
    e.preventDefault()
    const next: Tab = tab === 'html' ? 'text' : 'html'
    setTab(next)
    document.getElementById(`email-preview-tab-${next}`)?.focus()
  }

  const tabClass = (t: Tab) =>
    `-mb-px border-b-2 px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-sky-600 ${
      tab === t ? 'border-sky-700 text-sky-800' : 'border-transparent text-slate-500 hover:text-slate-800'
    }`

  return (
    <article className="overflow-hidden rounded-md border border-slate-200" aria-label={`Email to ${item.name}`}>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 bg-slate-50 px-3 py-2 text-sm">
        <dt className="text-slate-500">To</dt>
        <dd className="break-all" data-testid="email-preview-recipient">
          {item.name} {item.email && <>&lt;{item.email}&gt;</>}
        </dd>
        <dt className="text-slate-500">Subject</dt>
        <dd className="font-semibold break-words" data-testid="email-preview-subject">
          {item.subject ?? ''}
        </dd>
      </dl>
      {isHtml ? (
        <>
          <div role="tablist" aria-label="Email part" className="flex gap-1 border-b border-slate-200 px-2">
            {(['html', 'text'] as Tab[]).map((t) => (
              <button
                key={t}
                id={`email-preview-tab-${t}`}
                type="button"
                role="tab"
                aria-selected={tab === t}
                aria-controls={`email-preview-panel-${t}`}
                tabIndex={tab === t ? 0 : -1}
                onClick={() => setTab(t)}
                onKeyDown={onTabKey}
                className={tabClass(t)}
                data-testid={`email-preview-tab-${t}`}
              >
                {t === 'html' ? 'HTML' : 'Plain text'}
              </button>
            ))}
          </div>
          {tab === 'html' ? (
            <div role="tabpanel" id="email-preview-panel-html" aria-labelledby="email-preview-tab-html">
              {/* sandbox="" (no allow-* tokens): the email's HTML cannot run scripts, submit forms or reach the console. */}
              <iframe
                title={`Rendered email for ${item.name}`}
                sandbox=""
                srcDoc={item.rendered}
                className="block h-96 w-full bg-white"
                data-testid="email-preview-frame"
              />
            </div>
          ) : (
            <div role="tabpanel" id="email-preview-panel-text" aria-labelledby="email-preview-tab-text">
              <EmailText text={text} />
            </div>
          )}
        </>
      ) : (
        <EmailText text={text} />
      )}
    </article>
  )
}

function EmailText({ text }: { text: string | null | undefined }) {
  return (
    <pre className="max-h-96 overflow-auto p-3 font-mono text-xs break-words whitespace-pre-wrap" data-testid="email-preview-text">
      {text ?? ''}
    </pre>
  )
}
