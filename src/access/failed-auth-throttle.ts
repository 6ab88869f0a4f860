/**
 * Slows token guessing: after `max` failed authentications from one address within a window,
 * that address gets 429 until the window ends, without the token even being looked up.
 * Fixed windows in memory are enough here: the secret has 256 bits, this only stops noise.
 */
export class FailedAuthThrottle {
  private readonly windows = new Map<string, { failures: number; resetAt: number }>()
  private readonly max: number
  private readonly windowMs: number

  constructor(max: number, windowMs: number) {
    this.max = max
    this.windowMs = windowMs
  }

  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfterSeconds(key: string, now = Date.now()): number {
    const window = this.windows.get(key)
    if (!window || window.resetAt <= now || window.failures < this.max) return 0
    return Math.ceil((window.resetAt - now) / 1000)
  }

  recordFailure(key: string, now = Date.now()): void {
    const window = this.windows.get(key)
    if (window && window.resetAt > now) {
      window.failures += 1
      return
    }
    if (this.windows.size >= 10_000) this.prune(now)
    this.windows.set(key, { failures: 1, resetAt: now + this.windowMs })
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key)
  }
}
