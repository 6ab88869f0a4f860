/**
 * Per-request retries: a bounded number of attempts, exponential back-off with full jitter
 * (a random wait between 0 and base·2^n, so that requests failed together do not come back
 * together), never shorter than the target's Retry-After. Only `throttled` and `transient`
 * errors are retried; everything else is an answer that asking again will not change.
 *
 * A create is special: when a POST timed out or the connection dropped after it was sent, the
 * object may exist although we never heard so. `createWithRematch` then looks it up by its
 * matching attribute before it POSTs again, so a lost answer never becomes a duplicate (Entra
 * re-sends and gets a 409, or worse a second account, entra-scim.md §2.2).
 */

import type { ScimResource } from './scim-resources.js'
import { isScimTargetError, type ScimTargetError } from './scim-target-error.js'

export interface RetryPolicy {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number
  /** Ceiling of the first wait. Default 250 ms. */
  baseDelayMs?: number
  /** No wait is longer than this. Default 30 s. */
  maxDelayMs?: number
  /** Uniform in [0, 1): injected for deterministic tests. */
  random?: () => number
  sleep?: (ms: number) => Promise<void>
  /** Called before each wait: the engine records the steps of a log entry from it. */
  onRetry?: (event: RetryEvent) => void
}

export interface RetryEvent {
  /** The attempt that failed (1-based). */
  attempt: number
  error: ScimTargetError
  delayMs: number
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function isRetryable(error: unknown): error is ScimTargetError {
  return isScimTargetError(error) && (error.category === 'throttled' || error.category === 'transient')
}

/** The wait before attempt `failedAttempt + 1`: full jitter, at least Retry-After, at most the cap. */
export function backoffDelay(
  failedAttempt: number,
  error: ScimTargetError,
  policy: RetryPolicy = {},
): number {
  const base = policy.baseDelayMs ?? 250
  const cap = policy.maxDelayMs ?? 30_000
  const random = policy.random ?? Math.random
  const ceiling = Math.min(cap, base * 2 ** (failedAttempt - 1))
  const jittered = Math.floor(random() * ceiling)
  return Math.min(cap, Math.max(jittered, error.retryAfterMs ?? 0))
}

/**
 * Runs `operation` until it succeeds, fails with an error not worth retrying, or has used
 * `maxAttempts`; then the last error is thrown as it is.
 */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy = {},
): Promise<T> {
  const maxAttempts = policy.maxAttempts ?? 5
  const sleep = policy.sleep ?? defaultSleep
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt)
    } catch (error) {
      if (!isRetryable(error) || attempt >= maxAttempts) throw error
      const delayMs = backoffDelay(attempt, error, policy)
      policy.onRetry?.({ attempt, error, delayMs })
      await sleep(delayMs)
    }
  }
}

export type CreateOutcome<T extends ScimResource> =
  /** Our POST created it. */
  | { kind: 'created'; id: string; resource: T; attempts: number }
  /** An earlier POST whose answer was lost had created it; found by the matching attribute. */
  | { kind: 'rematched'; id: string; resource: ScimResource; attempts: number }

export interface CreateWithRematch<T extends ScimResource> {
  /** One POST. */
  create: () => Promise<T>
  /** Looks the object up by its matching attribute (a filter query); undefined when absent. */
  rematch: () => Promise<ScimResource | undefined>
}

/**
 * Creates an object with retries, never twice: after an attempt whose outcome is unknown, every
 * further attempt first runs `rematch()` and returns what it finds instead of POSTing again. A
 * 409 after such an attempt is also re-matched (the target saw the lost POST; our lookup ran too
 * early). Look-ups and POSTs share the attempt budget.
 */
export async function createWithRematch<T extends ScimResource>(
  steps: CreateWithRematch<T>,
  policy: RetryPolicy = {},
): Promise<CreateOutcome<T>> {
  let outcomeUnknown = false
  let attempts = 0
  const rematched = (resource: ScimResource): CreateOutcome<T> => ({
    kind: 'rematched',
    id: resource.id,
    resource,
    attempts,
  })
  return withRetries(async () => {
    attempts += 1
    if (outcomeUnknown) {
      const found = await steps.rematch()
      if (found) return rematched(found)
    }
    try {
      const resource = await steps.create()
      return { kind: 'created', id: resource.id, resource, attempts }
    } catch (error) {
      if (!isScimTargetError(error)) throw error
      if (error.category === 'conflict' && outcomeUnknown) {
        const found = await steps.rematch()
        if (found) return rematched(found)
      }
      if (error.outcomeUnknown) outcomeUnknown = true
      throw error
    }
  }, policy)
}
