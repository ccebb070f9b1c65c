import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react'
import { api, type ImportJob } from '../api'
import { formatNumber } from '../format'
import { ErrorBox } from './ErrorBox'
import { ProgressBar } from './ProgressBar'

export const IMPORT_POLL_MS = 500

function formatBytes(n: number | undefined): string {
  if (n === undefined) return '—'
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/**
 * CSV import: drop or pick a file, POST it with async=true, then poll
 * GET /imports/{id} every 500 ms until it is no longer RUNNING.
 */
export function ImportPanel({ onFinished }: { onFinished?: (job: ImportJob) => void }) {
  const [file, setFile] = useState<File | null>(null)
  const [tags, setTags] = useState('')
  const [dryRun, setDryRun] = useState(false)
  const [dragging, setDragging] = useState(false)
  const [uploading, setUploading] = useState(false)
  const [job, setJob] = useState<ImportJob | null>(null)
  const [error, setError] = useState<unknown>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const alive = useRef(true)
  const [wasDryRun, setWasDryRun] = useState(false)

  useEffect(() => {
    alive.current = true
    return () => {
      alive.current = false
      clearTimeout(timer.current)
    }
  }, [])

  const finish = (j: ImportJob) => {
    setJob(j)
    onFinished?.(j)
  }

  const poll = (id: string | number) => {
    timer.current = setTimeout(async () => {
      if (!alive.current) return
      try {
        const j = await api.getImport(id)
        if (!alive.current) return
        if (j.status === 'RUNNING') {
          setJob(j)
          poll(id)
        } else finish(j)
      } catch (e) {
        if (alive.current) setError(e)
      }
    }, IMPORT_POLL_MS)
  }

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    if (!file) return
    clearTimeout(timer.current)
    setUploading(true)
    setError(null)
    setJob(null)
    setWasDryRun(dryRun)
    try {
      const j = await api.importRecipients(file, { tags, dryRun, async: true })
      if (!alive.current) return
      // A server may answer synchronously (200 COMPLETED) even when asked for async.
      if (j.status === 'RUNNING') {
        setJob(j)
        poll(j.id)
      } else finish(j)
    } catch (err) {
      setError(err)
    } finally {
      setUploading(false)
    }
  }

  const pickFile = (f: File | undefined | null) => {
    if (!f) return
    setFile(f)
    setJob(null)
    setError(null)
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setDragging(false)
    pickFile(e.dataTransfer.files?.[0])
  }

  const running = uploading || job?.status === 'RUNNING'
  const errors = job?.errors ?? []

  return (
    <section className="card" aria-labelledby="import-heading">
      <h2 id="import-heading" className="text-lg font-semibold">
        Import recipients from CSV
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Columns: <code>name</code>, <code>email</code>, <code>phone</code>, <code>tags</code>; any other column becomes an attribute usable
        in templates.
      </p>
      <form onSubmit={onSubmit} className="mt-3 space-y-3">
        {/* The whole zone is the label of the file input, so click, Enter/Space on the input and drop all work. */}
        <label
          htmlFor="import-file"
          onDragOver={(e) => {
            e.preventDefault()
            setDragging(true)
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="import-dropzone"
          className={`flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed p-6 text-center text-sm focus-within:outline-2 focus-within:outline-sky-600 ${
            dragging ? 'border-sky-500 bg-sky-50' : 'border-slate-300 bg-slate-50 hover:bg-slate-100'
          }`}
        >
          <span className="font-medium">{file ? file.name : 'Drop a CSV file here'}</span>
          <span className="mt-1 text-slate-500">{file ? formatBytes(file.size) : 'or click to choose a file'}</span>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            className="sr-only"
            onChange={(e) => pickFile(e.target.files?.[0])}
            data-testid="import-file-input"
          />
        </label>
        <div className="grid gap-3 sm:grid-cols-[1fr_auto_auto] sm:items-end">
          <div>
            <label htmlFor="import-tags" className="label">
              Add tags to every row <span className="font-normal text-slate-500">(optional)</span>
            </label>
            <input
              id="import-tags"
              className="input"
              placeholder="newsletter,2025"
              value={tags}
              onChange={(e) => setTags(e.target.value)}
              data-testid="import-tags"
            />
          </div>
          <label className="flex items-center gap-2 py-2 text-sm">
            <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} data-testid="import-dry-run" className="h-4 w-4" />
            Dry run (validate only)
          </label>
          <button type="submit" className="btn-primary" disabled={!file || running} data-testid="import-submit">
            {running ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>

      <div className="mt-3 space-y-3" aria-live="polite">
        <ErrorBox error={error} testId="import-error" />
        {uploading && <p className="text-sm text-slate-500">Uploading {file?.name}…</p>}
        {job?.status === 'RUNNING' && (
          <div data-testid="import-progress-block">
            <ProgressBar value={job.bytes_read ?? 0} max={job.bytes_total ?? 0} label="Import progress" testId="import-progress" />
            <p className="mt-1 text-xs text-slate-600">
              {formatBytes(job.bytes_read)} of {formatBytes(job.bytes_total)} read · {formatNumber(job.rows ?? 0)} rows so far
            </p>
          </div>
        )}
        {job && job.status !== 'RUNNING' && (
          <div data-testid="import-result" data-status={job.status}>
            <p className={`text-sm font-medium ${job.status === 'FAILED' ? 'text-rose-700' : 'text-emerald-700'}`}>
              {job.status === 'FAILED' ? 'Import failed' : wasDryRun ? 'Dry run finished (nothing saved)' : 'Import finished'}
            </p>
            <dl className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-4">
              {(['rows', 'imported', 'updated', 'skipped'] as const).map((k) => (
                <div key={k} className="rounded-md bg-slate-50 p-2">
                  <dt className="text-xs text-slate-500 uppercase">{k}</dt>
                  <dd className="text-lg font-semibold tabular-nums" data-testid={`import-${k}`}>
                    {formatNumber(job[k] ?? 0)}
                  </dd>
                </div>
              ))}
            </dl>
            {errors.length > 0 && (
              <div className="mt-3 max-h-80 overflow-auto">
                <table className="min-w-full divide-y divide-slate-200" data-testid="import-errors-table">
                  <caption className="mb-1 text-left text-sm font-medium text-rose-700">
                    {errors.length} row error{errors.length === 1 ? '' : 's'}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col" className="th">
                        Row
                      </th>
                      <th scope="col" className="th">
                        Column
                      </th>
                      <th scope="col" className="th">
                        Message
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {errors.map((er, i) => (
                      <tr key={`${er.row}-${er.column}-${i}`} data-testid="import-error-row">
                        <td className="td tabular-nums">{er.row}</td>
                        <td className="td font-mono text-xs">{er.column ?? '—'}</td>
                        <td className="td">{er.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )}
      </div>
    </section>
  )
}
