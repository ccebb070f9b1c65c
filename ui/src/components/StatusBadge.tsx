import type { CampaignStatus, MessageStatus } from '../api'

const COLORS: Record<string, string> = {
  DRAFT: 'bg-slate-100 text-slate-700 ring-slate-300',
  SCHEDULED: 'bg-indigo-50 text-indigo-700 ring-indigo-300',
  SENDING: 'bg-sky-50 text-sky-700 ring-sky-300',
  PAUSED: 'bg-amber-50 text-amber-800 ring-amber-300',
  COMPLETED: 'bg-emerald-50 text-emerald-700 ring-emerald-300',
  CANCELLED: 'bg-rose-50 text-rose-700 ring-rose-300',
  QUEUED: 'bg-slate-100 text-slate-700 ring-slate-300',
  RETRYING: 'bg-amber-50 text-amber-800 ring-amber-300',
  SENT: 'bg-emerald-50 text-emerald-700 ring-emerald-300',
  FAILED: 'bg-rose-50 text-rose-700 ring-rose-300',
  ACTIVE: 'bg-emerald-50 text-emerald-700 ring-emerald-300',
  UNSUBSCRIBED: 'bg-slate-100 text-slate-600 ring-slate-300',
}

export function StatusBadge({ status, testId }: { status: CampaignStatus | MessageStatus | string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${COLORS[status] ?? COLORS.DRAFT}`}
    >
      {status}
    </span>
  )
}

/** "Email" / "SMS" pill for a campaign's channel (`data-channel`). */
export function ChannelBadge({ channel, testId }: { channel: string | null | undefined; testId?: string }) {
  const email = channel === 'email'
  return (
    <span
      data-testid={testId}
      data-channel={channel ?? ''}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${
        email ? 'bg-violet-50 text-violet-700 ring-violet-300' : 'bg-teal-50 text-teal-700 ring-teal-300'
      }`}
    >
      {email ? 'Email' : channel === 'sms' ? 'SMS' : (channel ?? '—')}
    </span>
  )
}
