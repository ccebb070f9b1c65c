import { useRef, useState, type FormEvent } from 'react'
import { api, ApiError, type Suppression } from '../api'
import { ErrorBox } from './ErrorBox'

/**
 * Puts an email address or phone number on the suppression list by hand. The server decides what an address
 * is: its 400 (not an email or phone) and 409 (already listed) name the field `address`, shown under the input.
 * `onSubmit` is told when an attempt starts (so the page can clear an older notice).
 */
export function AddSuppressionForm({ onAdded, onSubmit }: { onAdded: (s: Suppression) => void; onSubmit?: () => void }) {
  const [address, setAddress] = useState('')
  const [detail, setDetail] = useState('')
  const [busy, setBusy] = useState(false)
  const [addressError, setAddressError] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const addressRef = useRef<HTMLInputElement>(null)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    onSubmit?.()
    setBusy(true)
    setAddressError(null)
    setError(null)
    try {
      const added = await api.addSuppression({ address: address.trim(), ...(detail.trim() ? { detail: detail.trim() } : {}) })
      setAddress('')
      setDetail('')
      onAdded(added)
    } catch (err) {
      const field = err instanceof ApiError ? err.fieldErrors().address : undefined
      if (field) {
        setAddressError(field)
        addressRef.current?.focus()
      } else {
        setError(err)
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="card space-y-3" onSubmit={submit} aria-labelledby="add-suppression-heading" data-testid="suppression-form" noValidate>
      <h2 id="add-suppression-heading" className="text-lg font-semibold">
        Add an address
      </h2>
      <div className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start">
        <div>
          <label htmlFor="suppression-address" className="label">
            Email or phone number
          </label>
          <input
            id="suppression-address"
            ref={addressRef}
            className="input"
            placeholder="someone@example.com or +886912345678"
            autoComplete="off"
            value={address}
            onChange={(e) => {
              setAddress(e.target.value)
              setAddressError(null)
            }}
            aria-invalid={addressError ? true : undefined}
            aria-describedby={addressError ? 'suppression-address-error' : undefined}
            data-testid="suppression-address-input"
          />
          {addressError && (
            <p id="suppression-address-error" className="field-error" data-testid="field-error-address">
              {addressError}
            </p>
          )}
        </div>
        <div>
          <label htmlFor="suppression-detail" className="label">
            Why <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <input
            id="suppression-detail"
            className="input"
            placeholder="e.g. asked by phone not to be contacted"
            value={detail}
            onChange={(e) => setDetail(e.target.value)}
            data-testid="suppression-detail-input"
          />
        </div>
        <button type="submit" className="btn-primary sm:mt-6" disabled={busy || address.trim() === ''} data-testid="suppression-add-submit">
          {busy ? 'Adding…' : 'Add'}
        </button>
      </div>
      <ErrorBox error={error} testId="suppression-add-error" />
    </form>
  )
}
