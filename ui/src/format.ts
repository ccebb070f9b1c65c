// Small display helpers shared by the pages.

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—'
  return n.toLocaleString()
}

export function formatMs(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—'
  return `${Math.round(n).toLocaleString()} ms`
}

/** `part` as a percentage of `whole`, e.g. "12.5%" ("<0.1%" / ">99.9%" rather than rounding to 0 or 100); "—" without a whole. */
export function formatPercent(part: number | null | undefined, whole: number | null | undefined): string {
  if (part === null || part === undefined || !whole || Number.isNaN(part) || Number.isNaN(whole)) return '—'
  if (part <= 0) return '0%'
  const pct = (part * 100) / whole
  if (pct < 0.1) return '<0.1%'
  if (pct > 99.9 && part < whole) return '>99.9%'
  return `${pct.toLocaleString(undefined, { maximumFractionDigits: 1 })}%`
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
]

/**
 * How long ago `iso` was, seen from `now` (ms since epoch): "5 seconds ago", "3 minutes ago", "now". The largest
 * whole unit is used, so a heartbeat 90 s old reads "1 minute ago". A time a little in the future (clocks of two
 * machines differ) counts as "now"; "—" without a time.
 */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—'
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return iso
  const seconds = Math.max(0, Math.floor((now - t) / 1000))
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })
  for (const [unit, size] of RELATIVE_UNITS) {
    if (seconds >= size) return rtf.format(-Math.floor(seconds / size), unit)
  }
  return rtf.format(0, 'second')
}

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0')

/**
 * `<input type="datetime-local">` yields "2025-01-31T09:30" with no zone; the API
 * wants ISO-8601 with an offset, so interpret it in the browser's zone and
 * append that zone's offset (e.g. "2025-01-31T09:30:00+08:00").
 */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return undefined
  const offsetMin = -d.getTimezoneOffset()
  const sign = offsetMin >= 0 ? '+' : '-'
  const oh = pad(Math.trunc(offsetMin / 60))
  const om = pad(offsetMin % 60)
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${sign}${oh}:${om}`
  )
}
