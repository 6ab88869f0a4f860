import type { LogStatus } from '../state/log-repository.js'

/** Consecutive objects refused for the token (401/403) that quarantine the job. */
export const AUTH_FAILURES_TO_QUARANTINE = 5
/** Consecutive objects lost to the target itself (5xx, timeouts, non-SCIM answers). */
export const TARGET_FAILURES_TO_QUARANTINE = 25

/**
 * Error codes that say the target (or the way to it) is broken, not the object's data. Not 429:
 * a target that throttles is working, the rate limiter slows down for it, and quarantining a job
 * for the target's own rate limit is a complaint Entra's users make (engines.md §4, pain 4).
 */
const TARGET_SIDE = new Set(['ERR_TARGET_TRANSIENT', 'ERR_TARGET_PROTOCOL'])

/**
 * Entra quarantines a job whose calls (nearly) all fail, rather than logging the same failure for
 * every object of the directory: with a revoked token a 100,000-user cycle would otherwise send
 * 100,000 doomed requests, each retried. The breaker watches objects as they finish and trips on a
 * streak of failures that only the target can cause; failures of the data (400, 409, a mapping)
 * never count, so a batch of bad phone numbers is logged, not quarantined. Once tripped, the cycle
 * starts no new object and ends quarantined; what it did not reach is picked up next cycle.
 */
export class FailureBreaker {
  #authStreak = 0
  #targetStreak = 0
  tripped: string | undefined

  record(status: LogStatus, errorCode: string | null, message: string): void {
    if (status !== 'failure') {
      if (status !== 'skipped') this.#authStreak = this.#targetStreak = 0
      return
    }
    const auth = errorCode === 'ERR_TARGET_AUTH'
    this.#authStreak = auth ? this.#authStreak + 1 : 0
    this.#targetStreak = auth || TARGET_SIDE.has(errorCode ?? '') ? this.#targetStreak + 1 : 0
    if (this.tripped) return
    if (this.#authStreak >= AUTH_FAILURES_TO_QUARANTINE)
      this.tripped =
        `Quarantined: the target refused the secret token for ${this.#authStreak} objects in a row (latest: ${message}). ` +
        'Generate a new token in the target, update the job with it, then restart the job'
    else if (this.#targetStreak >= TARGET_FAILURES_TO_QUARANTINE)
      this.tripped =
        `Quarantined: ${this.#targetStreak} objects in a row failed at the target itself (latest: ${message}). ` +
        'Check that the tenant URL is right and the target is up (Test connection says more); the next cycle tries again'
  }
}
