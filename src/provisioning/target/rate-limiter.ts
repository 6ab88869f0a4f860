/**
 * The adaptive per-target rate limit: a token bucket under a ceiling (requests/s) plus a cap on
 * requests in flight. The target's answers steer it (AIMD, as in TCP congestion control):
 * - 429 pauses every request for Retry-After (or a default when the target did not say) and halves
 *   the rate: Entra pauses the job for Retry-After (entra-scim.md §10.7); we also slow down after,
 *   so the target is not hammered again the moment the pause ends.
 * - 5xx and timeouts lower the rate more gently, and pause only if the answer carried Retry-After.
 * - Calm time raises the rate again additively, up to the ceiling.
 * A burst of many failures in flight together counts as one decrease per `decreaseIntervalMs`.
 *
 * The clock is injected (`now` + `sleep`) so the tests drive time instead of waiting for it.
 */

import type { RequestScheduler } from './scim-target-client.js'
import { isScimTargetError } from './scim-target-error.js'

export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

export interface AdaptiveRateLimiterOptions {
  /** The ceiling, in requests per second; the rate starts there. */
  ratePerSecond: number
  /** Requests in flight at once. Default 8 (match the client's maxSockets). */
  maxConcurrency?: number
  /**
   * Bucket size. Default 2: small so that the ceiling holds over short windows too, more than 1 so
   * that a timer firing late does not throw away the time it overslept.
   */
  burst?: number
  /** The rate never drops below this. Default: 1 request/s, or the ceiling if that is lower. */
  minRatePerSecond?: number
  /** Rate multiplier on 429. Default 0.5. */
  throttleFactor?: number
  /** Rate multiplier on 5xx and timeouts. Default 0.75. */
  failureFactor?: number
  /** Requests/s regained per second without trouble. Default: a tenth of the ceiling. */
  recoveryPerSecond?: number
  /** Pause after a 429 without Retry-After. Default 2 s. */
  defaultPauseMs?: number
  /** Longest pause honoured, whatever Retry-After says. Default 5 min. */
  maxPauseMs?: number
  /** Failures closer together than this count as one decrease. Default 1 s. */
  decreaseIntervalMs?: number
  clock?: Clock
}

/** Where the limiter stands, for progress reports and tests. */
export interface RateLimiterSnapshot {
  ratePerSecond: number
  ceilingPerSecond: number
  /** Clock time until which nothing is sent (0 or in the past when not paused). */
  pausedUntil: number
  inFlight: number
  queued: number
  throttled: number
  failures: number
}

export class AdaptiveRateLimiter implements RequestScheduler {
  readonly #ceiling: number
  readonly #maxConcurrency: number
  readonly #burst: number
  readonly #minRate: number
  readonly #throttleFactor: number
  readonly #failureFactor: number
  readonly #recoveryPerSecond: number
  readonly #defaultPauseMs: number
  readonly #maxPauseMs: number
  readonly #decreaseIntervalMs: number
  readonly #clock: Clock

  #rate: number
  #tokens: number
  #refilledAt: number
  #recoveredAt: number
  #pausedUntil = 0
  #lastDecreaseAt = Number.NEGATIVE_INFINITY
  #inFlight = 0
  #throttled = 0
  #failures = 0
  readonly #queue: (() => void)[] = []
  #pumping = false
  #slotFreed: (() => void) | undefined

  constructor(options: AdaptiveRateLimiterOptions) {
    if (!(options.ratePerSecond > 0)) throw new TypeError('ratePerSecond must be a positive number')
    this.#ceiling = options.ratePerSecond
    this.#maxConcurrency = options.maxConcurrency ?? 8
    if (!(this.#maxConcurrency >= 1)) throw new TypeError('maxConcurrency must be at least 1')
    this.#burst = options.burst ?? 2
    this.#minRate = Math.min(options.minRatePerSecond ?? 1, this.#ceiling)
    this.#throttleFactor = options.throttleFactor ?? 0.5
    this.#failureFactor = options.failureFactor ?? 0.75
    this.#recoveryPerSecond = options.recoveryPerSecond ?? this.#ceiling / 10
    this.#defaultPauseMs = options.defaultPauseMs ?? 2_000
    this.#maxPauseMs = options.maxPauseMs ?? 300_000
    this.#decreaseIntervalMs = options.decreaseIntervalMs ?? 1_000
    this.#clock = options.clock ?? systemClock
    this.#rate = this.#ceiling
    this.#tokens = this.#burst
    this.#refilledAt = this.#clock.now()
    this.#recoveredAt = this.#refilledAt
  }

  /** Runs `task` when the rate and the concurrency cap allow, and learns from how it ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire()
    try {
      return await task()
    } catch (error) {
      this.#learn(error)
      throw error
    } finally {
      this.release()
    }
  }

  /** Waits for a slot and a token. Pair with `release()`; `run()` does both. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.#queue.push(resolve)
      void this.#pump()
    })
  }

  release(): void {
    this.#inFlight -= 1
    const wake = this.#slotFreed
    this.#slotFreed = undefined
    wake?.()
  }

  /** The target said 429: pause everyone, then go on at a lower rate. */
  throttled(retryAfterMs?: number): void {
    this.#throttled += 1
    this.#pause(retryAfterMs ?? this.#defaultPauseMs)
    this.#decrease(this.#throttleFactor)
  }

  /** A 5xx or a timeout: slow down, and pause if the target said for how long. */
  failed(retryAfterMs?: number): void {
    this.#failures += 1
    if (retryAfterMs !== undefined) this.#pause(retryAfterMs)
    this.#decrease(this.#failureFactor)
  }

  snapshot(): RateLimiterSnapshot {
    this.#recover(this.#clock.now())
    return {
      ratePerSecond: this.#rate,
      ceilingPerSecond: this.#ceiling,
      pausedUntil: this.#pausedUntil,
      inFlight: this.#inFlight,
      queued: this.#queue.length,
      throttled: this.#throttled,
      failures: this.#failures,
    }
  }

  #learn(error: unknown): void {
    if (!isScimTargetError(error)) return
    if (error.category === 'throttled') this.throttled(error.retryAfterMs)
    else if (error.category === 'transient') this.failed(error.retryAfterMs)
  }

  #pause(ms: number): void {
    const now = this.#clock.now()
    const until = now + Math.min(Math.max(0, ms), this.#maxPauseMs)
    if (until <= this.#pausedUntil) return
    this.#recover(now)
    this.#pausedUntil = until
    // Nothing accrues during a pause: the first request after it waits one interval at the new rate.
    this.#tokens = 0
    this.#refilledAt = until
  }

  #decrease(factor: number): void {
    const now = this.#clock.now()
    if (now - this.#lastDecreaseAt < this.#decreaseIntervalMs) return
    this.#recover(now)
    this.#lastDecreaseAt = now
    this.#rate = Math.max(this.#minRate, this.#rate * factor)
    this.#recoveredAt = Math.max(now, this.#recoveredAt)
  }

  /** Additive increase for the calm time since the last look (a pause is not calm). */
  #recover(now: number): void {
    const from = Math.max(this.#recoveredAt, this.#pausedUntil)
    if (now <= from) return
    this.#rate = Math.min(this.#ceiling, this.#rate + (this.#recoveryPerSecond * (now - from)) / 1000)
    this.#recoveredAt = now
  }

  #refill(now: number): void {
    if (now <= this.#refilledAt) return
    this.#tokens = Math.min(this.#burst, this.#tokens + (this.#rate * (now - this.#refilledAt)) / 1000)
    this.#refilledAt = now
  }

  // One loop hands out permits in arrival order, so there is no race between waiters.
  async #pump(): Promise<void> {
    if (this.#pumping) return
    this.#pumping = true
    try {
      while (this.#queue.length > 0) {
        if (this.#inFlight >= this.#maxConcurrency) {
          await new Promise<void>((resolve) => {
            this.#slotFreed = resolve
          })
          continue
        }
        const now = this.#clock.now()
        if (now < this.#pausedUntil) {
          await this.#clock.sleep(this.#pausedUntil - now)
          continue
        }
        this.#recover(now)
        this.#refill(now)
        if (this.#tokens < 1) {
          await this.#clock.sleep(Math.ceil(((1 - this.#tokens) * 1000) / this.#rate))
          continue
        }
        this.#tokens -= 1
        this.#inFlight += 1
        this.#queue.shift()?.()
      }
    } finally {
      this.#pumping = false
    }
  }
}
