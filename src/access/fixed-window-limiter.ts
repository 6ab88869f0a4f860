/**
 * Counts events per key in fixed time windows, in memory: per token for the request rate limit,
 * per client address for failed authentications. Written here rather than taken from
 * @fastify/rate-limit because it runs inside the authentication hook on every SCIM request, and a
 * Map lookup there costs a fraction of a separate plugin hook with its own store and headers.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>()
  private readonly max: number
  private readonly windowMs: number

  constructor(max: number, windowMs: number) {
    this.max = max
    this.windowMs = windowMs
  }

  /** Seconds until `key` is under its limit again, or 0 when it is under it now. */
  retryAfterSeconds(key: string, now = Date.now()): number {
    const window = this.windows.get(key)
    if (!window || window.resetAt <= now || window.count < this.max) return 0
    return Math.ceil((window.resetAt - now) / 1000)
  }

  /** Counts one event for `key`. */
  record(key: string, now = Date.now()): void {
    const window = this.windows.get(key)
    if (window && window.resetAt > now) {
      window.count += 1
      return
    }
    if (this.windows.size >= 10_000) this.prune(now)
    this.windows.set(key, { count: 1, resetAt: now + this.windowMs })
  }

  /** Counts one event and says how long to wait when it went over the limit (0 = allowed). */
  hit(key: string, now = Date.now()): number {
    const wait = this.retryAfterSeconds(key, now)
    if (wait === 0) this.record(key, now)
    return wait
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key)
  }
}
