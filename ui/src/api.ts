// Typed client for the Herald HTTP API (see notes/api-contract.md).
// Every non-2xx answer is turned into an ApiError carrying the RFC 9457
// problem body, so screens can show `detail` and map `errors[].field`.

export type CampaignStatus = 'DRAFT' | 'SCHEDULED' | 'SENDING' | 'PAUSED' | 'COMPLETED' | 'CANCELLED'
export const CAMPAIGN_STATUSES: CampaignStatus[] = ['DRAFT', 'SCHEDULED', 'SENDING', 'PAUSED', 'COMPLETED', 'CANCELLED']

export type MessageStatus = 'QUEUED' | 'RETRYING' | 'SENT' | 'FAILED' | 'CANCELLED'
export const MESSAGE_STATUSES: MessageStatus[] = ['QUEUED', 'RETRYING', 'SENT', 'FAILED', 'CANCELLED']

/** How a campaign reaches its recipients: email (to `email`) or sms (to `phone`). */
export type Channel = 'email' | 'sms'
export const CHANNELS: Channel[] = ['email', 'sms']

/** An email's body is HTML (the default; a text part is derived or given) or plain text. */
export type ContentType = 'html' | 'text'

export interface Campaign {
  id: number
  name: string
  channel: Channel
  /** Mustache template of the email subject; null for sms. */
  subject: string | null
  /** The body template (HTML for html emails). */
  template: string
  content_type: ContentType
  /** Optional plain-text alternative of an html email; null = derived from the HTML by the server. */
  text_template: string | null
  from: string | null
  reply_to: string | null
  segment_rule: string
  status: CampaignStatus
  created_at: string
  scheduled_at: string | null
  started_at: string | null
  completed_at: string | null
  total: number
  queued: number
  sent: number
  failed: number
  /** Recipients who left through this campaign's unsubscribe links. */
  unsubscribed: number
  /** Delivery receipts (SMS gateway): delivered. */
  delivered: number
  /** Delivery receipts (SMS gateway): undelivered or failed. */
  undelivered: number
  /** Messages that bounced (hard or soft). */
  bounced: number
  /** Messages whose recipient complained (marked as spam, or STOP). */
  complaints: number
  /** Email with an HTML body: links rewritten to count clicks (always false for sms). */
  track_clicks?: boolean
  /** Email with an HTML body: an open pixel is added (always false for sms). */
  track_opens?: boolean
  /** A/B variants (empty or absent: none). */
  variants?: Variant[]
  /** Automatic winner over the variants (null: none). */
  ab_test?: AbTest | null
  ab_phase?: AbPhase | null
  /** The winning variant's name once chosen. */
  winner?: string | null
}

/** An A/B variant: each recipient gets one, by weight. */
export interface Variant {
  name: string
  /** Email subject (null for sms). */
  subject?: string | null
  template: string
  weight: number
}

export type AbMetric = 'clicks' | 'opens'
/** TEST: variants to the test share; WAITING: until wait_until; WINNER: the winner to the rest. */
export type AbPhase = 'TEST' | 'WAITING' | 'WINNER'

export interface AbTest {
  /** Percent of the segment that gets the variants. */
  share: number
  metric: AbMetric
  /** ISO-8601 duration, e.g. PT2H. */
  wait: string
  phase?: AbPhase | null
  wait_until?: string | null
  winner?: string | null
}

/** GET /campaigns/{id}/stats?by=variant */
export interface VariantStats {
  campaign_id: number
  status: CampaignStatus
  ab_phase: AbPhase | null
  winner: string | null
  metric: AbMetric | null
  variants: {
    name: string
    weight: number
    total: number
    queued: number
    sent: number
    failed: number
    cancelled: number
    delivered: number
    opens: number
    clicks: number
    open_rate: number
    click_rate: number
    winner: boolean
  }[]
}

export interface TimelineEntry {
  at: string
  event: string
  detail: string | null
}

export interface NewCampaign {
  name: string
  /** The console always sends it; the API has its own default. */
  channel?: Channel
  subject?: string
  /** May be left out with variants (the first variant's stands in). */
  template?: string
  content_type?: ContentType
  text_template?: string
  from?: string
  reply_to?: string
  segment_rule: string
  scheduled_at?: string
  /** Email only; the server's default is herald.tracking.clicks / .opens. */
  track_clicks?: boolean
  track_opens?: boolean
  variants?: Variant[]
  ab_test?: Pick<AbTest, 'share' | 'metric' | 'wait'>
}

/** Body of POST /campaigns/preview: an unsaved draft, rendered for the first matching recipients. */
export interface DraftPreviewRequest {
  channel: Channel
  subject?: string | null
  template: string
  content_type?: ContentType
  text_template?: string | null
  segment_rule: string
}

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

export interface PreviewItem {
  recipient_id: number
  name: string
  email: string | null
  phone?: string | null
  /** Rendered subject (email only; null for sms). */
  subject?: string | null
  /** Rendered body: HTML for html emails, text otherwise. */
  rendered: string
  /** Plain-text alternative (email only; null for sms). */
  text?: string | null
  /** SMS only: GSM-7, or UCS-2 when the text has a character outside the GSM-7 alphabet (e.g. an emoji). */
  encoding?: SmsEncoding | null
  /** SMS only: length in GSM-7 septets or UTF-16 units (UCS-2). */
  characters?: number | null
  /** SMS only: parts the message is sent as (160/153 per part in GSM-7, 70/67 in UCS-2). */
  segments?: number | null
}

export type SmsEncoding = 'GSM-7' | 'UCS-2'

export interface Preview {
  total_targets: number
  /** Recipients matching the rule that have no address for the channel (no email / no phone). */
  unreachable?: number
  items: PreviewItem[]
}

export interface Stats {
  campaign_id: number
  status: CampaignStatus
  total: number
  queued: number
  sent: number
  failed: number
  retries: number
  cancelled: number
  unsubscribed: number
  /** SMS parts of the sent messages. */
  segments: number
  delivered: number
  undelivered: number
  bounced: number
  complaints: number
  p50_ms: number | null
  p95_ms: number | null
  p99_ms: number | null
  /** The channel's provider and its circuit breaker across the workers (OPEN: an outage, messages wait). */
  provider?: string
  provider_state?: 'CLOSED' | 'OPEN' | 'HALF_OPEN'
  provider_state_since?: string | null
  provider_last_error?: string | null
  /** Recipients who opened at least once / clicked a tracked link at least once (tracked email campaigns). */
  opens?: number
  clicks?: number
  /** opens / sent and clicks / sent (0 before anything was sent). */
  open_rate?: number
  click_rate?: number
}

/** One tracked link of GET /campaigns/{id}/links, in the order the links appear in the body. */
export interface LinkClicks {
  url: string
  clicks: number
  /** Recipients who clicked it at least once. */
  unique_clicks: number
}

/** One bucket of GET /campaigns/{id}/stats/engagement: recipients who first opened / first clicked in it. */
export interface EngagementPoint {
  t: string
  opens: number
  clicks: number
}

export interface Engagement {
  campaign_id: number
  bucket_minutes: number
  points: EngagementPoint[]
}

/** One bucket of GET /campaigns/{id}/stats/throughput: messages finished from `t` for `bucket_seconds`. */
export interface ThroughputPoint {
  t: string
  sent: number
  failed: number
  sent_per_sec: number
}

export interface Throughput {
  campaign_id: number
  bucket_seconds: number
  points: ThroughputPoint[]
}

export interface Message {
  id: number
  recipient: { id: number; name: string; email: string | null }
  tags: string[]
  status: MessageStatus
  attempts: number
  created_at: string
  sent_at: string | null
  latency_ms: number | null
  last_error: string | null
  /** The provider's id for the message (e.g. the SMS gateway's sid). */
  provider_message_id?: string | null
  /** SMS parts sent (sms only). */
  segments?: number | null
  encoding?: SmsEncoding | null
  /** Latest report after the provider accepted it; null before any. */
  delivery_status?: DeliveryStatus | null
  delivered_at?: string | null
  /** The receipt's error code, or the bounce's reason. */
  delivery_error?: string | null
  /** The A/B variant's name (null without variants). */
  variant?: string | null
}

/** What a provider reported about a message after accepting it (receipts, bounces, complaints). */
export type DeliveryStatus = 'sent' | 'delivered' | 'undelivered' | 'failed' | 'soft_bounced' | 'bounced' | 'complained'

export interface Recipient {
  id: number
  name: string
  email: string | null
  phone: string | null
  tags: string[]
  attributes: Record<string, unknown>
  status: RecipientStatus
  /** Why the recipient is not ACTIVE, when known (e.g. "complaint", "hard bounce: 550 5.1.1 user unknown"). */
  status_reason?: string | null
  created_at: string
}

export type RecipientStatus = 'ACTIVE' | 'UNSUBSCRIBED' | 'BOUNCED'
export const RECIPIENT_STATUSES: RecipientStatus[] = ['ACTIVE', 'UNSUBSCRIBED', 'BOUNCED']

export type SuppressionReason = 'hard_bounce' | 'soft_bounce' | 'complaint' | 'unsubscribe' | 'manual'
export const SUPPRESSION_REASONS: SuppressionReason[] = ['hard_bounce', 'soft_bounce', 'complaint', 'unsubscribe', 'manual']

/** An address that is never messaged or re-imported (lower-case email or E.164 phone). */
export interface Suppression {
  id: number
  address: string
  channel: Channel
  reason: SuppressionReason
  detail: string | null
  recipient_id: number | null
  campaign_id: number | null
  created_by: string | null
  created_at: string
}

export interface TagCount {
  tag: string
  count: number
}

export interface ImportRowError {
  row: number
  column: string | null
  message: string
}

export interface ImportJob {
  id: string | number
  status: 'RUNNING' | 'COMPLETED' | 'FAILED'
  rows?: number
  imported?: number
  updated?: number
  skipped?: number
  bytes_read?: number
  bytes_total?: number
  errors?: ImportRowError[]
}

/** Where a worker process stands: heartbeating (alive), silent past the timeout (lost), or shut down (stopped). */
export type WorkerState = 'alive' | 'lost' | 'stopped'

/** One Herald process of GET /workers, as its heartbeats describe it. */
export interface WorkerInfo {
  id: string
  host: string
  pid: number
  roles: string[]
  transport: string
  started_at: string
  last_heartbeat_at: string
  batches_last_minute: number
  messages_last_minute: number
  state: WorkerState
}

export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN'

/** A work queue's backlog: messages waiting (RabbitMQ, in-process: `depth`) or not yet consumed (Kafka: `lag`). */
export interface QueueDepth {
  transport: string
  queue: string
  depth: number
  kind: 'depth' | 'lag'
}

/** GET /ops/summary: the installation at a glance. */
export interface OpsSummary {
  queues: QueueDepth[]
  messages_per_second: number
  /** Per minute over the last 60 minutes, oldest first. */
  throughput: { at: string; sent: number; failed: number }[]
  failures_per_minute: { channel: string; provider: string; failures: number }[]
  dead_letters: number
  campaigns_sending: { id: number; name: string; sent: number; failed: number; total: number }[]
  workers: { alive: number; lost: number }
  providers: { channel: string; provider: string; state: BreakerState }[]
}

export interface FieldError {
  field: string
  message: string
  /** 1-based position of the error in the field's text (segment expressions). */
  column?: number
}

export interface Problem {
  type?: string
  title?: string
  status?: number
  detail?: string
  instance?: string
  errors?: FieldError[]
}

export class ApiError extends Error {
  readonly status: number
  readonly problem: Problem

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`)
    this.name = 'ApiError'
    this.status = status
    this.problem = problem
  }

  /** field -> first message, for showing errors next to form inputs. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const e of this.problem.errors ?? []) {
      if (e && e.field && !(e.field in out)) out[e.field] = e.message
    }
    return out
  }
}

/** Best human-readable text for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message
  if (err instanceof Error) return err.message
  return String(err)
}

// The API lives at the server root while the console is served under /ui/.
// VITE_API_BASE lets a dev build point elsewhere.
const API_BASE: string = (import.meta.env.VITE_API_BASE as string | undefined) ?? ''

export function apiUrl(path: string): string {
  return API_BASE + path
}

/** Turn a failed Response into a Problem, tolerating non-JSON error pages. */
export async function parseProblem(res: Response): Promise<Problem> {
  const text = await res.text().catch(() => '')
  if (text) {
    try {
      const body = JSON.parse(text) as unknown
      if (body && typeof body === 'object') {
        const p = body as Problem & { message?: string; error?: string }
        return {
          ...p,
          status: p.status ?? res.status,
          title: p.title ?? p.error ?? res.statusText,
          detail: p.detail ?? p.message,
          errors: Array.isArray(p.errors) ? p.errors : undefined,
        }
      }
    } catch {
      // fall through: plain-text or HTML error body
    }
  }
  const short = text && text.length < 300 && !text.trimStart().startsWith('<') ? text : undefined
  return { status: res.status, title: res.statusText || `HTTP ${res.status}`, detail: short }
}

/** The CSRF token the server put in the XSRF-TOKEN cookie (secure mode); echoed on writes. */
export function csrfToken(): string | undefined {
  if (typeof document === 'undefined') return undefined
  const hit = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='))
  return hit ? decodeURIComponent(hit.slice('XSRF-TOKEN='.length)) : undefined
}

/** Fired when the server answers 401 to a call made while logged in: the session has ended. */
export const UNAUTHORIZED_EVENT = 'herald:unauthorized'

async function request<T>(method: string, path: string, body?: unknown, init?: RequestInit): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' }
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken()
    if (token) headers['X-XSRF-TOKEN'] = token
  }
  let payload: BodyInit | undefined
  if (body instanceof FormData) {
    payload = body // browser sets the multipart boundary itself
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  let res: Response
  try {
    res = await fetch(apiUrl(path), { method, headers, body: payload, ...init })
  } catch (e) {
    // fetch only rejects on network failure; give it the same shape as HTTP errors.
    throw new ApiError(0, { title: 'Network error', detail: `Cannot reach the server (${errorMessage(e)})` })
  }
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/auth/') && typeof window !== 'undefined') {
      window.dispatchEvent(new Event(UNAUTHORIZED_EVENT))
    }
    throw new ApiError(res.status, await parseProblem(res))
  }
  if (res.status === 204) return undefined as T
  const text = await res.text()
  return (text ? JSON.parse(text) : undefined) as T
}

function qs(params: Record<string, string | number | undefined | null>): string {
  const sp = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') sp.set(k, String(v))
  }
  const s = sp.toString()
  return s ? `?${s}` : ''
}

/** "vip, tw ,," -> "vip,tw": the API's segment rule is comma-separated tags (AND). */
export function normalizeTags(rule: string): string {
  return rule
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .join(',')
}

// The server's test for the comma-separated form (SegmentRule.TAG_LIST_TEXT): no quotes, parentheses, '=' or inner spaces.
const TAG_LIST_TEXT = /^(?:[^\s()"'=]*|\s*[^\s()"'=]+\s*(?:,\s*[^\s()"'=]*\s*)*)$/

/** True when the server reads `rule` as a tag list ("vip,tw"), false for an expression ("vip and not tw"). */
export function isTagList(rule: string): boolean {
  return TAG_LIST_TEXT.test(rule) && !(!rule.includes(',') && ['and', 'or', 'not'].includes(rule.trim().toLowerCase()))
}

/**
 * The rule to send: a tag list tidied like normalizeTags, an expression exactly as typed (so the column of a
 * parse error points into the text on screen); '' when blank.
 */
export function normalizeSegment(rule: string): string {
  if (!rule.trim()) return ''
  return isTagList(rule) ? normalizeTags(rule) : rule
}

/** Query parameters for a rule: tag= for a tag list (as before), segment= for an expression. */
function segmentQuery(rule: string | undefined): { tag?: string; segment?: string } {
  const r = normalizeSegment(rule ?? '')
  if (!r) return {}
  return isTagList(r) ? { tag: r } : { segment: r }
}

/** webhook stands apart: it may only call /webhooks/** (providers' receipts and bounces), not the console's API. */
export type Role = 'viewer' | 'editor' | 'admin' | 'webhook'

/** GET /auth/me: who is using the console. mode "local" = no login needed (loopback-only server). */
export interface Me {
  authenticated: boolean
  mode: 'local' | 'secure'
  name: string
  actor?: string
  role: Role
  method?: string
}

export type LoginRequest = { api_key: string } | { username: string; password: string }

export interface PageQuery {
  limit?: number
  cursor?: string | null
}

export const api = {
  me: () => request<Me>('GET', '/auth/me'),
  login: (body: LoginRequest) => request<Me>('POST', '/auth/login', body),
  logout: () => request<void>('POST', '/auth/logout'),

  listCampaigns: (q: PageQuery & { status?: string } = {}) =>
    request<Page<Campaign>>('GET', `/campaigns${qs({ status: q.status, limit: q.limit, cursor: q.cursor })}`),
  getCampaign: (id: number | string) => request<Campaign>('GET', `/campaigns/${id}`),
  campaignDefaults: () => request<{ track_opens: boolean; track_clicks: boolean }>('GET', '/campaigns/defaults'),
  createCampaign: (c: NewCampaign) => request<Campaign>('POST', '/campaigns', c),
  previewCampaign: (id: number | string) => request<Preview>('GET', `/campaigns/${id}/preview`),
  /** Renders an unsaved draft; stores nothing. `signal` aborts a preview that has gone stale. */
  previewDraft: (draft: DraftPreviewRequest, signal?: AbortSignal) =>
    request<Preview>('POST', '/campaigns/preview', draft, signal ? { signal } : undefined),
  sendCampaign: (id: number | string) =>
    request<{ campaign_id: number; status: CampaignStatus; queued: number }>('POST', `/campaigns/${id}/send`),
  pauseCampaign: (id: number | string) => request<Campaign>('POST', `/campaigns/${id}/pause`),
  resumeCampaign: (id: number | string) => request<Campaign>('POST', `/campaigns/${id}/resume`),
  cancelCampaign: (id: number | string) => request<Campaign>('POST', `/campaigns/${id}/cancel`),
  retryFailed: (id: number | string) =>
    request<{ campaign_id: number; requeued: number }>('POST', `/campaigns/${id}/retry-failed`),
  getStats: (id: number | string) => request<Stats>('GET', `/campaigns/${id}/stats`),
  getVariantStats: (id: number | string) => request<VariantStats>('GET', `/campaigns/${id}/stats?by=variant`),
  getTimeline: (id: number | string) => request<{ campaign_id: number; items: TimelineEntry[] }>('GET', `/campaigns/${id}/timeline`),
  getThroughput: (id: number | string, points = 120) =>
    request<Throughput>('GET', `/campaigns/${id}/stats/throughput${qs({ points })}`),
  getLinks: (id: number | string) => request<{ items: LinkClicks[] }>('GET', `/campaigns/${id}/links`),
  getEngagement: (id: number | string, points = 120) =>
    request<Engagement>('GET', `/campaigns/${id}/stats/engagement${qs({ points })}`),
  statsStreamUrl: (id: number | string) => apiUrl(`/campaigns/${id}/stats/stream`),
  listMessages: (id: number | string, q: PageQuery & { status?: string } = {}) =>
    request<Page<Message>>('GET', `/campaigns/${id}/messages${qs({ status: q.status, limit: q.limit, cursor: q.cursor })}`),

  listRecipients: (q: PageQuery & { tag?: string; q?: string; status?: string } = {}) =>
    request<Page<Recipient>>(
      'GET',
      `/recipients${qs({ ...segmentQuery(q.tag), q: q.q, status: q.status, limit: q.limit, cursor: q.cursor })}`,
    ),
  /** `rule` is a tag list or an expression; a 400 names the field (tag or segment) and, for an expression, the column. */
  countRecipients: (rule: string) => request<{ count: number }>('GET', `/recipients/count${qs(segmentQuery(rule))}`),
  listTags: () => request<{ items: TagCount[] }>('GET', '/tags'),
  importRecipients: (file: File, opts: { tags?: string; dryRun?: boolean; async?: boolean } = {}) => {
    const fd = new FormData()
    fd.append('file', file)
    if (opts.tags && normalizeTags(opts.tags)) fd.append('tags', normalizeTags(opts.tags))
    fd.append('dry_run', String(!!opts.dryRun))
    fd.append('async', String(opts.async ?? true))
    return request<ImportJob>('POST', '/recipients/import', fd)
  },
  getImport: (id: string | number) => request<ImportJob>('GET', `/imports/${id}`),

  listSuppressions: (q: PageQuery & { reason?: string; q?: string } = {}) =>
    request<Page<Suppression>>('GET', `/suppressions${qs({ reason: q.reason, q: q.q, limit: q.limit, cursor: q.cursor })}`),
  /** 409 (already-suppressed) when listed; 400 on `address` when it is neither an email nor a phone number. */
  addSuppression: (body: { address: string; detail?: string }) => request<Suppression>('POST', '/suppressions', body),
  /** The recipient becomes ACTIVE again (unless their other address is still listed). */
  removeSuppression: (id: number | string) => request<void>('DELETE', `/suppressions/${id}`),

  listWorkers: () => request<{ items: WorkerInfo[] }>('GET', '/workers'),
  getOpsSummary: () => request<OpsSummary>('GET', '/ops/summary'),
}
