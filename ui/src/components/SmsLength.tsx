import type { SmsEncoding } from '../api'
import { formatNumber } from '../format'

/** Characters per SMS: one part, and each part of a longer (concatenated) message. */
export const SMS_LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
}

/**
 * "UCS-2 · 38 characters · 1 segment": how an SMS is encoded and how many parts it is sent as (more than one in
 * amber, since each part is billed; UCS-2 in amber too unless `quiet`, where many rows repeat it). Characters are
 * GSM-7 septets or UTF-16 units, as the server counts them. Renders nothing without an encoding (email, or an
 * older server).
 */
export function SmsLength({
  encoding,
  characters,
  segments,
  testId = 'sms-length',
  quiet = false,
}: {
  encoding: SmsEncoding | null | undefined
  characters?: number | null
  segments?: number | null
  testId?: string
  quiet?: boolean
}) {
  if (!encoding) return null
  const many = (segments ?? 0) > 1
  return (
    <span className="text-xs text-slate-500 tabular-nums" data-testid={testId} data-encoding={encoding} data-segments={segments ?? ''}>
      <span className={encoding === 'UCS-2' && !quiet ? 'font-medium text-amber-800' : undefined}>{encoding}</span>
      {characters != null && ` · ${formatNumber(characters)} character${characters === 1 ? '' : 's'}`}
      {segments != null && (
        <>
          {' · '}
          <span className={many ? 'font-medium text-amber-800' : undefined}>
            {formatNumber(segments)} segment{segments === 1 ? '' : 's'}
          </span>
        </>
      )}
    </span>
  )
}

/** Why a text costs more parts: it is UCS-2 (an emoji or a character outside the GSM-7 alphabet). */
export function Ucs2Hint({ testId = 'preview-ucs2-hint' }: { testId?: string }) {
  const { single, part } = SMS_LIMITS['UCS-2']
  const gsm = SMS_LIMITS['GSM-7']
  return (
    <p className="rounded-md bg-amber-50 p-2 text-xs text-amber-900" data-testid={testId}>
      This text is sent as <strong>UCS-2</strong> because it has an emoji or a character outside the GSM-7 alphabet:{' '}
      {single} characters per SMS ({part} per part when longer) instead of {gsm.single} ({gsm.part}).
    </p>
  )
}
