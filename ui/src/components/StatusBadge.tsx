import type { CampaignStatus, DeliveryStatus, MessageStatus, SuppressionReason } from '../api'

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
  BOUNCED: 'bg-orange-50 text-orange-800 ring-orange-300',
}

const PILL = 'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset'

export function StatusBadge({ status, testId }: { status: CampaignStatus | MessageStatus | string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={`${PILL} ${COLORS[status] ?? COLORS.DRAFT}`}
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

const DELIVERY: Record<DeliveryStatus, { label: string; color: string }> = {
  sent: { label: 'sent', color: 'bg-slate-100 text-slate-700 ring-slate-300' },
  delivered: { label: 'delivered', color: 'bg-emerald-50 text-emerald-700 ring-emerald-300' },
  undelivered: { label: 'undelivered', color: 'bg-rose-50 text-rose-700 ring-rose-300' },
  failed: { label: 'failed', color: 'bg-rose-50 text-rose-700 ring-rose-300' },
  soft_bounced: { label: 'soft bounce', color: 'bg-amber-50 text-amber-800 ring-amber-300' },
  bounced: { label: 'bounced', color: 'bg-orange-50 text-orange-800 ring-orange-300' },
  complained: { label: 'complaint', color: 'bg-fuchsia-50 text-fuchsia-800 ring-fuchsia-300' },
}

/** What the provider reported after accepting a message (receipt, bounce, complaint); `data-status` is the wire value. */
export function DeliveryStatusBadge({ status, testId }: { status: DeliveryStatus | string; testId?: string }) {
  const d = DELIVERY[status as DeliveryStatus] ?? { label: status, color: COLORS.DRAFT }
  return (
    <span data-testid={testId} data-status={status} className={`${PILL} ${d.color}`}>
      {d.label}
    </span>
  )
}

export const REASON_LABEL: Record<SuppressionReason, string> = {
  hard_bounce: 'Hard bounce',
  soft_bounce: 'Soft bounces',
  complaint: 'Complaint',
  unsubscribe: 'Unsubscribed',
  manual: 'Added by hand',
}

const REASON_COLOR: Record<SuppressionReason, string> = {
  hard_bounce: 'bg-orange-50 text-orange-800 ring-orange-300',
  soft_bounce: 'bg-amber-50 text-amber-800 ring-amber-300',
  complaint: 'bg-fuchsia-50 text-fuchsia-800 ring-fuchsia-300',
  unsubscribe: 'bg-slate-100 text-slate-600 ring-slate-300',
  manual: 'bg-sky-50 text-sky-800 ring-sky-300',
}

/** Why an address is on the suppression list (`data-reason` is the wire value). */
export function ReasonBadge({ reason, testId }: { reason: SuppressionReason | string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-reason={reason}
      className={`${PILL} ${REASON_COLOR[reason as SuppressionReason] ?? COLORS.DRAFT}`}
    >
      {REASON_LABEL[reason as SuppressionReason] ?? reason}
    </span>
  )
}
