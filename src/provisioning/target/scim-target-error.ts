/**
 * What can go wrong when the provisioning service talks to a SCIM target, as one error type whose
 * `category` drives every decision made about it: the rate limiter backs off on `throttled` and
 * `transient`, `retry.ts` retries only those two, and the engine turns the rest into log entries.
 */

export type ScimTargetErrorCategory =
  /** 429: the target asked us to slow down (Retry-After in `retryAfterMs` when it said how long). */
  | 'throttled'
  /** 5xx, timeouts, resets, refused connections: may succeed if tried again later. */
  | 'transient'
  /** 409: uniqueness or version conflict. */
  | 'conflict'
  /** 404 on a resource. */
  | 'notFound'
  /** Any other 4xx: the request itself is wrong, retrying cannot help. */
  | 'client'
  /** 401/403: the secret token is wrong, expired or lacks rights. */
  | 'auth'
  /** The answer is not SCIM: not JSON, the wrong shape, an unexpected status or a redirect. */
  | 'protocol'

/** How a request failed below HTTP, when it did. */
export type TransportFailure = 'timeout' | 'reset' | 'refused' | 'dns' | 'tls' | 'network'

export interface ScimTargetErrorInit {
  category: ScimTargetErrorCategory
  /** The request, as `METHOD /path?query` relative to the tenant URL (never holds the token). */
  request: string
  status?: number | undefined
  scimType?: string | undefined
  detail?: string | undefined
  retryAfterMs?: number | undefined
  transport?: TransportFailure | undefined
  outcomeUnknown?: boolean | undefined
  cause?: unknown
}

export class ScimTargetError extends Error {
  readonly category: ScimTargetErrorCategory
  readonly request: string
  /** The HTTP status, or undefined when no response arrived. */
  readonly status: number | undefined
  readonly scimType: string | undefined
  /** The target's own explanation (SCIM `detail`, or the start of a non-SCIM body). */
  readonly detail: string | undefined
  /** From Retry-After (delta-seconds or HTTP-date), in milliseconds. */
  readonly retryAfterMs: number | undefined
  readonly transport: TransportFailure | undefined
  /**
   * The request may have been carried out although no answer says so (timeout or reset after it
   * was sent, or a 500/502/504): a POST must be re-matched before it is sent again.
   */
  readonly outcomeUnknown: boolean

  constructor(message: string, init: ScimTargetErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'ScimTargetError'
    this.category = init.category
    this.request = init.request
    this.status = init.status
    this.scimType = init.scimType
    this.detail = init.detail
    this.retryAfterMs = init.retryAfterMs
    this.transport = init.transport
    this.outcomeUnknown = init.outcomeUnknown ?? false
  }
}

export function isScimTargetError(error: unknown): error is ScimTargetError {
  return error instanceof ScimTargetError
}

/** The category of an HTTP error status (>= 400). */
export function categoryForStatus(status: number): ScimTargetErrorCategory {
  if (status === 429) return 'throttled'
  if (status === 401 || status === 403) return 'auth'
  if (status === 404) return 'notFound'
  if (status === 409) return 'conflict'
  // 408 says the server gave up waiting for us: the same as a timeout on our side.
  if (status === 408) return 'transient'
  // 501/505 say the feature or version is not there; asking again later will not change that.
  if (status === 501 || status === 505) return 'client'
  if (status >= 500) return 'transient'
  return 'client'
}

/** Statuses after which a non-idempotent request may nevertheless have been carried out. */
export function statusLeavesOutcomeUnknown(status: number): boolean {
  return status === 500 || status === 502 || status === 504
}

/**
 * Retry-After (RFC 9110 §10.2.3) in milliseconds: delta-seconds or an HTTP-date, never negative;
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - now)
}

/** `text` with every occurrence of `secret` blanked out, for anything the target echoes back. */
export function redactSecret(text: string, secret: string): string {
  return secret.length < 4 ? text : text.replaceAll(secret, '[redacted]')
}
