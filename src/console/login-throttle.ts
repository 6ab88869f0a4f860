import { FixedWindowLimiter } from '../access/fixed-window-limiter.js'

const WINDOW_MS = 15 * 60_000
/** One address may try several accounts (an office behind one NAT), but not endlessly. */
const ADDRESS_FACTOR = 4

/**
 * Slows password guessing: `limit` failed logins per (tenant, email) and 4 × `limit` per client
 * address in 15 minutes, then 429 until the window ends. In memory, per node.
 */
export class LoginThrottle {
  private readonly perAccount: FixedWindowLimiter
  private readonly perAddress: FixedWindowLimiter

  constructor(limit: number) {
    this.perAccount = new FixedWindowLimiter(limit, WINDOW_MS)
    this.perAddress = new FixedWindowLimiter(limit * ADDRESS_FACTOR, WINDOW_MS)
  }

  private static key(tenant: string, email: string): string {
    return `${tenant}\u0000${email.toLowerCase()}`
  }

  /** Seconds to wait before trying again; 0 when a try is allowed now. */
  retryAfterSeconds(tenant: string, email: string, address: string): number {
    return Math.max(
      this.perAccount.retryAfterSeconds(LoginThrottle.key(tenant, email)),
      this.perAddress.retryAfterSeconds(address),
    )
  }

  recordFailure(tenant: string, email: string, address: string): void {
    this.perAccount.record(LoginThrottle.key(tenant, email))
    this.perAddress.record(address)
  }
}
